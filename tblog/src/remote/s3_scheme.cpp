// s3:// as a store scheme: the bucket of the URL as an S3ObjectStore, with the settings the
// environment gives (s3_settings.hpp); the endpoint tells stores apart.
#include "s3_location.hpp"
#include "s3_object_store.hpp"
#include "s3_settings.hpp"
#include "store_schemes.hpp"
#include "tblog/remote.hpp"

namespace tblog::detail {
namespace {

StoredLogdir open_s3(const std::string& url, int attempts, const std::string& endpoint) {
  S3Location location = parse_s3_url(url);
  S3Settings settings = s3_settings_from_environment();
  if (!endpoint.empty()) settings.endpoint = endpoint;
  return {std::make_shared<S3ObjectStore>(std::move(settings), location.bucket, attempts),
          std::move(location.key)};
}

std::string s3_store_id(const std::string&) {
  return s3_settings_from_environment().endpoint;
}

void check_s3_url(const std::string& url) {
  parse_s3_url(url);
}

}  // namespace

extern const StoreScheme kS3Scheme{"s3://", open_s3, s3_store_id, check_s3_url};

}  // namespace tblog::detail

namespace tblog {

bool remote_storage_supported() {
  return true;
}

}  // namespace tblog
