// A build without libcurl: s3:// is a scheme whose store refuses with one line saying why.
#include "remote_storage.hpp"
#include "store_schemes.hpp"
#include "tblog/error.hpp"
#include "tblog/remote.hpp"

namespace tblog {
namespace {

[[noreturn]] void refuse(const std::string& what) {
  throw InvalidArgument(what + ": this tblog was built without S3 support (libcurl was not "
                               "found; install libcurl4-openssl-dev and rebuild)");
}

}  // namespace

bool remote_storage_supported() {
  return false;
}

namespace detail {

S3RequestCounts s3_request_counts() {
  return {};
}

namespace {

StoredLogdir refuse_s3(const std::string& url, int, const std::string&) {
  refuse(url);
}
std::string no_store_id(const std::string&) {
  return {};
}

void refuse_url(const std::string& url) {
  refuse(url);
}

}  // namespace

extern const StoreScheme kS3Scheme{"s3://", refuse_s3, no_store_id, refuse_url};

}  // namespace detail
}  // namespace tblog
