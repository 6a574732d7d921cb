// An s3:// logdir as TensorBoard sees it: one listing of the prefix; every "directory" of keys
// holding an event file is a run.
#include <map>

#include "remote_storage.hpp"
#include "s3_client.hpp"

namespace tblog::detail {
namespace {

std::string prefix_of(const S3Location& location) {
  return location.key.empty() ? "" : location.key + "/";
}

}  // namespace

std::vector<RunFiles> find_s3_runs(const std::string& url) {
  const S3Location location = parse_s3_url(url);
  const std::string root = s3_url(location);
  const std::string prefix = prefix_of(location);
  std::map<std::string, RunFiles> runs;
  for (const S3Object& object :
       S3Client(s3_settings_from_environment()).list(location.bucket, prefix)) {
    const std::string relative = object.key.substr(prefix.size());
    const auto slash = relative.rfind('/');
    const std::string dir = slash == std::string::npos ? "" : relative.substr(0, slash);
    if (!is_event_file_name(relative.substr(slash == std::string::npos ? 0 : slash + 1))) continue;
    RunFiles& run = runs[dir.empty() ? "." : dir];
    if (run.name.empty()) {
      run.name = dir.empty() ? "." : dir;
      run.directory = dir.empty() ? root : join_key(root, dir);
    }
    run.event_files.push_back(join_key(root, relative));  // the listing is in key order already
  }
  std::vector<RunFiles> out;
  out.reserve(runs.size());
  for (auto& [name, run] : runs) out.push_back(std::move(run));
  return out;
}

std::vector<std::string> s3_run_event_files(const std::string& run_url) {
  const S3Location location = parse_s3_url(run_url);
  const std::string prefix = prefix_of(location);
  std::vector<std::string> files;
  for (const S3Object& object :
       S3Client(s3_settings_from_environment()).list(location.bucket, prefix, true)) {
    const std::string name = object.key.substr(prefix.size());
    if (name.find('/') == std::string::npos && is_event_file_name(name))
      files.push_back(join_key(s3_url(location), name));
  }
  return files;
}

}  // namespace tblog::detail
