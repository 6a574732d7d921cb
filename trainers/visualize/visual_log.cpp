#include "visual_log.hpp"

#include <torch/torch.h>

#include <utility>

#include "../data/transforms.hpp"
#include "../loop/timed.hpp"
#include "tblog/remote.hpp"
#include "tblog/torch/deconvnet.hpp"
#include "tblog/torch/diagnostics.hpp"
#include "tblog/torch/occlusion.hpp"

namespace trainers {

using tblog::confusion_counts;
using tblog::confusion_matrix_image;
using tblog::followed_maps;
using tblog::most_wrong;
using tblog::most_wrong_grid;
using tblog::OcclusionOptions;
using tblog::strongest_projections_row;
using tblog::top_activation_figure;
namespace {

// Model evaluation mode for the scope (dropout-free models behave the same, but be exact).
class EvalMode {
 public:
  explicit EvalMode(Classifier& model) : model_(model) { model_.module().eval(); }
  ~EvalMode() { model_.module().train(); }
  EvalMode(const EvalMode&) = delete;
  EvalMode& operator=(const EvalMode&) = delete;

 private:
  Classifier& model_;
};

}  // namespace

VisualLog::VisualLog(const TrainConfig& config, const DataSplit& data, Classifier& model,
                     tblog::SummaryWriter& writer, torch::Tensor standardized_test,
                     const LoopReport& report, bool resumed)
    : config_(config),
      data_(data),
      model_(model),
      writer_(writer),
      test_x_(std::move(standardized_test)),
      stack_(model.conv_stack()),
      report_(report),
      resumed_(resumed) {}

void VisualLog::on_train_begin(tblog::TrainState&) {
  if (!resumed_) start();
}

void VisualLog::on_validation_end(tblog::TrainState& state, const tblog::ValidationResult&) {
  epoch(state.epoch, report_.test);
}

void VisualLog::on_train_end(tblog::TrainState& state) {
  if (!state.stop) {
    finish(state.step);
    return;
  }
  try {
    wait();
  } catch (const std::exception&) {  // the run already failed; its own error is the one to say
  }
}

void VisualLog::start() {
  const Timed timed(final_seconds_);
  writer_.add_graph(model_.graph(data_.channels(), data_.image_size()));
  tblog::ModelLayer layers = model_.layers();
  layers.name = config_.model.name;  // "lenet5", "lstm": the model's name, not its C++ type's
  writer_.add_conceptual_graph("layers", layers);
}

// The per-epoch diagnostics run on a worker thread while the next epoch trains: the training
// thread only clones what the worker reads (the conv weights: a few KB) and waits for the
// previous epoch's work, which has had a whole epoch to finish. Measured on LeNet5 and the
// CIFAR-10 subset: 12 ms an epoch (8.6 of them the evolution frame) taken off a 0.7 s epoch.
void VisualLog::epoch(int epoch, const TestPass& test) {
  const Timed timed(epoch_seconds_);
  wait();
  ConvStack snapshot;
  if (!stack_.layers.empty()) {
    snapshot.relu = stack_.relu;
    for (const auto& layer : stack_.layers) {
      snapshot.layers.push_back({layer.name, layer.weight.detach().clone(),
                                 layer.bias.defined() ? layer.bias.detach().clone() : layer.bias,
                                 layer.padding});
    }
  }
  epoch_work_ = std::async(std::launch::async, [this, epoch, test, snapshot = std::move(snapshot)] {
    epoch_diagnostics(epoch, test, snapshot);
  });
  if (config_.deconv_each_epoch && !stack_.layers.empty()) top9_figures(epoch);
}

void VisualLog::wait() {
  if (epoch_work_.valid()) epoch_work_.get();  // rethrows what the worker threw
}

void VisualLog::epoch_diagnostics(int epoch, const TestPass& test, const ConvStack& stack) {
  torch::NoGradGuard no_grad;  // grad mode is per thread
  const auto& names = data_.class_names;
  const auto classes = static_cast<int>(names.size());
  const auto p = test.probabilities.contiguous();
  // A diverged model has no meaningful predictions (the loop stops it as failed right after).
  if (!torch::isfinite(p).all().item<bool>()) return;
  writer_.add_pr_curves(
      "pr_curves", std::vector<float>(p.data_ptr<float>(), p.data_ptr<float>() + p.numel()),
      std::vector<int>(test.labels.data_ptr<std::int64_t>(),
                       test.labels.data_ptr<std::int64_t>() + test.labels.numel()),
      names, epoch);
  writer_.add_image(
      "test_set/confusion_matrix",
      confusion_matrix_image(confusion_counts(p.argmax(1), test.labels, classes), names), epoch);
  const auto wrong = most_wrong(p, test.labels, 16);
  if (!wrong.empty())
    writer_.add_image("test_set/most_wrong", most_wrong_grid(data_.test.images, wrong, names),
                      epoch);
  if (!stack.layers.empty()) {
    // The projections read only the snapshot's weights: the model may train meanwhile.
    const auto subset =
        test_x_.narrow(0, 0, std::min<std::int64_t>(config_.evolution_images, test_x_.size(0)));
    tblog::Image frame = strongest_projections_row(
        stack, subset, static_cast<int>(stack.layers.size()) - 1, followed_maps(stack));
    writer_.add_image("deconvnet/evolution_conv2", frame, epoch);
    evolution_frames_.push_back(std::move(frame));
  }
}

void VisualLog::top9_figures(std::int64_t step) {
  const EvalMode eval(model_);
  const auto n = std::min<std::int64_t>(config_.deconv_images, test_x_.size(0));
  const auto subset = test_x_.narrow(0, 0, n);
  const auto originals = data_.test.images.narrow(0, 0, n);
  for (int layer = 0; layer < static_cast<int>(stack_.layers.size()); ++layer) {
    writer_.add_image("deconvnet/" + stack_.layers[static_cast<std::size_t>(layer)].name + "_top9",
                      top_activation_figure(stack_, originals, subset, layer, 9), step);
  }
}

void VisualLog::finish(std::int64_t step) {
  const Timed timed(final_seconds_);
  wait();
  const EvalMode eval(model_);
  torch::NoGradGuard no_grad;
  if (!stack_.layers.empty()) {
    if (!config_.deconv_each_epoch) top9_figures(step);
    if (evolution_frames_.size() > 1)
      writer_.add_video("deconvnet/evolution_conv2_animation", evolution_frames_, step, {2});
  }
  if (!stack_.layers.empty() || model_.reads_images_spatially()) {
    OcclusionOptions occlusion;
    occlusion.size = config_.occlusion_size;
    occlusion.stride = config_.occlusion_stride;
    occlusion.images = config_.occlusion_images;
    if (config_.occlusion_gray >= 0) {  // that grey level, standardized like the images
      const auto grey =
          torch::full({1, data_.channels(), 1, 1}, config_.occlusion_gray, torch::kUInt8);
      occlusion.fill = Normalizer::fit(data_.train)(grey).flatten();
    }
    if (occlusion.images > 0) {
      const auto k = std::min<std::int64_t>(occlusion.images, test_x_.size(0));
      writer_.add_image(
          "occlusion/maps",
          occlusion_figure([this](const torch::Tensor& x) { return model_.forward(x); }, stack_,
                           data_.test.images.narrow(0, 0, k), test_x_.narrow(0, 0, k),
                           data_.test.labels.narrow(0, 0, k), data_.class_names, occlusion),
          step);
    }
  }
  // The projector's files cannot go to object storage (docs/remote-storage.md): skipped there.
  if (config_.embedding_points > 0 && !tblog::is_remote_path(config_.logdir)) {
    const auto n = std::min<std::int64_t>(config_.embedding_points, test_x_.size(0));
    auto features = model_.features(test_x_.narrow(0, 0, n));
    if (!features.defined()) return;  // a user's model without a features() method
    features = features.to(torch::kCPU).to(torch::kFloat32).contiguous();
    const auto predicted = model_.forward(test_x_.narrow(0, 0, n)).argmax(1).to(torch::kCPU);
    tblog::Embedding e;
    e.rows = static_cast<int>(n);
    e.dims = static_cast<int>(features.size(1));
    e.values.assign(features.data_ptr<float>(), features.data_ptr<float>() + features.numel());
    tblog::EmbeddingColumn label{"label", {}}, guess{"predicted", {}}, right{"correct", {}};
    const auto images = data_.test.images.narrow(0, 0, n).to(torch::kCPU).contiguous();
    const auto c = images.size(1), h = images.size(2), w = images.size(3);
    for (std::int64_t i = 0; i < n; ++i) {
      const auto t = data_.test.labels[i].item<std::int64_t>();
      const auto p = predicted[i].item<std::int64_t>();
      label.values.push_back(data_.class_names[static_cast<std::size_t>(t)]);
      guess.values.push_back(data_.class_names[static_cast<std::size_t>(p)]);
      right.values.push_back(t == p ? "yes" : "no");
      // Thumbnails HxWxC from the CxHxW originals.
      tblog::Image thumb{static_cast<int>(h), static_cast<int>(w), static_cast<int>(c),
                         std::vector<std::uint8_t>(static_cast<std::size_t>(c * h * w))};
      const auto hwc = images[i].permute({1, 2, 0}).contiguous();
      std::copy_n(hwc.data_ptr<std::uint8_t>(), thumb.pixels.size(), thumb.pixels.data());
      e.thumbnails.push_back(std::move(thumb));
    }
    e.metadata = {label, guess, right};
    writer_.add_embedding("test_features", std::move(e), step);
  }
}

}  // namespace trainers
