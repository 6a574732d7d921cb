// A training run's checkpoint: everything needed to continue exactly where it stopped (model,
// optimizer, random generator, the epoch's shuffled order and position, running statistics),
// written atomically (a temporary file, then rename) so a crash never leaves half of one.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tblog/torch/callbacks.hpp"

namespace torch::nn {
class Module;
}
namespace torch::optim {
class Optimizer;
}

namespace trainers {

// Where in the run a checkpoint was taken, and the statistics running at that moment.
struct TrainingPosition {
  int epoch = 1;                // the epoch in progress (1-based)
  std::int64_t next_batch = 0;  // its next batch
  std::int64_t step = 0;        // optimizer steps done
  std::int64_t examples = 0;    // training examples seen
  double training_seconds = 0;
  torch::Tensor order;                                       // the epoch's shuffled example order
  // The epoch's running sums: batch losses, correct predictions, examples, batches. The train
  // points' windows are TrainingScalars' own, in `callbacks`.
  double epoch_loss = 0, epoch_correct = 0, epoch_n = 0, epoch_batches = 0;
  tblog::CallbackState callbacks;  // the callbacks' state (tblog::Training::state_dict)
};

// The checkpoint file of the run directory `logdir`.
std::string checkpoint_path(const std::string& logdir);

// The settings a resumed run must share with the run that made the checkpoint, as (option,
// value) pairs in the order they are checked: what shapes the model, the data order and the
// optimisation. The others (logging cadence, --checkpoint-every, --max-steps above the
// checkpoint's step, --threads, --no-progress) may change on resume.
using ResumeSettings = std::vector<std::pair<std::string, std::string>>;

void save_checkpoint(const std::string& logdir, torch::nn::Module& model,
                     const torch::optim::Optimizer& optimizer, const TrainingPosition& position,
                     const ResumeSettings& settings);

// Loads the checkpoint into `model` and `optimizer` (built as for a fresh run) and restores the
// CPU random generator; nothing if the run directory has none. Throws UsageError naming the
// first option whose value differs from `settings` (before anything is loaded), and
// std::runtime_error naming the file when it is not a readable checkpoint (a FIFO or directory
// included: only regular files are opened).
std::optional<TrainingPosition> load_checkpoint(const std::string& logdir, torch::nn::Module& model,
                                                torch::optim::Optimizer& optimizer,
                                                const ResumeSettings& settings);

}  // namespace trainers
