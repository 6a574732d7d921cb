// ClassifierDiagnostics and Embeddings: what a classifier gets right and wrong, and where it puts
// the validation examples.
#include <ATen/ATen.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "background_work.hpp"
#include "eval_scope.hpp"
#include "kept_views.hpp"
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
                                             std::string split, bool in_background)
    : class_names_(std::move(class_names)),
      most_wrong_(most_wrong),
      split_(std::move(split)),
      background_(in_background ? std::make_unique<torch_detail::BackgroundWork>() : nullptr) {}

ClassifierDiagnostics::~ClassifierDiagnostics() = default;

void ClassifierDiagnostics::on_validation_end(TrainState& state, const ValidationResult& v) {
  if (!usable(v)) return;
  at::NoGradGuard no_grad;
  const auto classes = v.outputs.size(1);
  auto names = names_for(class_names_, classes);
  if (static_cast<std::int64_t>(names.size()) != classes) {
    throw InvalidArgument("ClassifierDiagnostics: " + std::to_string(names.size()) +
                          " class names for outputs of " + std::to_string(classes) + " classes");
  }
  const at::Tensor keep = finite_rows(v.outputs).cpu();
  const std::int64_t kept =
      report_non_finite(state, split_, keep, "the confusion matrix, PR curves and mistakes");
  if (kept == 0) return;
  const bool pictures = most_wrong_ > 0 && v.images.defined() && v.images.dim() == 4 &&
                        v.images.size(0) == keep.numel();
  if (!background_) {
    draw(*state.writer, state.epoch, v.outputs, v.targets, pictures ? v.images : at::Tensor(), keep,
         names);
    return;
  }
  // The outputs and targets are copied (a few values a class): the caller may reuse its own.
  // The images are read as they are: a dataset's tensor, which nothing writes into.
  background_->start([this, writer = state.writer, epoch = state.epoch,
                      outputs = v.outputs.detach().clone(), targets = v.targets.detach().clone(),
                      images = pictures ? v.images.detach() : at::Tensor(), keep,
                      names = std::move(names)] {
    at::NoGradGuard no_grad_here;  // grad mode is per thread
    draw(*writer, epoch, outputs, targets, images, keep, names);
  });
}

void ClassifierDiagnostics::on_train_end(TrainState&) {
  if (background_) background_->wait();
}

void ClassifierDiagnostics::draw(SummaryWriter& w, int epoch, const at::Tensor& outputs,
                                 const at::Tensor& all_targets, const at::Tensor& images,
                                 const at::Tensor& keep, const std::vector<std::string>& names) {
  const auto classes = outputs.size(1);
  const bool all_finite = keep.all().item<bool>();
  at::Tensor probabilities = outputs.detach().to(at::kFloat).softmax(1).cpu();
  at::Tensor targets = all_targets.detach().reshape({-1}).to(at::kCPU, at::kLong);
  if (!all_finite) {
    probabilities = rows(probabilities, keep);
    targets = rows(targets, keep);
  }
  w.add_image(
      split_ + "_set/confusion_matrix",
      confusion_matrix_image(
          confusion_counts(probabilities.argmax(1), targets, static_cast<int>(classes)), names),
      epoch);
  add_pr_curves(w, "pr_curves", probabilities, targets, names, epoch);
  if (!images.defined()) return;
  auto wrong = most_wrong(probabilities, targets, most_wrong_);
  if (wrong.empty()) return;
  // Only the pictures shown become bytes (16 of a validation set of thousands).
  const at::Tensor kept_rows = all_finite ? at::Tensor() : keep.nonzero().reshape({-1});
  std::vector<std::int64_t> shown;
  for (std::size_t i = 0; i < wrong.size(); ++i) {
    shown.push_back(all_finite ? wrong[i].index : kept_rows[wrong[i].index].item<std::int64_t>());
    wrong[i].index = static_cast<std::int64_t>(i);
  }
  const at::Tensor index = at::tensor(shown, at::kLong).to(images.device());
  const at::Tensor pictures = torch_detail::to_bytes(images.detach().index_select(0, index)).cpu();
  w.add_image(split_ + "_set/most_wrong", most_wrong_grid(pictures, wrong, names), epoch);
}

