// A logdir as the data server serves it: its runs (directories holding event files, found as
// TensorBoard finds them, local or s3://), each loaded by its own RunLoader. reload() is one
// pass: new runs and files appear, vanished runs go, and what was appended is read. Passes run
// on the caller's thread with runs spread over `threads` workers; requests read runs() at any
// time. Internal to tblog-data-server.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <set>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "run_loader.hpp"

namespace tblog::detail {
class LogdirIndex;
class ObjectStore;
}  // namespace tblog::detail

namespace tblog::serve {

struct PassReport {
  std::size_t runs = 0;
  std::size_t files = 0;
  std::size_t records = 0;
  // Requests to the object store this pass (s3:// logdirs), and how it was listed: whole, or
  // run by run after each run's last key (logdir_index.hpp).
  std::uint64_t lists = 0, gets = 0, heads = 0;
  bool listed_whole = true;
};

class LogdirLoader {
 public:
  LogdirLoader(std::string logdir, SamplingPlan plan, unsigned threads, LogLine warn);
  ~LogdirLoader();

  // Throws IoError (RemoteError for s3://) when the logdir itself cannot be listed.
  PassReport reload();

  // The runs now, by name.
  std::vector<std::pair<std::string, std::shared_ptr<RunData>>> runs() const;
  std::shared_ptr<RunData> run(const std::string& name) const;
  const std::string& logdir() const { return logdir_; }

 private:
  struct Run;
  std::string logdir_;
  SamplingPlan plan_;
  unsigned threads_;
  LogLine warn_;
  std::map<std::string, std::unique_ptr<Run>> loaders_;  // touched by reload() only
  mutable std::shared_mutex runs_mutex_;
  std::map<std::string, std::shared_ptr<RunData>> runs_;
  std::set<std::string> problems_reported_;
  bool write_once_;         // remote objects are written once: read to their end, never again
  std::shared_ptr<detail::ObjectStore> store_;
  std::unique_ptr<detail::LogdirIndex> index_;  // a remote logdir's listing, pass after pass
  bool timed_out_ = false;  // the last pass met an object store that did not answer
};

}  // namespace tblog::serve
