// The diagnostics and visualizations of one run (TrainConfig::visuals), beside RunLog's metrics,
// drawn by tblog's ready plugins (tblog/torch/plugins.hpp) from the test set:
//   at the start (not again when resuming): the model's graph with its shapes, and its layers
//     under the model's name ("lenet5") as the conceptual graph "layers" (ModelGraph);
//   every epoch (step = epoch), on worker threads while the next epoch trains: per-class PR curves
//     "pr_curves/<class>", the confusion matrix "test_set/confusion_matrix", the most confidently
//     wrong test images "test_set/most_wrong" (ClassifierDiagnostics), and for conv nets the
//     strongest conv2 projections "deconvnet/evolution_conv2" (ConvVisualizations);
//   at the end: the deconvnet top-9 figures "deconvnet/conv1_top9" and "deconvnet/conv2_top9" (or
//     every epoch, --deconv-each-epoch), the evolution as an animation, the occlusion maps
//     "occlusion/maps" (ConvVisualizations), and the penultimate features of test images in the
//     PROJECTOR, "test_features" (Embeddings; local logdirs only).
// Image tags sort so that TensorBoard's Images dashboard, which opens only its first two groups,
// opens deconvnet/ and filters/ (the study's subject); occlusion/ and test_set/ follow, closed.
#pragma once

#include <utility>

#include "../data/datasets.hpp"
#include "../loop/timed.hpp"
#include "../loop/train_config.hpp"
#include "../models/classifier.hpp"
#include "tblog/torch/callbacks.hpp"

namespace trainers {

// What the visualizations cost the training thread: per epoch (cloning what the workers read,
// waiting for the previous epoch's work) and at the start and end.
struct VisualsSeconds {
  double epoch = 0;
  double final = 0;
};

// A ready plugin whose hooks add their time to VisualsSeconds.
template <typename Plugin>
class TimedPlugin : public Plugin {
 public:
  template <typename... Args>
  explicit TimedPlugin(VisualsSeconds& seconds, Args&&... args)
      : Plugin(std::forward<Args>(args)...), seconds_(seconds) {}
  void on_train_begin(tblog::TrainState& state) override {
    const Timed timed(seconds_.final);
    Plugin::on_train_begin(state);
  }
  void on_validation_end(tblog::TrainState& state, const tblog::ValidationResult& v) override {
    const Timed timed(seconds_.epoch);
    Plugin::on_validation_end(state, v);
  }
  void on_train_end(tblog::TrainState& state) override {
    const Timed timed(seconds_.final);
    Plugin::on_train_end(state);
  }

 private:
  VisualsSeconds& seconds_;
};

// Adds the plugins that draw them. The loop's validation passes the test set's logits, labels,
// images (as stored) and inputs (standardized, as the model saw them).
void add_visuals(tblog::Training& training, const TrainConfig& config, const DataSplit& data,
                 Classifier& model, VisualsSeconds& seconds);

}  // namespace trainers
