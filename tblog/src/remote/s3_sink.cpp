// The writer's sink for s3:// logdirs: the uploading sink over the bucket's store, with the
// endpoint naming the spool.
#include "remote_storage.hpp"
#include "s3_object_store.hpp"
#include "uploading_sink.hpp"

namespace tblog::detail {

std::unique_ptr<Sink> open_s3_sink(const std::string& url, const WriterOptions& options,
                                   std::string first_records) {
  S3Location location = parse_s3_url(url);
  const S3Settings settings = s3_settings_from_environment();
  UploadTarget target;
  target.store = std::make_unique<S3ObjectStore>(settings, location.bucket, 1);
  target.checking_store = std::make_unique<S3ObjectStore>(settings, location.bucket, 3);
  target.run_key = std::move(location.key);
  target.store_id = settings.endpoint;
  return std::make_unique<UploadingSink>(std::move(target), options, std::move(first_records));
}

}  // namespace tblog::detail
