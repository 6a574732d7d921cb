// tbtrain's logging as tblog::Callback's (tblog/torch/callbacks.hpp): the training loop reports to
// a tblog::Training as a user's own loop does, and these callbacks write what tbtrain has always
// written. They differ from the ready plugins (tblog/torch/plugins.hpp) where tbtrain knows more
// than a BatchResult says: its metrics are summed over the ranks of a data-parallel run, its
// windows survive a checkpoint and resume, its series carry the study's names (W1_SUMMARY, Epoch/).
#pragma once

#include <torch/types.h>

#include <cstdint>

#include "../models/classifier.hpp"
#include "tblog/summary_writer.hpp"
#include "tblog/torch/callbacks.hpp"
#include "tblog/torch/model_summary.hpp"
#include "trainer.hpp"

namespace trainers {

// The test set as the run evaluated it.
struct TestPass {
  torch::Tensor probabilities;  // N x classes, CPU float
  torch::Tensor labels;         // N, CPU int64
};

// What the loop knows beyond tblog::TrainState, set before the call that reports it.
struct LoopReport {
  // Before batch_end: means over the steps since the last train point, over every rank.
  double window_loss = 0, window_accuracy = 0;
  double learning_rate = 0;
  double examples_per_second = 0;  // over the whole run's training time
  // Before validation_end: the epoch's metrics and its test predictions.
  TrainResult epoch;
  TestPass test;
  // Before train_end: the run's result (finished runs).
  TrainResult final_result;
};

// What every callback shares: where to write, what it costs the training thread, whether this
// run continues a checkpointed one (whose writer logged the opening), and the loop's report.
struct CallbackContext {
  const TrainConfig& config;
  Classifier& model;
  tblog::SummaryWriter& writer;
  const LoopReport& report;
  double& seconds;  // logging time on the training thread
  bool resumed = false;
};

// train/loss, train/accuracy, train/learning_rate, perf/examples_per_second every --log-every
// steps.
class TrainPoints : public tblog::Callback {
 public:
  explicit TrainPoints(CallbackContext context) : c_(context) {}
  void on_batch_end(tblog::TrainState& state, const tblog::BatchResult& batch) override;

 private:
  CallbackContext c_;
};

// The weight series of the study (W1_SUMMARY/max|mean|min|std|variance...) and histograms at
// step 0, every --summary-every steps and at the end.
class WeightSeries : public tblog::Callback {
 public:
  explicit WeightSeries(CallbackContext context);
  void on_train_begin(tblog::TrainState& state) override;
  void on_batch_end(tblog::TrainState& state, const tblog::BatchResult& batch) override;
  void on_train_end(tblog::TrainState& state) override;

 private:
  void log(std::int64_t step);
  CallbackContext c_;
  tblog::ModelSummaryOptions options_;
};

// test/loss and test/accuracy (step = optimizer step) and the Epoch/ series (step = epoch), the
// comparison group's series too.
class EpochMetrics : public tblog::Callback {
 public:
  explicit EpochMetrics(CallbackContext context) : c_(context) {}
  void on_validation_end(tblog::TrainState& state, const tblog::ValidationResult&) override;

 private:
  CallbackContext c_;
};

// filters/conv1 at step 0 and after each epoch; the conv layers' activation statistics of
// `images` (--activation-images test images) after each epoch.
class ConvLayerViews : public tblog::Callback {
 public:
  ConvLayerViews(CallbackContext context, torch::Tensor images)
      : c_(context), images_(std::move(images)) {}
  void on_train_begin(tblog::TrainState& state) override;
  void on_validation_end(tblog::TrainState& state, const tblog::ValidationResult&) override;

 private:
  void filters(std::int64_t step);
  CallbackContext c_;
  torch::Tensor images_;
};

// The run's outcome: at the end the results text and the HParams session's status, SUCCESS, or
// FAILURE with the reason when training was stopped; then the writer is closed.
class RunOutcome : public tblog::Callback {
 public:
  explicit RunOutcome(CallbackContext context) : c_(context) {}
  void on_train_end(tblog::TrainState& state) override;

 private:
  CallbackContext c_;
};

}  // namespace trainers
