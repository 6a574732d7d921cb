#include "logdir_loader.hpp"

#include <atomic>
#include <mutex>
#include <thread>

#include "logdir_index.hpp"
#include "names.hpp"
#include "remote/remote_storage.hpp"
#include "remote/store_schemes.hpp"
#include "tblog/error.hpp"
#include "tblog/reader.hpp"
#include "tblog/remote.hpp"
#include "tblog/text.hpp"

namespace tblog::serve {

struct LogdirLoader::Run {
  Run(std::shared_ptr<RunData> run_data, const SamplingPlan& plan, LogLine warn)
      : data(std::move(run_data)), loader(data, plan, std::move(warn)) {}
  std::shared_ptr<RunData> data;
  RunLoader loader;
  std::vector<std::string> files;  // this pass's listing
  std::size_t records = 0;         // read this pass
};

LogdirLoader::LogdirLoader(std::string logdir, SamplingPlan plan, unsigned threads, LogLine warn)
    : logdir_(std::move(logdir)),
      plan_(std::move(plan)),
      threads_(threads == 0 ? 1 : threads),
      warn_(std::move(warn)),
      write_once_(is_remote_path(logdir_)) {}

LogdirLoader::~LogdirLoader() = default;

PassReport LogdirLoader::reload() {
  const detail::S3RequestCounts before = detail::s3_request_counts();
  std::vector<LogdirProblem> problems;
  bool listed_whole = true;
  std::vector<RunFiles> found;
  if (write_once_) {
    if (!index_) {
      detail::StoredLogdir stored = detail::store_scheme_of(logdir_)->open(logdir_, 3, {});
      store_ = std::move(stored.store);
      index_ = std::make_unique<detail::LogdirIndex>(*store_, stored.root);
    }
    listed_whole = index_->update().whole;
    found = index_->run_files();
  } else {
    found = find_runs(logdir_, problems);
  }
  for (const LogdirProblem& problem : problems) {
    const std::string line = printable_text(problem.path) + ": " + printable_text(problem.reason);
    if (problems_reported_.insert(line).second) warn_(line + " (left out)");
  }

  std::map<std::string, std::unique_ptr<Run>> next;
  for (const RunFiles& run_files : found) {
    std::string name = valid_utf8(run_files.name);
    if (next.count(name) != 0) continue;  // two directory names that differ only in bad bytes
    const auto existing = loaders_.find(name);
    std::unique_ptr<Run> run =
        existing != loaders_.end()
            ? std::move(existing->second)
            : std::make_unique<Run>(std::make_shared<RunData>(), plan_, warn_);
    run->files = run_files.event_files;
    next.emplace(std::move(name), std::move(run));
  }
  loaders_ = std::move(next);  // runs no longer found are gone
  {
    // New runs are served from now on (listed once their first event is read).
    std::unique_lock lock(runs_mutex_);
    runs_.clear();
    for (const auto& [name, run] : loaders_) runs_.emplace(name, run->data);
  }

  std::vector<Run*> work;
  for (auto& [name, run] : loaders_) work.push_back(run.get());
  std::atomic<std::size_t> next_run{0};
  std::mutex timeout_mutex;
  std::string timeout;  // the first unanswered request: the rest of the pass is skipped
  auto load_runs = [&] {
    for (std::size_t i = next_run++; i < work.size(); i = next_run++) {
      try {
        work[i]->records = work[i]->loader.reload(work[i]->files, write_once_);
      } catch (const RemoteTimeout& e) {
        std::lock_guard lock(timeout_mutex);
        if (timeout.empty()) timeout = e.what();
        next_run = work.size();
      } catch (const std::exception& e) {
        warn_(printable_text(e.what()));
      }
    }
  };
  std::vector<std::thread> workers;
  const std::size_t helpers = std::min<std::size_t>(threads_, work.size()) - (work.empty() ? 0 : 1);
  for (std::size_t i = 0; i < helpers; ++i) workers.emplace_back(load_runs);
  load_runs();
  for (std::thread& worker : workers) worker.join();

  // Said once while the store stays silent, not once per object or per pass.
  if (!timeout.empty() && !timed_out_) {
    warn_(printable_text(timeout) + " (this pass stopped there; tried again each pass)");
  }
  timed_out_ = !timeout.empty();

  PassReport report;
  report.runs = work.size();
  for (const Run* run : work) {
    report.files += run->files.size();
    report.records += run->records;
  }
  const detail::S3RequestCounts after = detail::s3_request_counts();
  report.lists = after.list - before.list;
  report.gets = after.get - before.get;
  report.heads = after.head - before.head;
  report.listed_whole = listed_whole;
  return report;
}

std::vector<std::pair<std::string, std::shared_ptr<RunData>>> LogdirLoader::runs() const {
  std::shared_lock lock(runs_mutex_);
  return {runs_.begin(), runs_.end()};
}

std::shared_ptr<RunData> LogdirLoader::run(const std::string& name) const {
  std::shared_lock lock(runs_mutex_);
  const auto found = runs_.find(name);
  return found == runs_.end() ? nullptr : found->second;
}

}  // namespace tblog::serve
