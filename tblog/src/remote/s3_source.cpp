// An s3:// URL as a ByteSource: the object source over its bucket's store.
#include "object_source.hpp"
#include "remote_storage.hpp"
#include "s3_object_store.hpp"

namespace tblog::detail {

std::unique_ptr<ByteSource> open_s3_source(const std::string& url) {
  S3Location location = parse_s3_url(url);
  return open_object_source(
      std::make_shared<S3ObjectStore>(s3_settings_from_environment(), location.bucket),
      std::move(location.key));
}

}  // namespace tblog::detail
