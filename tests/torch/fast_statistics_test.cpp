// tblog_torch/src/fast_statistics: the one-pass statistics against a plain double computation.
#include "fast_statistics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace tblog::torch_detail {
namespace {

struct Reference {
  double min = INFINITY, max = -INFINITY, mean = 0, variance = 0;
  std::size_t count = 0;
};

Reference reference(const std::vector<float>& x) {
  Reference r;
  double sum = 0;
  for (float v : x) {
    if (!std::isfinite(v)) continue;
    r.min = std::min<double>(r.min, v);
    r.max = std::max<double>(r.max, v);
    sum += v;
    ++r.count;
  }
  r.mean = sum / r.count;
  double m2 = 0;
  for (float v : x)
    if (std::isfinite(v)) m2 += (v - r.mean) * (v - r.mean);
  r.variance = r.count > 1 ? m2 / (r.count - 1) : 0;
  return r;
}

void expect_matches(const std::vector<float>& x) {
  const Reference want = reference(x);
  const FloatStatistics got = float_statistics(x.data(), x.size());
  EXPECT_TRUE(got.finite);
  EXPECT_EQ(got.count, want.count);
  EXPECT_EQ(got.min, want.min);
  EXPECT_EQ(got.max, want.max);
  EXPECT_NEAR(got.mean, want.mean, 1e-6 * (std::abs(want.mean) + std::sqrt(want.variance)));
  EXPECT_NEAR(got.variance, want.variance, 1e-4 * want.variance + 1e-12);
}

TEST(FastStatistics, MatchADoublePassOnSizesAroundLanesAndBlocks) {
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.3f, 2.0f);
  for (std::size_t n : {1u, 2u, 7u, 8u, 9u, 2047u, 2048u, 2049u, 100000u}) {
    std::vector<float> x(n);
    for (auto& v : x) v = normal(rng);
    SCOPED_TRACE(n);
    expect_matches(x);
  }
}

TEST(FastStatistics, AccurateWhenTheMeanDwarfsTheSpread) {
  // BatchNorm-like weights: all near 1000, spread 1e-3. Summing squares in float would lose it.
  std::mt19937 rng(8);
  std::normal_distribution<float> normal(1000.0f, 1e-3f);
  std::vector<float> x(300000);
  for (auto& v : x) v = normal(rng);
  const Reference want = reference(x);
  const FloatStatistics got = float_statistics(x.data(), x.size());
  EXPECT_NEAR(got.variance, want.variance, 0.02 * want.variance);
  EXPECT_NEAR(got.mean, want.mean, 1e-6);
}

TEST(FastStatistics, CountsZerosAndSaturationAndSaysWhenValuesAreNotFinite) {
  std::vector<float> x = {0.0f, 0.5f, -0.995f, 2.0f, 0.0f, -1.0f, 0.25f};
  const FloatStatistics s = float_statistics(x.data(), x.size(), true, 0.99f);
  EXPECT_TRUE(s.finite);
  EXPECT_EQ(s.count, 7u);
  EXPECT_EQ(s.zeros, 2u);
  EXPECT_EQ(s.saturated, 3u);  // -0.995, 2, -1
  EXPECT_EQ(s.min, -1.0);
  EXPECT_EQ(s.max, 2.0);
  for (float bad : {NAN, INFINITY, -INFINITY}) {
    std::vector<float> y(5000, 1.0f);
    y[4321] = bad;
    EXPECT_FALSE(float_statistics(y.data(), y.size()).finite) << bad;
    y[4321] = 1.0f;
    y[0] = bad;  // the block's shift itself
    EXPECT_FALSE(float_statistics(y.data(), y.size()).finite) << bad;
  }
  EXPECT_EQ(float_statistics(x.data(), 0).count, 0u);
}

}  // namespace
}  // namespace tblog::torch_detail
