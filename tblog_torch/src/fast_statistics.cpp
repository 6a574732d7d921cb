#include "fast_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

// x86-64: the block loop is also compiled for AVX2 and picked at load time (GCC/Clang function
// multi-versioning): twice the lanes of the baseline SSE2 build.
#if defined(__x86_64__) && defined(__GNUC__)
#define TBLOG_STATISTICS_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define TBLOG_STATISTICS_CLONES
#endif

namespace tblog::torch_detail {
namespace {

constexpr std::size_t kBlock = 2048;  // values summed in float before they go to double
constexpr float kInf = std::numeric_limits<float>::infinity();

struct Block {
  double count = 0, mean = 0, m2 = 0;  // m2: sum of squared deviations from the mean
};

// Chan et al.: the mean and squared deviations of two parts combined.
void combine(Block& total, const Block& part) {
  if (part.count == 0) return;
  const double n = total.count + part.count;
  const double delta = part.mean - total.mean;
  total.m2 += part.m2 + delta * delta * total.count * part.count / n;
  total.mean += delta * part.count / n;
  total.count = n;
}

struct BlockSums {
  float sum = 0, squares = 0, low = kInf, high = -kInf, zeros = 0, saturated = 0;
};

// Sums of x - shift and its squares, min, max (and with kCounts, zeros and |x| > saturation)
// of one block. NaN and Inf are not masked: they make the sums non-finite, which the caller
// sees. OpenMP's simd reduction (compiled with -fopenmp-simd: no threads, no runtime) lets the
// compiler keep the partial sums in vector lanes; without kCounts the two counts drop out.
template <bool kCounts>
__attribute__((always_inline)) inline BlockSums sums(const float* x, std::size_t n, float shift,
                                                     float saturation) {
  float s = 0, q = 0, low = kInf, high = -kInf, z = 0, t = 0;
#pragma omp simd reduction(+ : s, q, z, t) reduction(min : low) reduction(max : high)
  for (std::size_t i = 0; i < n; ++i) {
    const float v = x[i], d = v - shift;
    s += d;
    q += d * d;
    low = std::min(low, v);
    high = std::max(high, v);
    if constexpr (kCounts) {
      z += v == 0.0f ? 1.0f : 0.0f;
      t += std::fabs(v) > saturation ? 1.0f : 0.0f;
    }
  }
  return {s, q, low, high, z, t};
}

TBLOG_STATISTICS_CLONES
BlockSums block_sums(const float* x, std::size_t n, float shift, bool counts, float saturation) {
  return counts ? sums<true>(x, n, shift, saturation) : sums<false>(x, n, shift, saturation);
}

}  // namespace

FloatStatistics float_statistics(const float* x, std::size_t n, bool counts, float saturation) {
  FloatStatistics out;
  Block total;
  float lo = kInf, hi = -kInf;
  for (std::size_t start = 0; start < n; start += kBlock) {
    const std::size_t size = std::min(kBlock, n - start);
    const float shift = x[start];
    const BlockSums b = block_sums(x + start, size, shift, counts, saturation);
    if (!std::isfinite(b.sum) || !std::isfinite(b.squares) || !std::isfinite(shift)) {
      out.finite = false;  // NaN or Inf in the data: the caller computes what torch computes
      return out;
    }
    lo = std::min(lo, b.low);
    hi = std::max(hi, b.high);
    out.zeros += static_cast<std::size_t>(b.zeros);
    out.saturated += static_cast<std::size_t>(b.saturated);
    const double mean = static_cast<double>(b.sum) / static_cast<double>(size);
    combine(total,
            {static_cast<double>(size), shift + mean, std::max(0.0, b.squares - b.sum * mean)});
  }
  out.count = n;
  if (n == 0) return out;
  out.min = lo;
  out.max = hi;
  out.mean = total.mean;
  out.variance = n > 1 ? total.m2 / (total.count - 1) : 0.0;
  return out;
}

}  // namespace tblog::torch_detail
