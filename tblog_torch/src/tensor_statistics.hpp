// Statistics of one tensor, the numbers behind ModelSummary's <name>_SUMMARY series and the
// probes' activations/<name>/ series: one vectorised pass for contiguous CPU float tensors
// (fast_statistics), torch ops where the tensor lives for everything else and for tensors holding
// NaN or Inf (whose statistics are then what torch computes). Internal to tblog_torch.
#pragma once

#include <ATen/core/Tensor.h>

namespace tblog::torch_detail {

struct TensorStatistics {
  double min = 0, max = 0, mean = 0, variance = 0;   // variance with Bessel's correction
  double fraction_zero = 0, fraction_saturated = 0;  // with `counts` only
};

// `tensor` non-empty and real. With `counts`, also the shares of values exactly 0 and of
// |v| > saturation.
TensorStatistics tensor_statistics(const at::Tensor& tensor, bool counts = false,
                                   double saturation = 0);

}  // namespace tblog::torch_detail
