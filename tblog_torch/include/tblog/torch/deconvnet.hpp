/// @file
/// Zeiler & Fergus (2013), section 2.1: projecting a feature activation back to pixel space with a
/// deconvnet. Run images forward recording each max pool's switches; keep one activation of one
/// feature map and zero the rest of its layer; then, layer by layer down to the pixels: rectify,
/// filter with the layer's transposed filters, unpool with the switches.
#pragma once

#include <torch/types.h>

#include <string>
#include <vector>

#include "tblog/image.hpp"
#include "tblog/torch/export.hpp"

namespace tblog {

/// The convolutional part of a conv net as the deconvnet walks it: every layer is conv ->
/// activation -> 2x2 max pool, in order. The tensors are the model's own (handles, not copies).
struct ConvLayer {
  std::string name;      ///< "conv1"
  torch::Tensor weight;  ///< out x in x k x k
  torch::Tensor bias;    ///< out, or undefined
  int padding = 0;
};
struct ConvStack {
  std::vector<ConvLayer> layers;  ///< empty: not a conv net
  bool relu = false;              ///< the activation: relu, else tanh
};

struct ForwardRecord {
  std::vector<torch::Tensor> activations;  ///< per layer: after the activation, before pooling
  std::vector<torch::Tensor> switches;     ///< per layer: the max pool's argmax indices
};

TBLOG_TORCH_API ForwardRecord forward_with_switches(const ConvStack& stack,
                                                    const torch::Tensor& images);

/// One activation: image `image` of the recorded batch, feature map `map` at (y, x).
struct Activation {
  std::int64_t image = 0;
  std::int64_t map = 0;
  std::int64_t y = 0, x = 0;
  float value = 0;
};

/// Each activation of layer `layer` projected alone to pixel space: K x C x H x W.
TBLOG_TORCH_API torch::Tensor project(const ConvStack& stack, const ForwardRecord& record,
                                      int layer, const std::vector<Activation>& activations);

/// For every feature map of `layer`, the k strongest activations over `images` (each from a
/// different image; image indices refer to `images`), strongest first. Batched, so any number of
/// images fits in memory.
TBLOG_TORCH_API std::vector<std::vector<Activation>> top_activations(const ConvStack& stack,
                                                                     const torch::Tensor& images,
                                                                     int layer, int k,
                                                                     std::int64_t batch = 256);

/// The input window an activation of `layer` at (y, x) sees (its receptive field), in input
/// pixel coordinates (may reach outside the image where the conv pads).
struct Window {
  std::int64_t y0 = 0, x0 = 0, size = 0;
};
TBLOG_TORCH_API Window receptive_field(const ConvStack& stack, int layer, std::int64_t y,
                                       std::int64_t x);

/// The paper's figure for one layer: a row per feature map, its top activations' projections
/// (each cropped to its receptive field and stretched to full contrast), a gap, then the image
/// patches they came from. `images` are the uint8 N x C x H x W originals, `standardized` what the
/// net saw. Rows are labelled with the map number, the halves with what they show.
TBLOG_TORCH_API Image top_activation_figure(const ConvStack& stack, const torch::Tensor& images,
                                            const torch::Tensor& standardized, int layer, int k);

/// For each of `maps` of `layer`: its strongest activation over `standardized`, projected and
/// cropped like the figure above, as one labelled row (a frame of the feature-evolution series).
TBLOG_TORCH_API Image strongest_projections_row(const ConvStack& stack,
                                                const torch::Tensor& standardized, int layer,
                                                const std::vector<std::int64_t>& maps);

/// The feature maps a feature-evolution series follows: the last layer's first eight (or all, if
/// fewer).
TBLOG_TORCH_API std::vector<std::int64_t> followed_maps(const ConvStack& stack);

}  // namespace tblog
