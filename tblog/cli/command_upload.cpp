// tblog upload: what s3:// writers that are gone left in the spool, uploaded in order.
#include <fmt/format.h>

#include "commands.hpp"
#include "tblog/remote.hpp"
#include "text_format.hpp"

namespace tblog::cli {

int run_upload(const std::string& spool) {
  const std::string dir = spool.empty() ? default_spool_dir() : spool;
  const SpoolUploadReport report = upload_spool(dir);
  for (const auto& busy : report.in_use)
    fmt::print(stderr, "tblog: in use by a running writer, left alone: {}\n", terminal_text(busy));
  for (const auto& failure : report.failures)
    fmt::print(stderr, "tblog: error: {}\n", message_text(failure));
  fmt::print("{} objects uploaded ({} bytes) from {}\n", report.objects, report.bytes,
             terminal_text(dir));
  return report.failures.empty() ? 0 : 1;
}

}  // namespace tblog::cli
