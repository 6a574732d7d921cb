// ConvVisualizations: the deconvnet and occlusion figures of a conv net as a training plugin.
#include <torch/nn/module.h>

#include <algorithm>

#include "background_work.hpp"
#include "eval_scope.hpp"
#include "kept_views.hpp"
#include "pixels.hpp"
#include "tblog/error.hpp"
#include "tblog/torch/plugins.hpp"

namespace tblog {
namespace {

// A diverged model (NaN or Inf weights) has no features to picture: its figures are skipped.
bool finite_weights(const ConvStack& stack) {
  for (const auto& layer : stack.layers) {
    if (!at::isfinite(layer.weight.detach()).all().item<bool>()) return false;
  }
  return true;
}

// The stack's weights as they are now (a few KB), for drawing while the model trains on.
ConvStack snapshot_of(const ConvStack& stack) {
  ConvStack copy;
  copy.relu = stack.relu;
  for (const auto& layer : stack.layers) {
    copy.layers.push_back({layer.name, layer.weight.detach().clone(),
                           layer.bias.defined() ? layer.bias.detach().clone() : layer.bias,
                           layer.padding});
  }
  return copy;
}

}  // namespace

ConvVisualizations::ConvVisualizations(ConvStack stack, Classify classify,
                                       std::vector<std::string> class_names,
                                       ConvVisualizationOptions options)
    : stack_(std::move(stack)),
      classify_(std::move(classify)),
      class_names_(std::move(class_names)),
      options_(std::move(options)),
      kept_(std::make_unique<torch_detail::KeptViews>()),
      background_(options_.in_background ? std::make_unique<torch_detail::BackgroundWork>()
                                         : nullptr) {
  if (stack_.layers.empty() && options_.occlusion_images <= 0) {
    throw InvalidArgument(
        "ConvVisualizations: the conv stack has no layers and no occlusion maps are asked for "
        "(occlusion_images): nothing to draw");
  }
  if (!classify_) throw InvalidArgument("ConvVisualizations: no classify function");
}

ConvVisualizations::~ConvVisualizations() = default;

void ConvVisualizations::on_validation_end(TrainState& state, const ValidationResult& v) {
  if (!v.inputs.defined() || v.inputs.dim() != 4 || !v.images.defined() ||
      v.images.sizes() != v.inputs.sizes() || !v.targets.defined() ||
      v.targets.numel() != v.inputs.size(0)) {
    throw InvalidArgument(
        "ConvVisualizations: validation_end needs inputs (what the model saw, N x C x H x W), "
        "images of the same shape and one target per image");
  }
  if (!kept_->unchanged()) {
    throw InvalidArgument(
        "ConvVisualizations: the last validation's inputs, images or targets were written into "
        "after validation_end; they are kept as they are (not copied) for the figures at the "
        "end: give each validation tensors of its own");
  }
  at::NoGradGuard no_grad;
  if (!finite_weights(stack_)) return;
  const bool deconvnet = !stack_.layers.empty();
  const std::int64_t n = std::min<std::int64_t>(
      v.inputs.size(0), deconvnet ? std::max({options_.searched_images, options_.occlusion_images,
                                              options_.evolution_images})
                                  : options_.occlusion_images);
  // Kept for the figures at the end as they are, views of the caller's tensors.
  inputs_ = v.inputs.detach().slice(0, 0, n);
  images_ = v.images.detach().slice(0, 0, n);
  labels_ = v.targets.detach().reshape({-1}).slice(0, 0, n);
  kept_->keep({&inputs_, &images_, &labels_});
  if (class_names_.empty() && v.outputs.defined() && v.outputs.dim() == 2) {
    for (std::int64_t c = 0; c < v.outputs.size(1); ++c) class_names_.push_back(std::to_string(c));
  }
  if (!deconvnet) return;
  if (options_.evolution_images > 0) {
    const auto subset = inputs_.slice(0, 0, options_.evolution_images);
    if (background_) {
      // The frame reads a snapshot of the weights: the model trains on meanwhile.
      background_->start(
          [this, writer = state.writer, epoch = state.epoch, subset, stack = snapshot_of(stack_)] {
            at::NoGradGuard no_grad_here;  // grad mode is per thread
            evolution_frame(*writer, epoch, stack, subset);
          });
    } else {
      evolution_frame(*state.writer, state.epoch, stack_, subset);
    }
  }
  if (options_.top_each_validation) {
    const torch_detail::EvalScope eval(state.module);
    top_figures(*state.writer, state.epoch);
  }
}

void ConvVisualizations::evolution_frame(SummaryWriter& w, int epoch, const ConvStack& stack,
                                         const at::Tensor& subset) {
  const int last = static_cast<int>(stack.layers.size()) - 1;
  Image frame = strongest_projections_row(stack, subset, last, followed_maps(stack));
  w.add_image("deconvnet/evolution_" + stack.layers.back().name, frame, epoch);
  evolution_.push_back(std::move(frame));
}

void ConvVisualizations::top_figures(SummaryWriter& w, std::int64_t step) {
  const auto searched = std::min<std::int64_t>(options_.searched_images, inputs_.size(0));
  for (int layer = 0; layer < static_cast<int>(stack_.layers.size()); ++layer) {
    w.add_image(
        "deconvnet/" + stack_.layers[static_cast<std::size_t>(layer)].name + "_top" +
            std::to_string(options_.top),
        top_activation_figure(stack_, torch_detail::to_bytes(images_.slice(0, 0, searched)).cpu(),
                              inputs_.slice(0, 0, searched), layer, options_.top),
        step);
  }
}

void ConvVisualizations::on_train_end(TrainState& state) {
  if (background_) background_->wait();  // the last frame
  if (!inputs_.defined()) return;        // no validation ran
  at::NoGradGuard no_grad;
  if (!finite_weights(stack_)) return;
  const torch_detail::EvalScope eval(state.module);
  const auto step = state.step;
  SummaryWriter& w = *state.writer;
  const bool kept = kept_->unchanged();
  if (!kept) {  // a hook that threw would end the run without its last figures
    w.add_text("deconvnet/not_drawn",
               "ConvVisualizations: the last validation's inputs, images or targets were written "
               "into after validation_end; the figures drawn from them at the end are left out",
               step);
  }
  if (!stack_.layers.empty()) {
    if (!options_.top_each_validation && kept) top_figures(w, step);
    if (evolution_.size() > 1)
      w.add_video("deconvnet/evolution_" + stack_.layers.back().name + "_animation", evolution_,
                  step, {2});
  }
  if (options_.occlusion_images > 0 && !class_names_.empty() && kept) {
    OcclusionOptions occlusion = options_.occlusion;
    occlusion.images = options_.occlusion_images;
    const auto k = std::min<std::int64_t>(occlusion.images, inputs_.size(0));
    w.add_image(
        "occlusion/maps",
        occlusion_figure(classify_, stack_, torch_detail::to_bytes(images_.slice(0, 0, k)).cpu(),
                         inputs_.slice(0, 0, k), labels_.slice(0, 0, k).to(at::kCPU, at::kLong),
                         class_names_, occlusion),
        step);
  }
}

}  // namespace tblog
