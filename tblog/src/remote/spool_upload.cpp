// `tblog upload`: what writers that are gone left in the spool, uploaded in order to the store
// each spool names (its scheme's store at the endpoint the writer used).
#include <filesystem>

#include "s3_location.hpp"
#include "spool.hpp"
#include "store_schemes.hpp"
#include "tblog/error.hpp"
#include "tblog/remote.hpp"

namespace tblog {

SpoolUploadReport upload_spool(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw IoError("spool '" + dir + "' is not a directory");
  SpoolUploadReport report;
  for (detail::LockedSpool& spool : detail::adopt_orphans(dir, report.in_use)) {
    try {
      const detail::StoreScheme* scheme = detail::store_scheme_of(spool.run_url());
      if (!scheme) throw InvalidArgument("names no store: " + spool.run_url());
      const detail::StoredLogdir run = scheme->open(spool.run_url(), 3, spool.endpoint());
      for (const std::string& file : spool.segments_to_upload()) {
        const std::string bytes = detail::read_segment(file);
        const std::string name = std::filesystem::path(file).filename().string();
        run.store->put(detail::join_key(run.root, name), bytes);
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
