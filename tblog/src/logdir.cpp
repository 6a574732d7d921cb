// A logdir as TensorBoard sees it: every directory holding event files is a run.
#include <algorithm>
#include <filesystem>
#include <map>

#include "tblog/error.hpp"
#include "tblog/reader.hpp"

namespace fs = std::filesystem;

namespace tblog {

bool is_event_file_name(const std::string& filename) {
  return filename.find("tfevents") != std::string::npos;
}

std::vector<RunFiles> find_runs(const std::string& logdir) {
  std::error_code ec;
  if (!fs::is_directory(logdir, ec)) throw IoError("logdir '" + logdir + "' is not a directory");
  std::map<std::string, RunFiles> runs;
  auto consider = [&](const fs::directory_entry& entry) {
    std::error_code file_ec;
    if (!entry.is_regular_file(file_ec)) return;
    if (!is_event_file_name(entry.path().filename().string())) return;
    const fs::path dir = entry.path().parent_path();
    std::string name = fs::relative(dir, logdir, file_ec).generic_string();
    if (name.empty()) name = ".";
    RunFiles& run = runs[name];
    run.name = name;
    run.directory = dir.string();
    run.event_files.push_back(entry.path().string());
  };
  for (fs::recursive_directory_iterator
           it(logdir, fs::directory_options::skip_permission_denied, ec),
       end;
       !ec && it != end; it.increment(ec)) {
    consider(*it);
  }
  if (ec) throw IoError("cannot list logdir '" + logdir + "': " + ec.message());
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

std::optional<std::int64_t> last_step(const std::string& run_dir) {
  std::error_code ec;
  if (!fs::is_directory(run_dir, ec)) return std::nullopt;
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(run_dir, ec)) {
    if (entry.is_regular_file() && is_event_file_name(entry.path().filename().string())) {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
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
        points.push_back({e.wall_time, e.step, v.scalar});
    }
  });
  return points;
}

}  // namespace tblog
