// Pixels from tensors: conversion to 8 bits (or unit floats) on the tensor's device, and the
// copy of finished pixels into tblog Images. Internal to tblog_torch.
#pragma once

#include <ATen/core/Tensor.h>

#include <string_view>
#include <vector>

#include "tblog/image.hpp"

namespace tblog::torch_detail {

// Floating point or uint8: the dtypes images may have.
bool is_image_dtype(const at::Tensor& t);

// Floating values in [0, 1] (NaN as 0, clamped) or uint8, as uint8.
at::Tensor to_bytes(const at::Tensor& t);

// Floating values in [0, 1] (NaN as 0) or uint8 / 255, as float.
at::Tensor to_unit_floats(const at::Tensor& t);

// An HWC uint8 tensor on the host as an Image.
Image host_image(const at::Tensor& hwc);

// A batch NCHW (1, 3 or 4 channels) as N Images, converted in one go on the batch's device.
// Throws std::invalid_argument naming `call` and `tag` on another shape or dtype.
std::vector<Image> batch_images(const char* call, std::string_view tag, const at::Tensor& batch);

}  // namespace tblog::torch_detail
