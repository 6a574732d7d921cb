// One pass over a float array for min, max, mean and variance: the statistics series of
// ModelSummary and the probes on the CPU. LibTorch's var_mean and aminmax take two passes and
// about 6 ns a value on one core (140 ms for a 24M-parameter model, measured in
// bench/torch_layer_bench); this is one vectorised pass. Internal to tblog_torch.
#pragma once

#include <cstddef>
#include <limits>

namespace tblog::torch_detail {

struct FloatStatistics {
  bool finite = true;  // false: the data holds NaN or Inf, and nothing else below is set
  double min = 0, max = 0, mean = 0;
  double variance = 0;        // with Bessel's correction; 0 for a single value
  std::size_t count = 0;      // values
  std::size_t zeros = 0;      // values exactly 0 (with `counts`)
  std::size_t saturated = 0;  // values with |v| > saturation (with `counts`)
};

// Statistics of x[0..n). Accurate when |mean| is far larger than the spread (each block of
// values is shifted by its first value before it is squared, and blocks are combined in double,
// as Chan et al. combine partial variances).
FloatStatistics float_statistics(const float* x, std::size_t n, bool counts = false,
                                 float saturation = std::numeric_limits<float>::infinity());

}  // namespace tblog::torch_detail
