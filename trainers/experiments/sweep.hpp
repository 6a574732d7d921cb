// Runs every setting of a grid as its own TensorBoard run (one after another or N at a time),
// resumably, with an HParams experiment and a results table in the sweep's root directory.
#pragma once

#include <string>
#include <vector>

#include "../loop/trainer.hpp"
#include "grid.hpp"
#include "run_record.hpp"

namespace trainers {

struct SweepOptions {
  std::string root;  // each run goes to root/<run name>
  std::string title = "sweep";
  TrainConfig base;
  std::vector<Axis> axes;
  int parallel = 1;  // runs at a time
  bool quiet = false;
  // Write the HParams experiment in root. Off when a parent directory holds one experiment for
  // several sweeps (TensorBoard uses only the first experiment it finds).
  bool write_experiment = true;
};

// The HParams experiment of a sweep: one domain per grid axis, the trainer's metrics.
tblog::HParamsExperiment experiment_of(const SweepOptions& options);

// Applies one setting (lr, optimizer, batch_size, fc1, activation, cell, hidden, layers, epochs,
// weight_decay, momentum, augment, clip, seed) to a copy of `base`. Throws on unknown keys.
TrainConfig apply_setting(TrainConfig base, const Setting& setting);

struct SweepResult {
  std::vector<RunRecord> records;  // in grid order
  RunRecord best;                  // the best of the runs that did not fail
  int failed = 0;                  // runs that failed; the others still ran
  std::string table;  // markdown, best first
};

// Validates every setting first (UsageError naming the setting); then runs them. A run that
// fails (diverges, throws) is recorded as failed and the others go on.
SweepResult run_sweep(const SweepOptions& options, const DataSplit& data);

}  // namespace trainers
