// tbtrain's own callbacks (tblog/torch/callbacks.hpp), beside the ready plugins that write its
// loss, accuracy, learning-rate and throughput series (tblog::TrainingScalars) and its weight
// series (tblog::ModelSummaries over the model's own names, W1_SUMMARY...; run_log.cpp): what only
// tbtrain knows, the first conv layer's filters and activation statistics over fixed test
// images, a comparison group's series, and the run's outcome.
#pragma once

#include <torch/types.h>

#include <cstdint>

#include "../models/classifier.hpp"
#include "tblog/summary_writer.hpp"
#include "tblog/torch/callbacks.hpp"
#include "tblog/torch/model_summary.hpp"
#include "trainer.hpp"

namespace trainers {

// What the loop knows beyond tblog::TrainState, set before the call that reports it.
struct LoopReport {
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

// "<compare_group>/test_accuracy" (step = epoch): the tag only the runs of one comparison share,
// so that one chart holds exactly those runs. It reads the epoch's test accuracy from
// state.metrics, where TrainingScalars, added before it, put it.
class CompareGroupSeries : public tblog::Callback {
 public:
  explicit CompareGroupSeries(CallbackContext context) : c_(context) {}
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
