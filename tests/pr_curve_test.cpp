#include "tblog/pr_curve.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "tblog/error.hpp"

namespace tblog {
namespace {

TEST(PrCurve, CountsByHandOnThreeThresholds) {
  // Thresholds 0, 0.5, 1: buckets floor(p * 2) are 0, 0, 0, 1.
  const PrCurveData c = compute_pr_curve({0.1f, 0.4f, 0.35f, 0.8f}, {false, false, true, true},
                                         {3, {}, std::nullopt});
  EXPECT_EQ(c.true_positives, (std::vector<double>{2, 1, 0}));
  EXPECT_EQ(c.false_positives, (std::vector<double>{2, 0, 0}));
  EXPECT_EQ(c.true_negatives, (std::vector<double>{0, 2, 2}));
  EXPECT_EQ(c.false_negatives, (std::vector<double>{0, 1, 2}));
  EXPECT_EQ(c.precision, (std::vector<double>{0.5, 1, 0}));  // 0 / max(1e-7, 0) at the top
  EXPECT_EQ(c.recall, (std::vector<double>{1, 0.5, 0}));
}

TEST(PrCurve, PredictionOfOneFallsInTheLastBucket) {
  const PrCurveData c = compute_pr_curve({1.f, 0.f}, {true, false}, {5, {}, std::nullopt});
  EXPECT_EQ(c.true_positives, (std::vector<double>{1, 1, 1, 1, 1}));
  EXPECT_EQ(c.false_positives, (std::vector<double>{1, 0, 0, 0, 0}));
}

TEST(PrCurve, WeightsScaleTheCounts) {
  const PrCurveData c = compute_pr_curve({0.9f, 0.2f, 0.7f}, {true, true, false},
                                         {2, {2.f, 3.f, 0.5f}, std::nullopt});
  EXPECT_EQ(c.true_positives, (std::vector<double>{5, 0}));
  EXPECT_EQ(c.false_positives, (std::vector<double>{0.5, 0}));
  EXPECT_EQ(c.false_negatives, (std::vector<double>{0, 5}));
}

TEST(PrCurve, BadInputIsRefusedWithItsIndex) {
  auto message = [](const std::vector<float>& p, const std::vector<bool>& l, PrCurveOptions o) {
    try {
      compute_pr_curve(p, l, o);
    } catch (const InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message({0.5f, NAN}, {true, false}, {}),
            "compute_pr_curve: prediction 1 is nan, must be in [0, 1]");
  EXPECT_EQ(message({0.5f, 1.5f}, {true, false}, {}),
            "compute_pr_curve: prediction 1 is 1.500000, must be in [0, 1]");
  EXPECT_EQ(message({0.5f}, {true, false}, {}), "compute_pr_curve: 1 predictions but 2 labels");
  EXPECT_EQ(message({}, {}, {}), "compute_pr_curve: no predictions");
  EXPECT_EQ(message({0.5f}, {true}, {1, {}, std::nullopt}),
            "compute_pr_curve: num_thresholds is 1, must be in [2, 100000]");
  EXPECT_EQ(message({0.5f}, {true}, {201, {1.f, 2.f}, std::nullopt}),
            "compute_pr_curve: 1 predictions but 2 weights");
  EXPECT_EQ(message({0.5f}, {true}, {201, {-1.f}, std::nullopt}),
            "compute_pr_curve: weight 0 is -1.000000, must be finite and >= 0");
}

}  // namespace
}  // namespace tblog
