// A finished run's record on disk (what makes an interrupted sweep resumable) and the results
// table of a sweep. No LibTorch here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "grid.hpp"

namespace trainers {

struct RunRecord {
  std::string name;
  Setting setting;
  double train_accuracy = 0, train_loss = 0, test_accuracy = 0, test_loss = 0, seconds = 0;
  std::string error;     // non-empty: the run failed (diverged, or an error); never written to disk
  bool pending = false;  // not finished yet: another shard of the sweep has it
  bool failed() const { return !error.empty(); }
  bool finished() const { return !failed() && !pending; }
};

// The marker file written once a run has finished; its presence is what "finished" means.
constexpr const char* kRunRecordFile = "run_record.txt";

void write_run_record(const std::string& run_dir, const RunRecord& record);
std::optional<RunRecord> read_run_record(const std::string& run_dir);

// Before (re)starting a run: a directory left by an interrupted run (no record) is removed, so
// the run starts over cleanly, unless it holds the file `resumable` (a checkpoint the run will
// continue from). Returns the record if the run already finished.
std::optional<RunRecord> prepare_run_dir(const std::string& run_dir,
                                         const std::string& resumable = {});

// Markdown, best test accuracy first.
std::string results_markdown(std::vector<RunRecord> records);

}  // namespace trainers
