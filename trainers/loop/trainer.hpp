// One training and evaluation loop for every registered model, with full TensorBoard logging.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "../data/datasets.hpp"
#include "../models/classifier.hpp"
#include "tblog/hparams.hpp"
#include "train_config.hpp"

namespace tblog {
class Training;
}

namespace trainers {

struct TrainResult {
  double train_accuracy = 0, train_loss = 0;  // over the last epoch's batches
  double test_accuracy = 0, test_loss = 0;
  double seconds = 0;
  double examples_per_second = 0;    // training throughput
  double logging_seconds = 0;        // spent in logging calls on the training thread
  double visuals_epoch_seconds = 0;  // of which per-epoch diagnostics and visualizations
  double visuals_final_seconds = 0;  // end-of-run visualizations (deconvnet, occlusion, embeddings)
  std::int64_t steps = 0;
  int epochs = 0;
};

// What a resumed run must share with its checkpoint (checkpoint.hpp), as (option, value) pairs:
// the model, the data and its order, the optimisation; --epochs only under a cosine schedule,
// whose rate it sets. The other options may change on resume.
std::vector<std::pair<std::string, std::string>> resume_settings_of(const TrainConfig& c,
                                                                    const DataSplit& data);

// The run's hyperparameters as logged to the HPARAMS dashboard: the settings shown as values
// (settings.cpp) and the model's facts (model, hidden_units, layers, activation), so every model
// has the same keys (HParams draws no line for a session that lacks a value of a shown column).
tblog::HParams hparams_of(const TrainConfig& config);

// The per-epoch series, step = epoch (1, 2, ...): runs with different batch sizes line up.
// Their last values are the run's final metrics, the ones HParams and the results tables show.
// The group is "Epoch", capitalised: TensorBoard's Time Series sorts groups with capitals first
// and opens only the first two (here Epoch and W1_SUMMARY).
inline constexpr const char* kEpochGroup = "Epoch";
inline constexpr const char* kEpochTestAccuracy = "Epoch/test_accuracy";
inline constexpr const char* kEpochTestLoss = "Epoch/test_loss";
inline constexpr const char* kEpochTrainAccuracy = "Epoch/train_accuracy";
inline constexpr const char* kEpochTrainLoss = "Epoch/train_loss";

class DataParallel;

// A seam for tests, set by nothing in tbtrain: called with every run's callbacks after tbtrain's
// own are added, and the run's rank, so that a test build adds its own callbacks (one that kills
// the process after step K tests checkpoints and dead ranks: tests/trainers/fault_injection.cpp).
using TestCallbacksHook = std::function<void(tblog::Training& callbacks, int rank)>;
void set_test_callbacks_hook(TestCallbacksHook hook);

// Throws std::invalid_argument on a bad configuration (unknown optimizer, cuda without CUDA...).
// With `data_parallel`, this process is one rank: it trains on its share of every batch of
// config.batch_size x world_size examples, gradients and metrics are summed over the ranks, and
// every rank ends with the same weights.
TrainResult train_classifier(const TrainConfig& config, const DataSplit& data,
                             DataParallel* data_parallel = nullptr);

// Markdown table of a configuration, for the run's "config" text summary.
std::string config_markdown(const TrainConfig& config, const DataSplit& data);

}  // namespace trainers
