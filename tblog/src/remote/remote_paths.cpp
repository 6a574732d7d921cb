// What every build knows of remote paths, with or without S3 support.
#include "s3_location.hpp"
#include "spool.hpp"
#include "tblog/remote.hpp"

namespace tblog {

bool is_remote_path(const std::string& path) {
  return detail::is_s3_url(path);
}

std::string default_spool_dir() {
  return detail::spool_root("");
}

}  // namespace tblog
