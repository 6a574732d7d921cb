// `tblog upload`: what writers that are gone left in the spool, uploaded in order.
#include <filesystem>

#include "s3_client.hpp"
#include "s3_location.hpp"
#include "spool.hpp"
#include "tblog/error.hpp"
#include "tblog/remote.hpp"

namespace tblog {

bool remote_storage_supported() {
  return true;
}

SpoolUploadReport upload_spool(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw IoError("spool '" + dir + "' is not a directory");
  SpoolUploadReport report;
  for (detail::LockedSpool& spool : detail::adopt_orphans(dir, report.in_use)) {
    try {
      const detail::S3Location location = detail::parse_s3_url(spool.run_url());
      detail::S3Settings settings = detail::s3_settings_from_environment();
      if (!spool.endpoint().empty()) settings.endpoint = spool.endpoint();
      detail::S3Client client(settings);
      for (const std::string& file : spool.segments_to_upload()) {
        const std::string bytes = detail::read_segment(file);
        const std::string name = std::filesystem::path(file).filename().string();
        client.put_object(location.bucket, detail::join_key(location.key, name), bytes);
        std::filesystem::remove(file, ec);
        ++report.objects;
        report.bytes += bytes.size();
      }
    } catch (const Error& e) {
      report.failures.push_back(spool.dir() + ": " + e.what());
    }
  }
  return report;
}

}  // namespace tblog
