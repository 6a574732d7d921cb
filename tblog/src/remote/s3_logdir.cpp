// An s3:// logdir as TensorBoard sees it: every "directory" of keys holding an event file is a
// run, found through the logdir index over the bucket's store.
#include "logdir_index.hpp"
#include "remote_storage.hpp"
#include "s3_object_store.hpp"

namespace tblog::detail {

StoredLogdir open_s3_logdir(const std::string& url) {
  S3Location location = parse_s3_url(url);
  return {std::make_shared<S3ObjectStore>(s3_settings_from_environment(), location.bucket),
          std::move(location.key)};
}

std::vector<RunFiles> find_s3_runs(const std::string& url) {
  const StoredLogdir logdir = open_s3_logdir(url);
  LogdirIndex index(*logdir.store, logdir.root);
  index.update();  // the first pass lists the whole logdir
  return index.run_files();
}

std::vector<std::string> s3_run_event_files(const std::string& run_url) {
  const StoredLogdir run = open_s3_logdir(run_url);
  const std::string prefix = run.root.empty() ? "" : run.root + "/";
  std::vector<std::string> files;
  for (const StoredObject& object : run.store->list({prefix, "", true}).objects) {
    if (is_event_file_name(object.key.substr(prefix.size())))
      files.push_back(run.store->url(object.key));
  }
  return files;
}

}  // namespace tblog::detail
