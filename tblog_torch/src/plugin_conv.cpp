// ConvVisualizations: the deconvnet and occlusion figures of a conv net as a training plugin.
#include <torch/nn/module.h>

#include <algorithm>

#include "pixels.hpp"
#include "tblog/error.hpp"
#include "tblog/torch/plugins.hpp"

namespace tblog {
namespace {

// Eval mode for the scope when the training knows its module (dropout off while drawing).
class EvalScope {
 public:
  explicit EvalScope(torch::nn::Module* module) : module_(module) {
    if (module_) {
      was_training_ = module_->is_training();
      module_->eval();
    }
  }
  ~EvalScope() {
    if (module_) module_->train(was_training_);
  }
  EvalScope(const EvalScope&) = delete;
  EvalScope& operator=(const EvalScope&) = delete;

 private:
  torch::nn::Module* module_;
  bool was_training_ = true;
};

}  // namespace

ConvVisualizations::ConvVisualizations(ConvStack stack, Classify classify,
                                       std::vector<std::string> class_names,
                                       ConvVisualizationOptions options)
    : stack_(std::move(stack)),
      classify_(std::move(classify)),
      class_names_(std::move(class_names)),
      options_(std::move(options)) {
  if (stack_.layers.empty())
    throw InvalidArgument("ConvVisualizations: the conv stack has no layers");
  if (!classify_) throw InvalidArgument("ConvVisualizations: no classify function");
}

namespace {

// A diverged model (NaN or Inf weights) has no features to picture: its figures are skipped.
bool finite_weights(const ConvStack& stack) {
  for (const auto& layer : stack.layers) {
    if (!at::isfinite(layer.weight.detach()).all().item<bool>()) return false;
  }
  return true;
}

}  // namespace

void ConvVisualizations::on_validation_end(TrainState& state, const ValidationResult& v) {
  if (!v.inputs.defined() || v.inputs.dim() != 4 || !v.images.defined() ||
      v.images.sizes() != v.inputs.sizes() || !v.targets.defined() ||
      v.targets.numel() != v.inputs.size(0)) {
    throw InvalidArgument(
        "ConvVisualizations: validation_end needs inputs (what the model saw, N x C x H x W), "
        "images of the same shape and one target per image");
  }
  at::NoGradGuard no_grad;
  if (!finite_weights(stack_)) return;
  const std::int64_t n = std::min<std::int64_t>(
      v.inputs.size(0),
      std::max({options_.searched_images, options_.occlusion_images, options_.evolution_images}));
  // Kept for the figures at the end: copies, so the caller's validation tensors can go.
  inputs_ = v.inputs.detach().slice(0, 0, n).clone();
  images_ = torch_detail::to_bytes(v.images.detach().slice(0, 0, n)).cpu().clone();
  labels_ = v.targets.detach().reshape({-1}).slice(0, 0, n).to(at::kCPU, at::kLong).clone();
  if (class_names_.empty() && v.outputs.defined() && v.outputs.dim() == 2) {
    for (std::int64_t c = 0; c < v.outputs.size(1); ++c) class_names_.push_back(std::to_string(c));
  }
  if (options_.evolution_images > 0) {
    const auto subset = inputs_.slice(0, 0, options_.evolution_images);
    const int last = static_cast<int>(stack_.layers.size()) - 1;
    Image frame = strongest_projections_row(stack_, subset, last, followed_maps(stack_));
    state.writer->add_image("deconvnet/evolution_" + stack_.layers.back().name, frame, state.epoch);
    evolution_.push_back(std::move(frame));
  }
}

void ConvVisualizations::on_train_end(TrainState& state) {
  if (!inputs_.defined()) return;  // no validation ran
  at::NoGradGuard no_grad;
  if (!finite_weights(stack_)) return;
  const EvalScope eval(state.module);
  const auto step = state.step;
  SummaryWriter& w = *state.writer;
  const auto searched = std::min<std::int64_t>(options_.searched_images, inputs_.size(0));
  for (int layer = 0; layer < static_cast<int>(stack_.layers.size()); ++layer) {
    w.add_image("deconvnet/" + stack_.layers[static_cast<std::size_t>(layer)].name + "_top" +
                    std::to_string(options_.top),
                top_activation_figure(stack_, images_.slice(0, 0, searched),
                                      inputs_.slice(0, 0, searched), layer, options_.top),
                step);
  }
  if (evolution_.size() > 1)
    w.add_video("deconvnet/evolution_" + stack_.layers.back().name + "_animation", evolution_, step,
                {2});
  if (options_.occlusion_images > 0 && !class_names_.empty()) {
    OcclusionOptions occlusion = options_.occlusion;
    occlusion.images = options_.occlusion_images;
    const auto k = std::min<std::int64_t>(occlusion.images, inputs_.size(0));
    w.add_image("occlusion/maps",
                occlusion_figure(classify_, stack_, images_.slice(0, 0, k), inputs_.slice(0, 0, k),
                                 labels_.slice(0, 0, k), class_names_, occlusion),
                step);
  }
}

}  // namespace tblog
