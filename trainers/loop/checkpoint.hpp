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

// Checkpointing as a callback: after every `every`-th step it flushes the run's events (what the
// checkpoint claims is logged is on disk) and saves the model, the optimizer, `position` (which
// the loop keeps current before each batch_end) and the state of `training`'s callbacks; a run
// that finishes removes its checkpoint, so a later --resume starts afresh. Add it last: the
// step's other callbacks must have counted the step before their state is saved.
class Checkpointing : public tblog::Callback {
 public:
  Checkpointing(std::string logdir, std::int64_t every, torch::nn::Module& model,
                torch::optim::Optimizer& optimizer, const tblog::Training& training,
                ResumeSettings settings, const TrainingPosition& position);
  void on_batch_end(tblog::TrainState& state, const tblog::BatchResult& batch) override;
  void on_train_end(tblog::TrainState& state) override;

 private:
  std::string logdir_;
  std::int64_t every_;
  torch::nn::Module& model_;
  torch::optim::Optimizer& optimizer_;
  const tblog::Training& training_;
  ResumeSettings settings_;
  const TrainingPosition& position_;
};

}  // namespace trainers