Embeddings::Embeddings(std::vector<std::string> class_names, int points, std::string split,
                       FeaturesOf features_of)
    : class_names_(std::move(class_names)),
      points_(points),
      split_(std::move(split)),
      features_of_(std::move(features_of)),
      kept_(std::make_unique<torch_detail::KeptViews>()) {}

Embeddings::~Embeddings() = default;

void Embeddings::on_validation_end(TrainState&, const ValidationResult& v) {
  if (!kept_->unchanged()) {
    throw InvalidArgument(
        "Embeddings: the last validation's tensors were written into after validation_end; its "
        "points are kept as they are (not copied) for the end: give each validation tensors of "
        "its own");
  }
  if (!usable(v) || points_ <= 0) return;
  if (features_of_ && (!v.inputs.defined() || v.inputs.size(0) != v.outputs.size(0))) {
    throw InvalidArgument(
        "Embeddings: a features function needs the validation's inputs (ValidationResult::inputs, "
        "one row an example)");
  }
  const at::Tensor& source = v.features.defined() ? v.features : v.outputs;
  const std::int64_t n = std::min<std::int64_t>(points_, source.size(0));
  // The first points, as views of the caller's tensors: only the last validation's are written,
  // so the conversions wait for the end.
  if (features_of_) {
    inputs_ = v.inputs.detach().slice(0, 0, n);
  } else {
    features_ = source.detach().slice(0, 0, n).reshape({n, -1});
  }
  predictions_ = v.outputs.detach().slice(0, 0, n).argmax(1);
  labels_ = v.targets.detach().reshape({-1}).slice(0, 0, n);
  images_ =
      v.images.defined() && v.images.size(0) >= n ? v.images.detach().slice(0, 0, n) : at::Tensor();
  kept_->keep({&features_, &inputs_, &labels_, &images_});
  if (class_names_.empty()) class_names_ = names_for({}, v.outputs.size(1));
}

void Embeddings::on_train_end(TrainState& state) {
  if (!kept_->unchanged()) {  // a hook that threw would end the run without its last figures
    state.writer->add_text(split_ + "_features/not_drawn",
                           "Embeddings: the last validation's tensors were written into after "
                           "validation_end; its points are left out of the PROJECTOR",
                           state.step);
    return;
  }
  at::Tensor features = features_;
  if (features_of_ && inputs_.defined()) {
    // The trained model's features of the kept inputs, as it is at the end of the run: after the
    // last validation nothing trained, so these go with that validation's predictions.
    at::NoGradGuard no_grad;
    const torch_detail::EvalScope eval(state.module);
    features = features_of_(inputs_);
    if (features.defined()) features = features.detach().reshape({features.size(0), -1});
  }
  if (!features.defined()) return;  // no validation ran, or the model has no features to offer
  // Points whose features are not finite (a diverged model) are left out: the PROJECTOR cannot
  // place them.
  const at::Tensor all = features.to(at::kCPU, at::kFloat);
  const at::Tensor keep = finite_rows(all);
  const at::Tensor kept = rows(all, keep);
  if (kept.size(0) == 0) return;  // nothing to place
  EmbeddingTensors extras;
  extras.labels = rows(labels_.to(at::kCPU, at::kLong), keep);
  extras.predictions = rows(predictions_.to(at::kCPU, at::kLong), keep);
  extras.class_names = class_names_;
  if (images_.defined()) extras.thumbnails = rows(torch_detail::to_bytes(images_).cpu(), keep);
  add_embedding(*state.writer, split_ + "_features", kept, state.step, extras);
}

}  // namespace tblog
