// ClassifierDiagnostics and Embeddings: what a classifier gets right and wrong, and where it puts
// the validation examples.
#include <ATen/ATen.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "pixels.hpp"
#include "tblog/error.hpp"
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

// The rows of `outputs` (N x C) with every value finite, as a bool mask on the outputs' device.
at::Tensor finite_rows(const at::Tensor& outputs) {
  return at::isfinite(outputs.detach()).all(1);
}

// The rows of `t` (on the host) that `keep` (a host bool mask) selects.
at::Tensor rows(const at::Tensor& t, const at::Tensor& keep) {
  return t.index_select(0, keep.nonzero().reshape({-1}));
}

// A diverged model's outputs hold NaN or Inf: those rows are left out of the figures, and how
// many were is said once per validation as `<split>_set/non_finite_outputs` (a text), instead of
// a hook throwing out of the training loop.
// Returns how many rows are kept.
std::int64_t report_non_finite(TrainState& state, const std::string& split, const at::Tensor& keep,
                               const char* left_out_of) {
  const std::int64_t kept = keep.sum().item<std::int64_t>();
  const std::int64_t left = keep.numel() - kept;
  if (left > 0 && state.writer) {
    state.writer->add_text(split + "_set/non_finite_outputs",
                           std::to_string(left) + " of " + std::to_string(keep.numel()) +
                               " validation outputs were not finite (NaN or Inf): left out of " +
                               left_out_of,
                           state.epoch);
  }
  return kept;
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
    throw InvalidArgument("ClassifierDiagnostics: " + std::to_string(names.size()) +
                          " class names for outputs of " + std::to_string(classes) + " classes");
  }
  const at::Tensor keep = finite_rows(v.outputs).cpu();
  const std::int64_t kept =
      report_non_finite(state, split_, keep, "the confusion matrix, PR curves and mistakes");
  if (kept == 0) return;
  const bool all_finite = kept == keep.numel();
  at::Tensor probabilities = v.outputs.detach().to(at::kFloat).softmax(1).cpu();
  at::Tensor targets = v.targets.detach().reshape({-1}).to(at::kCPU, at::kLong);
  if (!all_finite) {
    probabilities = rows(probabilities, keep);
    targets = rows(targets, keep);
  }
  SummaryWriter& w = *state.writer;
  w.add_image(
      split_ + "_set/confusion_matrix",
      confusion_matrix_image(
          confusion_counts(probabilities.argmax(1), targets, static_cast<int>(classes)), names),
      state.epoch);
  add_pr_curves(w, "pr_curves", probabilities, targets, names, state.epoch);
  if (most_wrong_ > 0 && v.images.defined() && v.images.dim() == 4 &&
      v.images.size(0) == keep.numel()) {
    auto wrong = most_wrong(probabilities, targets, most_wrong_);
    if (!wrong.empty()) {
      // Only the pictures shown become bytes (16 of a validation set of thousands).
      const at::Tensor kept_rows = all_finite ? at::Tensor() : keep.nonzero().reshape({-1});
      std::vector<std::int64_t> shown;
      for (std::size_t i = 0; i < wrong.size(); ++i) {
        shown.push_back(all_finite ? wrong[i].index
                                   : kept_rows[wrong[i].index].item<std::int64_t>());
        wrong[i].index = static_cast<std::int64_t>(i);
      }
      const at::Tensor index = at::tensor(shown, at::kLong).to(v.images.device());
      const at::Tensor images =
          torch_detail::to_bytes(v.images.detach().index_select(0, index)).cpu();
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
  // Copies of the first points only, as they are (the validation tensors are freed, and may be
  // overwritten): only the last validation's are written, so the conversions wait for the end.
  features_ = source.detach().slice(0, 0, n).reshape({n, -1}).clone();
  labels_ = v.targets.detach().reshape({-1}).slice(0, 0, n).clone();
  images_ = v.images.defined() && v.images.size(0) >= n ? v.images.detach().slice(0, 0, n).clone()
                                                        : at::Tensor();
  if (class_names_.empty()) class_names_ = names_for({}, v.outputs.size(1));
}

void Embeddings::on_train_end(TrainState& state) {
  if (!features_.defined()) return;
  // Points whose features are not finite (a diverged model) are left out: the PROJECTOR cannot
  // place them.
  const at::Tensor all = features_.to(at::kCPU, at::kFloat);
  const at::Tensor keep = finite_rows(all);
  const at::Tensor features = rows(all, keep);
  if (features.size(0) == 0) return;  // nothing to place
  EmbeddingTensors extras;
  extras.labels = rows(labels_.to(at::kCPU, at::kLong), keep);
  extras.class_names = class_names_;
  if (images_.defined()) extras.thumbnails = rows(torch_detail::to_bytes(images_).cpu(), keep);
  add_embedding(*state.writer, split_ + "_features", features, state.step, extras);
}

}  // namespace tblog
