// ClassifierDiagnostics and Embeddings: what a classifier gets right and wrong, and where it puts
// the validation examples.
#include <ATen/ATen.h>

#include <algorithm>

#include "pixels.hpp"
#include "tblog/torch/diagnostics.hpp"
#include "tblog/torch/plugins.hpp"
#include "tblog/torch/tensors.hpp"

namespace tblog {
namespace {

std::vector<std::string> names_for(const std::vector<std::string>& given, std::int64_t classes) {
  if (!given.empty()) return given;
  std::vector<std::string> names;
  for (std::int64_t c = 0; c < classes; ++c) names.push_back(std::to_string(c));
  return names;
}

bool usable(const ValidationResult& v) {
  return v.outputs.defined() && v.targets.defined() && v.outputs.dim() == 2 &&
         v.targets.numel() == v.outputs.size(0) && v.outputs.size(0) > 0;
}

}  // namespace

ClassifierDiagnostics::ClassifierDiagnostics(std::vector<std::string> class_names, int most_wrong,
                                             std::string split)
    : class_names_(std::move(class_names)), most_wrong_(most_wrong), split_(std::move(split)) {}

void ClassifierDiagnostics::on_validation_end(TrainState& state, const ValidationResult& v) {
  if (!usable(v)) return;
  at::NoGradGuard no_grad;
  const auto classes = v.outputs.size(1);
  const auto names = names_for(class_names_, classes);
  if (static_cast<std::int64_t>(names.size()) != classes) {
    throw std::invalid_argument("ClassifierDiagnostics: " + std::to_string(names.size()) +
                                " class names for outputs of " + std::to_string(classes) +
                                " classes");
  }
  const at::Tensor probabilities = v.outputs.detach().to(at::kFloat).softmax(1).cpu();
  const at::Tensor targets = v.targets.detach().reshape({-1}).to(at::kCPU, at::kLong);
  SummaryWriter& w = *state.writer;
  w.add_image(
      split_ + "_set/confusion_matrix",
      confusion_matrix_image(
          confusion_counts(probabilities.argmax(1), targets, static_cast<int>(classes)), names),
      state.epoch);
  add_pr_curves(w, "pr_curves", probabilities, targets, names, state.epoch);
  if (most_wrong_ > 0 && v.images.defined() && v.images.dim() == 4 &&
      v.images.size(0) == targets.numel()) {
    const auto wrong = most_wrong(probabilities, targets, most_wrong_);
    if (!wrong.empty()) {
      const at::Tensor images = torch_detail::to_bytes(v.images.detach()).cpu();
      w.add_image(split_ + "_set/most_wrong", most_wrong_grid(images, wrong, names), state.epoch);
    }
  }
}

Embeddings::Embeddings(std::vector<std::string> class_names, int points, std::string split)
    : class_names_(std::move(class_names)), points_(points), split_(std::move(split)) {}

void Embeddings::on_validation_end(TrainState&, const ValidationResult& v) {
  if (!usable(v) || points_ <= 0) return;
  const at::Tensor& source = v.features.defined() ? v.features : v.outputs;
  const std::int64_t n = std::min<std::int64_t>(points_, source.size(0));
  // Copies of the first points only, on the host: the validation tensors are freed.
  features_ = source.detach().slice(0, 0, n).reshape({n, -1}).to(at::kCPU, at::kFloat).clone();
  labels_ = v.targets.detach().reshape({-1}).slice(0, 0, n).to(at::kCPU, at::kLong).clone();
  images_ = v.images.defined() && v.images.size(0) >= n
                ? torch_detail::to_bytes(v.images.detach().slice(0, 0, n)).cpu().clone()
                : at::Tensor();
  if (class_names_.empty()) class_names_ = names_for({}, v.outputs.size(1));
}

void Embeddings::on_train_end(TrainState& state) {
  if (!features_.defined()) return;
  EmbeddingTensors extras;
  extras.labels = labels_;
  extras.class_names = class_names_;
  extras.thumbnails = images_;
  add_embedding(*state.writer, split_ + "_features", features_, state.step, extras);
}

}  // namespace tblog
