// A build without libcurl: s3:// paths are refused with one line saying why, everywhere.
#include "remote_storage.hpp"
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

SpoolUploadReport upload_spool(const std::string& dir) {
  refuse("'" + dir + "'");
}

namespace detail {

std::unique_ptr<Sink> open_s3_sink(const std::string& url, const WriterOptions&, std::string) {
  refuse(url);
}
S3RequestCounts s3_request_counts() {
  return {};
}
std::unique_ptr<ByteSource> open_s3_source(const std::string& url) {
  refuse(url);
}
StoredLogdir open_s3_logdir(const std::string& url) {
  refuse(url);
}
std::vector<RunFiles> find_s3_runs(const std::string& url) {
  refuse(url);
}
std::vector<std::string> s3_run_event_files(const std::string& url) {
  refuse(url);
}

}  // namespace detail
}  // namespace tblog
