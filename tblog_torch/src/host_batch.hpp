// A training batch's loss and correct predictions read on the host without torch ops, where the
// tensors allow it. Each batch hook runs once per optimizer step: on a 5 ms step of a small CNN,
// the dozen torch dispatches that computed the same numbers took about 0.6% of training.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <optional>

namespace tblog::torch_detail {

/// The value of a one-element float or double tensor on the host; nullopt for any other tensor
/// (another device or dtype), whose value is then left to torch ops.
std::optional<double> host_scalar(const at::Tensor& t);

/// How many rows of N x C `outputs` have their largest value (the first one; NaN counts as the
/// largest, as in at::argmax) at the index `targets` gives, for contiguous float or double outputs
/// and contiguous int64 targets on the host; nullopt for any other tensors.
std::optional<std::int64_t> host_correct(const at::Tensor& outputs, const at::Tensor& targets);

}  // namespace tblog::torch_detail
