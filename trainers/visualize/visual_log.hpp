// Image tags sort so that TensorBoard's Images dashboard, which opens only its first two groups,
// opens deconvnet/ and filters/ (the study's subject); occlusion/ and test_set/ follow, closed.
//
// The diagnostics and visualizations of one run (TrainConfig::visuals), beside RunLog's metrics:
//   every epoch (step = epoch), on a worker thread while the next epoch trains: per-class PR curves
//   "pr_curves/<class>", the confusion matrix
//     "test_set/confusion_matrix", the most confidently wrong test images
//     "test_set/most_wrong", and for conv nets the strongest conv2 projections
//     "deconvnet/evolution_conv2";
//   at the start: the model graph (GRAPHS);
//   at the end: the deconvnet top-9 figures "deconvnet/conv1_top9" and "deconvnet/conv2_top9",
//     the evolution as an animation, the occlusion maps "occlusion/maps", and the penultimate
//     features of test images in the PROJECTOR ("test_features").
#pragma once

#include <torch/types.h>

#include <future>
#include <vector>

#include "../data/datasets.hpp"
#include "../loop/run_callbacks.hpp"
#include "../loop/trainer.hpp"
#include "../models/classifier.hpp"
#include "tblog/summary_writer.hpp"
#include "tblog/torch/callbacks.hpp"

namespace trainers {

class VisualLog : public tblog::Callback {
 public:
  // `standardized_test`: the test images as the net sees them (any device). The per-epoch
  // diagnostics read the report's test predictions.
  VisualLog(const TrainConfig& config, const DataSplit& data, Classifier& model,
            tblog::SummaryWriter& writer, torch::Tensor standardized_test, const LoopReport& report,
            bool resumed);

  // As a callback: the graph at the start (not again when resuming), the diagnostics after each
  // validation, the final figures at the end (only the wait when training was stopped).
  void on_train_begin(tblog::TrainState& state) override;
  void on_validation_end(tblog::TrainState& state, const tblog::ValidationResult&) override;
  void on_train_end(tblog::TrainState& state) override;

  void start();
  void epoch(int epoch, const TestPass& test);
  void finish(std::int64_t step);
  // Waits for the last epoch's diagnostics (rethrowing what they threw): before the writer closes.
  void wait();

  // On the training thread, all epochs together (cloning, waiting for the worker).
  double epoch_seconds() const { return epoch_seconds_; }
  double final_seconds() const { return final_seconds_; }

 private:
  void epoch_diagnostics(int epoch, const TestPass& test, const ConvStack& stack);

  // The deconvnet top-9 figure of every conv layer, at `step`.
  void top9_figures(std::int64_t step);

  const TrainConfig& config_;
  const DataSplit& data_;
  Classifier& model_;
  tblog::SummaryWriter& writer_;
  torch::Tensor test_x_;
  ConvStack stack_;
  std::vector<tblog::Image> evolution_frames_;
  double epoch_seconds_ = 0, final_seconds_ = 0;
  std::future<void> epoch_work_;  // the last epoch's diagnostics; the destructor waits for it
  const LoopReport& report_;
  bool resumed_;
};

}  // namespace trainers
