#include "tblog/histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <random>

#include "tblog/error.hpp"

namespace tblog {
namespace {

double total(const Histogram& h) {
  double n = 0;
  for (const auto& b : h.buckets) n += b.count;
  return n;
}

TEST(DefaultBucketLimits, MatchTensorFlowsLayout) {
  const auto& limits = default_bucket_limits();
  ASSERT_EQ(limits.size(), 1551u);
  EXPECT_EQ(limits.front(), -DBL_MAX);
  EXPECT_EQ(limits.back(), DBL_MAX);
  EXPECT_EQ(limits[775], 0.0);
  EXPECT_DOUBLE_EQ(limits[776], 1e-12);
  EXPECT_NEAR(limits[777], 1.1e-12, 1e-24);
  EXPECT_TRUE(std::is_sorted(limits.begin(), limits.end()));
  EXPECT_EQ(std::adjacent_find(limits.begin(), limits.end()), limits.end());
}

TEST(Histogram, EveryValueLandsInTheBucketAnUpperBoundSearchPicks) {
  // The fast log-based index must agree with the plain definition for every value.
  std::mt19937 rng(1);
  std::vector<double> values;
  for (int i = 0; i < 20000; ++i) {
    const double mag = std::pow(10.0, std::uniform_real_distribution<double>(-14, 21)(rng));
    values.push_back(rng() % 2 ? mag : -mag);
  }
  const auto& limits = default_bucket_limits();
  for (double v : limits) {
    if (std::fabs(v) < 1e300) values.push_back(v);  // exact limits are the tricky ones
  }
  values.push_back(0.0);
  for (double v : values) {
    const Histogram h = make_histogram(&v, 1);
    ASSERT_EQ(h.buckets.size(), 1u);
    const auto b = std::upper_bound(limits.begin(), limits.end(), v) - limits.begin();
    // One value: the row spans min..max, i.e. the value; check via a two-value histogram with a
    // far-away partner instead, which exposes the bucket's limits.
    const double partner = v >= 0 ? -1e25 : 1e25;
    const double pair[2] = {v, partner};
    const Histogram h2 = make_histogram(pair, 2);
    const auto& row = v >= 0 ? h2.buckets.back() : h2.buckets.front();
    if (v >= 0) {
      EXPECT_EQ(row.left, limits[b - 1]) << v;
    } else {
      EXPECT_EQ(row.right, limits[b]) << v;
    }
  }
}

TEST(Histogram, StatsIncludingMinAreUpdated) {
  // A peer's C++ writer never updated min; all-positive input would report min 0.
  const std::vector<float> values = {3.f, 4.f, 5.f, 10.f};
  const Histogram h = make_histogram(values.data(), values.size());
  EXPECT_EQ(h.stats.min, 3.0);
  EXPECT_EQ(h.stats.max, 10.0);
  EXPECT_EQ(h.stats.count, 4.0);
  EXPECT_EQ(h.stats.sum, 22.0);
  EXPECT_EQ(h.stats.sum_squares, 9 + 16 + 25 + 100);
  EXPECT_EQ(h.buckets.front().left, 3.0);
  EXPECT_EQ(h.buckets.back().right, 10.0);
  EXPECT_EQ(total(h), 4.0);
}

TEST(Histogram, RowsAreContiguousAndEmptyRunsMerged) {
  std::mt19937 rng(3);
  std::normal_distribution<float> normal(0.f, 1.f);
  std::vector<float> values(100000);
  for (float& v : values) v = normal(rng);
  values.push_back(1000.f);  // a lone outlier leaves a long empty gap
  const Histogram h = make_histogram(values.data(), values.size());
  EXPECT_EQ(total(h), static_cast<double>(values.size()));
  for (std::size_t i = 1; i < h.buckets.size(); ++i) {
    EXPECT_EQ(h.buckets[i].left, h.buckets[i - 1].right);
    EXPECT_FALSE(h.buckets[i].count == 0 && h.buckets[i - 1].count == 0);
  }
  EXPECT_LT(h.buckets.size(), 600u);
}

TEST(Histogram, NonFiniteValuesAreLeftOutAndCounted) {
  const std::vector<double> values = {1.0, NAN, INFINITY, -INFINITY, 2.0};
  const Histogram h = make_histogram(values.data(), values.size());
  EXPECT_EQ(h.stats.non_finite, 3u);
  EXPECT_EQ(total(h), 2.0);
  EXPECT_EQ(h.stats.min, 1.0);
  const std::vector<double> only_nan = {NAN, NAN};
  const Histogram empty = make_histogram(only_nan.data(), only_nan.size());
  ASSERT_EQ(empty.buckets.size(), 1u);
  EXPECT_EQ(empty.buckets[0].count, 0.0);
}

TEST(Histogram, EqualValuesGiveOneDegenerateRow) {
  const std::vector<float> values(10, 0.5f);
  const Histogram h = make_histogram(values.data(), values.size());
  ASSERT_EQ(h.buckets.size(), 1u);
  EXPECT_EQ(h.buckets[0].left, 0.5);
  EXPECT_EQ(h.buckets[0].right, 0.5);
  EXPECT_EQ(h.buckets[0].count, 10.0);
}

TEST(Histogram, CallerEdges) {
  const std::vector<float> values = {-5.f, 0.f, 0.5f, 1.f, 1.5f, 2.f, 9.f};
  const Histogram h = make_histogram(values.data(), values.size(), {0.0, 1.0, 2.0});
  ASSERT_EQ(h.buckets.size(), 2u);
  EXPECT_EQ(h.buckets[0].count, 3.0);  // -5 (clamped), 0, 0.5
  EXPECT_EQ(h.buckets[1].count, 4.0);  // 1, 1.5, 2 (last bucket closed), 9 (clamped)
  EXPECT_EQ(h.buckets[1].left, 1.0);
  EXPECT_EQ(h.buckets[1].right, 2.0);
}

TEST(Histogram, BadInputThrowsWithAReason) {
  const float one = 1.f;
  EXPECT_THROW(make_histogram(&one, 0), InvalidArgument);
  EXPECT_THROW(make_histogram(&one, 1, {1.0}), InvalidArgument);
  EXPECT_THROW(make_histogram(&one, 1, {1.0, 1.0}), InvalidArgument);
  EXPECT_THROW(make_histogram(&one, 1, {0.0, NAN}), InvalidArgument);
}

TEST(HistogramFromDefaultCounts, RebuildsMakeHistogramsRowsFromCountsBucketedElsewhere) {
  std::mt19937 rng(11);
  std::normal_distribution<double> normal(0.0, 3.0);
  std::vector<double> values(2000);
  for (auto& v : values) v = normal(rng);
  values[5] = 0;
  const Histogram want = make_histogram(values.data(), values.size());
  // Bucket by hand: the index of the first limit strictly greater than each value.
  const auto& limits = default_bucket_limits();
  std::vector<double> counts(limits.size(), 0);
  for (double v : values)
    ++counts[std::upper_bound(limits.begin(), limits.end(), v) - limits.begin()];
  const Histogram got = histogram_from_default_counts(want.stats, counts);
  ASSERT_EQ(got.buckets.size(), want.buckets.size());
  for (std::size_t i = 0; i < got.buckets.size(); ++i) {
    EXPECT_EQ(got.buckets[i].left, want.buckets[i].left);
    EXPECT_EQ(got.buckets[i].right, want.buckets[i].right);
    EXPECT_EQ(got.buckets[i].count, want.buckets[i].count);
  }
}

TEST(HistogramFromDefaultCounts, RefusesWrongSizesAndBadCountsAndKeepsAnEmptyRow) {
  const std::size_t n = default_bucket_limits().size();
  EXPECT_THROW(histogram_from_default_counts({}, std::vector<double>(n - 1)), InvalidArgument);
  std::vector<double> counts(n, 0);
  counts[3] = -1;
  EXPECT_THROW(histogram_from_default_counts({}, counts), InvalidArgument);
  counts[3] = NAN;
  EXPECT_THROW(histogram_from_default_counts({}, counts), InvalidArgument);
  const Histogram empty = histogram_from_default_counts({}, std::vector<double>(n, 0));
  ASSERT_EQ(empty.buckets.size(), 1u);
  EXPECT_EQ(empty.buckets[0].count, 0);
}

}  // namespace
}  // namespace tblog
