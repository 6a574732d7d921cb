/// @file
/// Precision-recall curves for the PR CURVES dashboard (TensorBoard's pr_curves plugin).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>
#include "tblog/export.hpp"

namespace tblog {

/// The six rows TensorBoard stores for one curve, one value per threshold i / (n - 1).
struct PrCurveData {
  std::vector<double> true_positives;
  std::vector<double> false_positives;
  std::vector<double> true_negatives;
  std::vector<double> false_negatives;
  std::vector<double> precision;
  std::vector<double> recall;
};

struct PrCurveOptions {
  int num_thresholds = 201;         ///< at least 2; TensorBoard's default
  std::vector<float> weights;       ///< empty: every example counts once; else one per example
  std::optional<double> wall_time;  ///< empty: now
};

/// Counts at each threshold exactly as TensorBoard's own pr_curve summary computes them: an example
/// with prediction p falls in bucket floor(p * (n - 1)) (in float32) and counts as predicted
/// positive at every threshold up to its bucket; precision = tp / max(1e-7, tp + fp), recall =
/// tp / max(1e-7, tp + fn). Predictions must lie in [0, 1]; throws InvalidArgument otherwise.
TBLOG_API PrCurveData compute_pr_curve(const std::vector<float>& predictions,
                                       const std::vector<bool>& labels,
                                       const PrCurveOptions& options = {});

}  // namespace tblog
