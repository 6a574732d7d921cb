// Runs every setting of a grid as its own TensorBoard run (one after another or N at a time),
// resumably. What belongs to the sweep as a whole (HParams experiment, custom-scalar layout,
// results table) goes into the first run's directory (summary_file.hpp): no extra run appears.
#pragma once

#include <string>
#include <vector>

#include "../loop/trainer.hpp"
#include "grid.hpp"
#include "run_record.hpp"
#include "tblog/layout.hpp"

namespace trainers {

struct SweepOptions {
  std::string root;  // each run goes to root/<run name>
  std::string title = "sweep";
  TrainConfig base;
  std::vector<Axis> axes;         // the grid...
  std::vector<Setting> settings;  // ...or, when non-empty, exactly these settings
  int parallel = 1;               // runs at a time
  // Run only the runs i with i % shard_count == shard_index (a job array spreads a grid over
  // nodes that share the file system). Every shard writes the sweep's summary from all run
  // records present, atomically, so the last shard to finish leaves the complete summary.
  int shard_index = 0, shard_count = 1;
  bool collect_only = false;  // train nothing: rebuild the summary from the run records
  bool quiet = false;
  // Write the HParams experiment. Off when a study writes one experiment for several sweeps
  // (TensorBoard uses only the first experiment it finds in a logdir).
  bool write_experiment = true;
  // Write the sweep's results table and layout (off for a stage whose settings a later, larger
  // sweep over the same root repeats, or for a single run that a study reports itself).
  bool write_summary = true;
  // Also log each run's test metrics as "<compare_group>[/<axis>_<value>]/test_accuracy", and
  // lay out one chart per value of `compare_axis` (plus one of all runs): charts that hold this
  // sweep's runs alone even when a logdir holds several sweeps.
  std::string compare_group;
  std::string compare_axis;
};

// The settings a sweep runs: `settings`, or the expansion of `axes`.
std::vector<Setting> settings_of(const SweepOptions& options);

// The HParams name a grid axis sets (fc1 and hidden -> hidden_units, cell -> model...).
std::string hparam_name_of_axis(const std::string& axis);

// The HParams experiment over these runs: one domain per declared hparam, holding exactly the
// values the runs' own sessions carry (hparams_of), so the two cannot disagree; the per-epoch
// final metrics that the results tables show.
tblog::HParamsExperiment experiment_of(const std::string& title,
                                       const std::vector<TrainConfig>& runs,
                                       const std::vector<std::string>& declared_hparams);

// Applies one setting to a copy of `base`: each key is a sweep axis of the settings table
// (loop/settings.hpp: lr, optimizer, batch_size, fc1, hidden...). Throws std::invalid_argument on
// unknown axes, axes of another model, and values not of the axis's type.
TrainConfig apply_setting(TrainConfig base, const Setting& setting);

struct SweepResult {
  std::vector<RunRecord> records;  // in settings order
  RunRecord best;                  // the best of the finished runs
  int failed = 0;                  // runs that failed; the others still ran
  int pending = 0;                 // runs other shards have not finished yet
  std::string table;               // markdown, best first
  std::vector<TrainConfig> configs;
};

// Throws UsageError for an s3:// root: sweeps keep state files beside their runs.
void refuse_remote_root(const std::string& root);

// Validates every setting first (UsageError naming the setting); then runs them. A run that
// fails (diverges, throws) is recorded as failed and the others go on.
SweepResult run_sweep(const SweepOptions& options, const DataSplit& data);

// The custom-scalar layout category of a sweep (its comparison charts).
tblog::LayoutCategory layout_of(const SweepOptions& options);

}  // namespace trainers
