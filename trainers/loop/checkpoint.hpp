// A training run's checkpoint: everything needed to continue exactly where it stopped (model,
// optimizer, random generator, the epoch's shuffled order and position, running statistics),
// written atomically (a temporary file, then rename) so a crash never leaves half of one.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <optional>
#include <string>

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
  double epoch_loss = 0, epoch_correct = 0, epoch_n = 0;     // the epoch's running sums
  double window_loss = 0, window_correct = 0, window_n = 0;  // since the last train point
};

// The checkpoint file of the run directory `logdir`.
std::string checkpoint_path(const std::string& logdir);

void save_checkpoint(const std::string& logdir, torch::nn::Module& model,
                     const torch::optim::Optimizer& optimizer, const TrainingPosition& position);

// Loads the checkpoint into `model` and `optimizer` (built as for a fresh run) and restores the
// CPU random generator; nothing if the run directory has none. Throws std::runtime_error naming
// the file when it cannot be read.
std::optional<TrainingPosition> load_checkpoint(const std::string& logdir, torch::nn::Module& model,
                                                torch::optim::Optimizer& optimizer);

}  // namespace trainers
