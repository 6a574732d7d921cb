/// @file
/// Convolution filters as one picture, the first thing to look at in a CNN (Zeiler & Fergus).
#pragma once

#include <ATen/core/Tensor.h>

#include "tblog/image.hpp"
#include "tblog/torch/export.hpp"

namespace tblog {

/// Filters out x in x kh x kw as one numbered grid: colour tiles when in == 3, otherwise one gray
/// tile per (filter, input channel); each tile stretched to its own range and upscaled to about
/// 40 pixels, on a dark blue grid that no weight value can be mistaken for. Throws
/// std::invalid_argument on another shape.
TBLOG_TORCH_API Image filter_grid(const at::Tensor& filters);

}  // namespace tblog
