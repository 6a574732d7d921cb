// A finished run's record on disk (what makes an interrupted sweep resumable) and the results
// table of a sweep. No LibTorch here.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "grid.hpp"

namespace trainers {

struct RunRecord {
  std::string name;
  Setting setting;
  double train_accuracy = 0, train_loss = 0, test_accuracy = 0, test_loss = 0, seconds = 0;
  // The options that shaped the results (epochs, batch size, data...): a rerun of the sweep with
  // other options must not report these results as its own.
  Setting options;
  std::string error;     // non-empty: the run failed (diverged, or an error); never written to disk
  bool pending = false;  // not finished yet: another shard of the sweep has it
  bool failed() const { return !error.empty(); }
  bool finished() const { return !failed() && !pending; }
};

// The marker file written once a run has finished; its presence is what "finished" means.
constexpr const char* kRunRecordFile = "run_record.txt";

// A run_record.txt that is not one a finished run wrote (empty, cut short, a number that does
// not parse, an accuracy outside [0, 1]); the message names the file and what is wrong.
class InvalidRunRecord : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

void write_run_record(const std::string& run_dir, const RunRecord& record);
// nullopt when the run has no record; InvalidRunRecord when it has one that is not valid.
std::optional<RunRecord> read_run_record(const std::string& run_dir);

// Before (re)starting a run: a directory left by an interrupted run (no record) is removed, so
// the run starts over cleanly, unless it holds the file `resumable` (a checkpoint the run will
// continue from). Returns the record if the run already finished. An invalid record is reported
// on stderr by path and the run starts over; a finished run whose recorded options differ from
// `options` (when both are known) is a UsageError naming the run and the first difference.
std::optional<RunRecord> prepare_run_dir(const std::string& run_dir,
                                         const std::string& resumable = {},
                                         const Setting& options = {});

// Markdown, best test accuracy first.
std::string results_markdown(std::vector<RunRecord> records);

}  // namespace trainers
