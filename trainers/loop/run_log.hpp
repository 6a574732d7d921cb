// Everything one training run writes to TensorBoard, behind one switch (TrainConfig::logging),
// with the time it costs the training thread.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "../data/datasets.hpp"
#include "../models/classifier.hpp"
#include "../visualize/visual_log.hpp"
#include "tblog/summary_writer.hpp"
#include "tblog/torch/model_summary.hpp"
#include "trainer.hpp"

namespace trainers {

class RunLog {
 public:
  // Opens the run: its config and model as text, its HParams session. Resuming after
  // `resumed_step`, it appends a new event file whose purge step discards what the earlier
  // writer logged after that step, and writes nothing of step 0 again.
  // `standardized_test`: the test images as the net sees them, for the visualizations.
  RunLog(const TrainConfig& config, const DataSplit& data, Classifier& model,
         const torch::Tensor& standardized_test,
         std::optional<std::int64_t> resumed_step = std::nullopt);
  // A run left by an exception (neither finish() nor fail()) is still closed as failed, so
  // TensorBoard's HParams dashboard does not show it as running forever.
  ~RunLog();
  RunLog(const RunLog&) = delete;
  RunLog& operator=(const RunLog&) = delete;

  // Seconds logging cost the training thread so far (per-epoch visualizations included).
  double seconds() const { return seconds_ + (visuals_ ? visuals_->epoch_seconds() : 0); }
  // Seconds of the per-epoch diagnostics and visualizations (part of seconds()).
  double epoch_visuals_seconds() const { return visuals_ ? visuals_->epoch_seconds() : 0; }
  // Seconds of the end-of-run visualizations (final_visuals).
  double final_visuals_seconds() const { return visuals_ ? visuals_->final_seconds() : 0; }

  // Step 0: the untrained filters and weights, the model graph.
  void start();
  // Everything logged so far onto disk (before a checkpoint that claims it).
  void flush();
  // Every --log-every steps: the window's train loss and accuracy, learning rate, throughput.
  void train_point(std::int64_t step, double loss, double accuracy, double lr, double rate);
  // Every --summary-every steps: weight statistics and histograms (gradients too if asked).
  void weights(std::int64_t step);
  // After each epoch: test metrics, the Epoch/ series (step = epoch), filters, activation
  // statistics of `activation_images` (none when it is empty).
  // `test`: the epoch's test predictions, for the per-epoch diagnostics.
  void end_of_epoch(int epoch, std::int64_t step, const TrainResult& result,
                    const torch::Tensor& activation_images, const TestPass& test);
  // After training: deconvnet figures, occlusion maps, embeddings (when visuals are on).
  void final_visuals(std::int64_t step);
  // Closes the run as failed: the reason as its results text, HParams status FAILURE.
  void fail(std::int64_t step, const std::string& why);
  // Closes the run as finished: the results text, HParams status SUCCESS.
  void finish(const TrainResult& result);

 private:
  bool on() const { return writer_ != nullptr; }
  void filters(std::int64_t step);
  void activations(std::int64_t step, const torch::Tensor& images);

  const TrainConfig& config_;
  Classifier& model_;
  std::unique_ptr<tblog::SummaryWriter> writer_;
  tblog::ModelSummaryOptions summary_options_;
  std::unique_ptr<VisualLog> visuals_;
  bool closed_ = false;
  double seconds_ = 0;
};

}  // namespace trainers
