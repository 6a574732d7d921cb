// A logdir as TensorBoard sees it: every directory holding event files is a run.
#include <algorithm>
#include <filesystem>
#include <map>

#include "logdir_index.hpp"
#include "remote/store_schemes.hpp"
#include "tblog/error.hpp"
#include "tblog/reader.hpp"
#include "tblog/remote.hpp"

namespace fs = std::filesystem;

namespace tblog {

bool is_event_file_name(const std::string& filename) {
  return filename.find("tfevents") != std::string::npos;
}

std::vector<RunFiles> find_runs(const std::string& logdir) {
  std::vector<LogdirProblem> ignored;
  return find_runs(logdir, ignored);
}

std::vector<RunFiles> find_runs(const std::string& logdir, std::vector<LogdirProblem>& problems) {
  require_supported_location(logdir);
  if (const detail::StoreScheme* scheme = detail::store_scheme_of(logdir)) {
    const detail::StoredLogdir stored = scheme->open(logdir, 3, {});
    detail::LogdirIndex index(*stored.store, stored.root);
    index.update();  // the first pass lists the whole logdir: one listing, no problems
    return index.run_files();
  }
  constexpr std::size_t kMaxDepth = 256;  // deeper nesting is reported, not walked
  std::error_code ec;
  if (!fs::is_directory(logdir, ec)) throw IoError("logdir '" + logdir + "' is not a directory");
  std::map<std::string, RunFiles> runs;
  // Depth first with an explicit stack: no recursion on untrusted trees, and one directory that
  // cannot be listed costs only itself.
  std::vector<std::pair<fs::path, std::size_t>> pending{{fs::path(logdir), 0}};
  while (!pending.empty()) {
    const auto [dir, depth] = pending.back();
    pending.pop_back();
    if (depth > kMaxDepth) {
      problems.push_back({dir.string(), "nested deeper than " + std::to_string(kMaxDepth) +
                                            " directories; not searched"});
      continue;
    }
    std::error_code list_ec;
    fs::directory_iterator it(dir, list_ec), end;
    for (; !list_ec && it != end; it.increment(list_ec)) {
      const fs::directory_entry& entry = *it;
      std::error_code entry_ec;
      const auto own = entry.symlink_status(entry_ec);
      if (entry_ec) {  // e.g. a path longer than the system allows
        problems.push_back({entry.path().string(), entry_ec.message()});
        continue;
      }
      if (own.type() == fs::file_type::directory) {
        pending.emplace_back(entry.path(), depth + 1);
        continue;
      }
      if (!is_event_file_name(entry.path().filename().string())) continue;
      const auto target = entry.status(entry_ec);  // follows a file symlink
      if (entry_ec) {
        problems.push_back({entry.path().string(), entry_ec.message()});
        continue;
      }
      if (target.type() != fs::file_type::regular) {  // a FIFO or device would block a reader
        problems.push_back({entry.path().string(), "not a regular file; not read"});
        continue;
      }
      std::string name = fs::relative(dir, logdir, entry_ec).generic_string();
      if (name.empty()) name = ".";
      RunFiles& run = runs[name];
      run.name = name;
      run.directory = dir.string();
      run.event_files.push_back(entry.path().string());
    }
    if (list_ec) problems.push_back({dir.string(), list_ec.message()});
  }
  std::vector<RunFiles> out;
  for (auto& [name, run] : runs) {
    std::sort(run.event_files.begin(), run.event_files.end());
    out.push_back(std::move(run));
  }
  return out;
}

namespace {

// Every event of every file of a run, skipping corruption and stopping quietly at torn tails.
void for_each_event_of(const std::vector<std::string>& files,
                       const std::function<void(const Event&)>& on_event) {
  for (const auto& file : files) for_each_event(file, OnCorruption::kSkip, on_event);
}

}  // namespace

namespace {

// The event files directly in a local run directory, in name order; none if it is not one.
std::vector<std::string> local_run_event_files(const std::string& run_dir) {
  std::vector<std::string> files;
  std::error_code ec;
  if (!fs::is_directory(run_dir, ec)) return files;
  for (const auto& entry : fs::directory_iterator(run_dir, ec)) {
    if (entry.is_regular_file() && is_event_file_name(entry.path().filename().string())) {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The event files directly in a run in a store, in name order: one level of its listing.
std::vector<std::string> stored_run_event_files(const detail::StoreScheme& scheme,
                                                const std::string& run_url) {
  const detail::StoredLogdir run = scheme.open(run_url, 3, {});
  const std::string prefix = run.root.empty() ? "" : run.root + "/";
  std::vector<std::string> files;
  for (const detail::StoredObject& object : run.store->list({prefix, "", true}).objects) {
    if (is_event_file_name(object.key.substr(prefix.size())))  // listed under the prefix
      files.push_back(run.store->url(object.key));
  }
  return files;
}

}  // namespace

std::optional<std::int64_t> last_step(const std::string& run_dir) {
  require_supported_location(run_dir);
  const detail::StoreScheme* scheme = detail::store_scheme_of(run_dir);
  const std::vector<std::string> files =
      scheme ? stored_run_event_files(*scheme, run_dir) : local_run_event_files(run_dir);
  std::optional<std::int64_t> last;
  for_each_event_of(files, [&](const Event& e) {
    if (!e.values.empty() && (!last || e.step > *last)) last = e.step;
  });
  return last;
}

std::vector<ScalarPoint> read_scalars(const RunFiles& run, const std::string& tag) {
  std::vector<ScalarPoint> points;
  for_each_event_of(run.event_files, [&](const Event& e) {
    for (const auto& v : e.values) {
      if (v.kind == ValueKind::kScalar && v.tag == tag)
        points.push_back({e.wall_time, e.step, v.scalar()});
    }
  });
  return points;
}

}  // namespace tblog
