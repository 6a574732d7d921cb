// Histogram bucketing: TensorBoard's default exponential layout and caller-given edges.
#include "tblog/histogram.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "tblog/error.hpp"

namespace tblog {
namespace {

std::vector<double> build_default_limits() {
  std::vector<double> positive;
  for (double v = 1e-12; v < 1e20; v *= 1.1) positive.push_back(v);
  positive.push_back(DBL_MAX);
  std::vector<double> limits;
  limits.reserve(positive.size() * 2 + 1);
  for (auto it = positive.rbegin(); it != positive.rend(); ++it) limits.push_back(-*it);
  limits.push_back(0.0);
  limits.insert(limits.end(), positive.begin(), positive.end());
  return limits;
}

// Index of the first limit strictly greater than x (the bucket x falls in). A logarithm gives
// the position to within a step or two; the comparisons then make it exact.
std::size_t default_bucket_index(double x, const std::vector<double>& limits, std::size_t zero) {
  static const double inv_log_growth = 1.0 / std::log(1.1);
  std::ptrdiff_t guess;
  const double magnitude = std::fabs(x);
  const double k = magnitude <= 1e-12 ? 0.0 : std::log(magnitude / 1e-12) * inv_log_growth;
  const auto steps = static_cast<std::ptrdiff_t>(std::min(k, 1000.0));
  guess = x >= 0 ? static_cast<std::ptrdiff_t>(zero) + 1 + steps
                 : static_cast<std::ptrdiff_t>(zero) - steps;
  const auto last = static_cast<std::ptrdiff_t>(limits.size()) - 1;
  guess = std::clamp<std::ptrdiff_t>(guess, 0, last);
  while (guess < last && limits[guess] <= x) ++guess;
  while (guess > 0 && limits[guess - 1] > x) --guess;
  return static_cast<std::size_t>(guess);
}

template <typename T>
HistogramStats collect_stats(const T* values, std::size_t n) {
  HistogramStats s;
  s.min = INFINITY;
  s.max = -INFINITY;
  for (std::size_t i = 0; i < n; ++i) {
    const double v = values[i];
    if (!std::isfinite(v)) {
      ++s.non_finite;
      continue;
    }
    s.min = std::min(s.min, v);
    s.max = std::max(s.max, v);
    s.count += 1;
    s.sum += v;
    s.sum_squares += v * v;
  }
  if (s.count == 0) s.min = s.max = 0;
  return s;
}

void require_values(std::size_t n) {
  if (n == 0) throw InvalidArgument("histogram input is empty (no values to bucket)");
}

template <typename T>
Histogram bucket_default(const T* values, std::size_t n) {
  require_values(n);
  Histogram h;
  h.stats = collect_stats(values, n);
  if (h.stats.count == 0) {
    h.buckets.push_back({0, 0, 0});  // nothing finite: one empty bucket keeps readers happy
    return h;
  }
  const auto& limits = default_bucket_limits();
  static const std::size_t zero =
      static_cast<std::size_t>(std::find(limits.begin(), limits.end(), 0.0) - limits.begin());
  std::vector<double> counts(limits.size(), 0.0);
  std::size_t first = limits.size(), last = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double v = values[i];
    if (!std::isfinite(v)) continue;
    const std::size_t b = default_bucket_index(v, limits, zero);
    counts[b] += 1;
    first = std::min(first, b);
    last = std::max(last, b);
  }
  for (std::size_t b = first; b <= last; ++b) {
    const double left = b == first ? h.stats.min : limits[b - 1];
    const double right = b == last ? h.stats.max : limits[b];
    if (counts[b] == 0 && !h.buckets.empty() && h.buckets.back().count == 0) {
      h.buckets.back().right = right;  // merge runs of empty buckets into one row
    } else {
      h.buckets.push_back({left, right, counts[b]});
    }
  }
  return h;
}

template <typename T>
Histogram bucket_edges(const T* values, std::size_t n, const std::vector<double>& edges) {
  require_values(n);
  if (edges.size() < 2) {
    throw InvalidArgument("histogram bucket edges: need at least 2 edges, got " +
                          std::to_string(edges.size()));
  }
  for (std::size_t i = 0; i < edges.size(); ++i) {
    if (!std::isfinite(edges[i]) || (i > 0 && !(edges[i] > edges[i - 1]))) {
      throw InvalidArgument("histogram bucket edges must be finite and strictly ascending (edge " +
                            std::to_string(i) + ")");
    }
  }
  Histogram h;
  h.stats = collect_stats(values, n);
  const std::size_t k = edges.size() - 1;
  std::vector<double> counts(k, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const double v = values[i];
    if (!std::isfinite(v)) continue;
    const auto pos = std::upper_bound(edges.begin(), edges.end(), v) - edges.begin();
    const std::size_t b = static_cast<std::size_t>(std::clamp<std::ptrdiff_t>(pos - 1, 0, k - 1));
    counts[b] += 1;
  }
  h.buckets.reserve(k);
  for (std::size_t b = 0; b < k; ++b) h.buckets.push_back({edges[b], edges[b + 1], counts[b]});
  return h;
}

}  // namespace

const std::vector<double>& default_bucket_limits() {
  static const std::vector<double> limits = build_default_limits();
  return limits;
}

Histogram make_histogram(const float* values, std::size_t n) { return bucket_default(values, n); }
Histogram make_histogram(const double* values, std::size_t n) { return bucket_default(values, n); }
Histogram make_histogram(const float* values, std::size_t n, const std::vector<double>& edges) {
  return bucket_edges(values, n, edges);
}
Histogram make_histogram(const double* values, std::size_t n, const std::vector<double>& edges) {
  return bucket_edges(values, n, edges);
}

}  // namespace tblog
