// Everything one training run writes to TensorBoard, behind one switch (TrainConfig::logging):
// the writer and the callbacks (tblog's ready plugins, run_callbacks.hpp, visualize/visuals.hpp)
// that the loop drives through a tblog::Training, as any LibTorch loop drives them.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <optional>

#include "../data/datasets.hpp"
#include "../models/classifier.hpp"
#include "../visualize/visuals.hpp"
#include "run_callbacks.hpp"
#include "tblog/summary_writer.hpp"
#include "tblog/torch/callbacks.hpp"
#include "trainer.hpp"

namespace trainers {

class RunLog {
 public:
  // Opens the run: its config and model as text, its HParams session. Resuming after
  // `resumed_step`, it appends a new event file whose purge step discards what the earlier
  // writer logged after that step, and writes nothing of step 0 again.
  // `activation_images`: the test images whose activation statistics are logged after each
  // epoch.
  // `one_of_ranks`: this process is one rank of a data-parallel run; when it does not log, its
  // metrics are still summed with the other ranks' (a TrainingScalars that writes nowhere).
  RunLog(const TrainConfig& config, const DataSplit& data, Classifier& model,
         torch::optim::Optimizer& optimizer, const torch::Tensor& activation_images,
         std::optional<std::int64_t> resumed_step = std::nullopt, bool one_of_ranks = false);
  // A run left by an exception (training never ended) is still closed as failed, so
  // TensorBoard's HParams dashboard does not show it as running forever.
  ~RunLog();
  RunLog(const RunLog&) = delete;
  RunLog& operator=(const RunLog&) = delete;

  // What the loop reports to; with logging off it has no callbacks.
  tblog::Training& callbacks() { return *training_; }
  // What the loop knows beyond tblog::TrainState, for the callbacks (set before each report).
  LoopReport& report() { return report_; }

  // Seconds logging cost the training thread so far (per-epoch visualizations included).
  double seconds() const { return seconds_ + visuals_.epoch; }
  // Seconds of the per-epoch diagnostics and visualizations (part of seconds()).
  double epoch_visuals_seconds() const { return visuals_.epoch; }
  // Seconds of the visualizations at the start and the end of the run.
  double final_visuals_seconds() const { return visuals_.final; }

 private:
  std::unique_ptr<tblog::SummaryWriter> writer_;
  std::unique_ptr<tblog::Training> training_;
  LoopReport report_;
  VisualsSeconds visuals_;
  double seconds_ = 0;
};

}  // namespace trainers
