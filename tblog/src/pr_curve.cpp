// PR curve counts, computed the way TensorBoard's pr_curve summary does (so curves written by
// tblog and by TensorBoard's own writer from the same data are identical).
#include "tblog/pr_curve.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "pr_curve_internal.hpp"
#include "tblog/error.hpp"

namespace tblog {
namespace detail {

// More thresholds than this cannot be told apart on a chart; the bound keeps the tensor small.
constexpr int kMaxThresholds = 100000;
// TensorBoard's floor under the denominators of precision and recall.
constexpr double kMinimumCount = 1e-7;

void check_pr_curve_input(const std::vector<float>& predictions, const std::vector<bool>& labels,
                          const PrCurveOptions& options, const std::string& what) {
  if (options.num_thresholds < 2 || options.num_thresholds > kMaxThresholds) {
    throw InvalidArgument(what + ": num_thresholds is " + std::to_string(options.num_thresholds) +
                          ", must be in [2, " + std::to_string(kMaxThresholds) + "]");
  }
  if (predictions.empty()) throw InvalidArgument(what + ": no predictions");
  if (labels.size() != predictions.size()) {
    throw InvalidArgument(what + ": " + std::to_string(predictions.size()) + " predictions but " +
                          std::to_string(labels.size()) + " labels");
  }
  if (!options.weights.empty() && options.weights.size() != predictions.size()) {
    throw InvalidArgument(what + ": " + std::to_string(predictions.size()) + " predictions but " +
                          std::to_string(options.weights.size()) + " weights");
  }
  for (std::size_t i = 0; i < predictions.size(); ++i) {
    const float p = predictions[i];
    if (!(p >= 0.f && p <= 1.f)) {  // also false for NaN
      throw InvalidArgument(what + ": prediction " + std::to_string(i) + " is " +
                            std::to_string(p) + ", must be in [0, 1]");
    }
  }
  for (std::size_t i = 0; i < options.weights.size(); ++i) {
    if (!std::isfinite(options.weights[i]) || options.weights[i] < 0.f) {
      throw InvalidArgument(what + ": weight " + std::to_string(i) + " is " +
                            std::to_string(options.weights[i]) + ", must be finite and >= 0");
    }
  }
}

PrCurveData pr_curve_of(const std::vector<float>& predictions, const std::vector<bool>& labels,
                        const PrCurveOptions& options) {
  const auto n = static_cast<std::size_t>(options.num_thresholds);
  const float top_bucket = static_cast<float>(options.num_thresholds - 1);
  std::vector<double> tp(n, 0.0), fp(n, 0.0);
  for (std::size_t i = 0; i < predictions.size(); ++i) {
    // float32 product and floor, as numpy computes it from a float32 array.
    const auto bucket = static_cast<std::size_t>(std::floor(predictions[i] * top_bucket));
    const double weight = options.weights.empty() ? 1.0 : static_cast<double>(options.weights[i]);
    (labels[i] ? tp : fp)[bucket] += weight;
  }
  // An example counts as predicted positive at every threshold at or below its bucket.
  for (std::size_t i = n - 1; i-- > 0;) {
    tp[i] += tp[i + 1];
    fp[i] += fp[i + 1];
  }
  PrCurveData curve;
  curve.true_negatives.resize(n);
  curve.false_negatives.resize(n);
  curve.precision.resize(n);
  curve.recall.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    curve.true_negatives[i] = fp[0] - fp[i];
    curve.false_negatives[i] = tp[0] - tp[i];
    curve.precision[i] = tp[i] / std::max(kMinimumCount, tp[i] + fp[i]);
    curve.recall[i] = tp[i] / std::max(kMinimumCount, tp[i] + curve.false_negatives[i]);
  }
  curve.true_positives = std::move(tp);
  curve.false_positives = std::move(fp);
  return curve;
}

}  // namespace detail

PrCurveData compute_pr_curve(const std::vector<float>& predictions, const std::vector<bool>& labels,
                             const PrCurveOptions& options) {
  detail::check_pr_curve_input(predictions, labels, options, "compute_pr_curve");
  return detail::pr_curve_of(predictions, labels, options);
}

}  // namespace tblog
