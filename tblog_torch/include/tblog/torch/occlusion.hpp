/// @file
/// Zeiler & Fergus (2013), section 4.2: occlusion sensitivity. A grey square slides over an image;
/// at each position the classifier runs on the occluded image, giving maps of the correct class's
/// probability, of the total activation of the feature map that responds most to the intact
/// image, and of the most probable label.
#pragma once

#include <torch/types.h>

#include <functional>
#include <string>
#include <vector>

#include "tblog/image.hpp"
#include "tblog/torch/deconvnet.hpp"
#include "tblog/torch/export.hpp"

namespace tblog {

/// A classifier: standardised images N x C x H x W -> logits N x classes.
using Classify = std::function<torch::Tensor(const torch::Tensor&)>;

struct OcclusionOptions {
  int size = 0;    ///< side of the square in pixels; 0: a quarter of the image
  int stride = 2;  ///< pixels between positions
  /// Per channel, in standardized units; undefined: 0 everywhere, the data set's mean (the
  /// paper's grey).
  torch::Tensor fill;
  int images = 4;  ///< test images shown (the first ones)
};

struct OcclusionMaps {
  torch::Tensor probability;  ///< rows x cols: P(true class) with the square at each position
  torch::Tensor activation;   ///< rows x cols: total activation of `strongest_map` (empty: no conv)
  torch::Tensor label;        ///< rows x cols: the most probable class
  std::int64_t strongest_map = -1;
};

/// One standardized image (C x H x W) of class `truth`. The square's top-left corner visits
/// 0, stride, 2 stride... while it fits.
TBLOG_TORCH_API OcclusionMaps occlusion_maps(const Classify& classify, const ConvStack& stack,
                                             const torch::Tensor& image, std::int64_t truth,
                                             const OcclusionOptions& options);

/// A row per image: the input, then each map colour-mapped over it (probability and activation
/// each stretched over its own range, dark low, yellow high; labels in one colour per class),
/// with a legend of the classes' colours.
TBLOG_TORCH_API Image occlusion_figure(const Classify& classify, const ConvStack& stack,
                                       const torch::Tensor& images,
                                       const torch::Tensor& standardized,
                                       const torch::Tensor& labels,
                                       const std::vector<std::string>& class_names,
                                       const OcclusionOptions& options);

}  // namespace tblog
