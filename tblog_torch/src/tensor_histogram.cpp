// Scalars and histograms from tensors. Histograms of tensors that the writer cannot take as they
// are (another device, another dtype) are reduced where they live: four statistics and the bucket
// counts by torch ops, then only those numbers are copied.
#include <ATen/ATen.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "tblog/torch/tensors.hpp"
#include "tensor_checks.hpp"

namespace tblog {
namespace {

using torch_detail::flat_values;
using torch_detail::reject;
using torch_detail::require_real;

at::Tensor as_tensor(const std::vector<double>& values, const at::Device& device) {
  return at::tensor(values, at::TensorOptions().dtype(at::kDouble)).to(device);
}

// Counts per bucket of `finite` (doubles) for the default layout: index of the first limit
// strictly greater than each value, as the core's bucketing does.
// The limits go to the device on each call (12 KB): a cached device tensor would outlive the
// CUDA context at exit.
std::vector<double> default_counts(const at::Tensor& finite) {
  const auto& limits = default_bucket_limits();
  const auto n = static_cast<std::int64_t>(limits.size());
  const at::Tensor index =
      at::bucketize(finite, as_tensor(limits, finite.device()), /*out_int32=*/false, /*right=*/true)
          .clamp_max(n - 1);
  const at::Tensor counts = at::bincount(index, {}, n).to(at::kDouble).cpu();
  return {counts.data_ptr<double>(), counts.data_ptr<double>() + n};
}

// The histogram of caller-given edges: one row per pair of edges, `counts[b]` in row b.
Histogram edge_rows(const BucketEdges& edges, const double* counts, const HistogramStats& stats) {
  Histogram h;
  h.stats = stats;
  for (std::size_t b = 0; b + 1 < edges.size(); ++b)
    h.buckets.push_back({edges[b], edges[b + 1], counts[b]});
  return h;
}

// Caller-given edges: a value below the first or above the last edge counts in the first or the
// last bucket (the core's rule), the last bucket closed on the right.
Histogram edge_histogram(const at::Tensor& finite, const BucketEdges& edges,
                         const HistogramStats& stats) {
  const auto k = static_cast<std::int64_t>(edges.size()) - 1;
  const at::Tensor index =
      (at::bucketize(finite, as_tensor(edges, finite.device()), false, true) - 1).clamp(0, k - 1);
  const at::Tensor counts = at::bincount(index, {}, k).to(at::kDouble).cpu();
  return edge_rows(edges, counts.data_ptr<double>(), stats);
}

// v < limit, exactly: every int64 and every double convert to long double without rounding where
// long double has a 64-bit mantissa (x86-64) or more (AArch64's quad).
bool less_than(std::int64_t v, double limit) {
  return static_cast<long double>(v) < static_cast<long double>(limit);
}

// Index of the first of `limits` (ascending) greater than v, exactly; limits.size() if none.
std::size_t first_limit_above(std::int64_t v, const std::vector<double>& limits) {
  return static_cast<std::size_t>(
      std::upper_bound(limits.begin(), limits.end(), v,
                       [](std::int64_t value, double limit) { return less_than(value, limit); }) -
      limits.begin());
}

// Integer tensors on the host, value by value: through double, values above 2^53 lost their
// minimum and maximum and could land one bucket off, and torch's integer sum wraps. Integer
// tensors (labels, counts, indices) are small next to weights, so the copy to the host is cheap.
Histogram integer_histogram(const at::Tensor& values, const BucketEdges& edges) {
  const at::Tensor flat = flat_values(values).to(at::kCPU).to(at::kLong).contiguous();
  const auto* v = flat.data_ptr<std::int64_t>();
  const auto n = static_cast<std::size_t>(flat.numel());
  HistogramStats stats;
  const auto& limits = edges.empty() ? default_bucket_limits() : edges;
  std::vector<double> counts(edges.empty() ? limits.size() : limits.size() - 1);
  if (n > 0) {
    std::int64_t lo = v[0];
    std::int64_t hi = v[0];
    long double sum = 0;
    long double sum_squares = 0;
    for (std::size_t i = 0; i < n; ++i) {
      lo = std::min(lo, v[i]);
      hi = std::max(hi, v[i]);
      const auto x = static_cast<long double>(v[i]);
      sum += x;
      sum_squares += x * x;
      const std::size_t above = first_limit_above(v[i], limits);
      // Default layout: the bucket ending at the first limit above (the last for larger values).
      // Edges: the bucket starting at the last edge at or below (first/last outside the edges,
      // the last closed on the right).
      const std::size_t bucket = edges.empty()
                                     ? std::min(above, counts.size() - 1)
                                     : std::min(above == 0 ? 0 : above - 1, counts.size() - 1);
      counts[bucket] += 1;
    }
    stats.min = static_cast<double>(lo);
    stats.max = static_cast<double>(hi);
    stats.sum = static_cast<double>(sum);
    stats.sum_squares = static_cast<double>(sum_squares);
    stats.count = static_cast<double>(n);
  }
  if (edges.empty()) return histogram_from_default_counts(stats, counts);
  return edge_rows(edges, counts.data(), stats);
}

}  // namespace

void add_scalar(SummaryWriter& writer, std::string_view tag, const at::Tensor& value,
                std::int64_t step) {
  if (!value.defined() || value.numel() != 1)
    reject("add_scalar", tag, "a one-element tensor", value);
  require_real("add_scalar", tag, value, /*allow_bool=*/true);
  writer.add_scalar(tag, value.detach().item<double>(), step);
}

Histogram histogram_of(const at::Tensor& values, const BucketEdges& edges) {
  require_real("histogram_of", "", values);
  if (!edges.empty()) validate_bucket_edges(edges);
  at::NoGradGuard no_grad;
  if (at::isIntegralType(values.scalar_type(), /*includeBool=*/false))
    return integer_histogram(values, edges);
  const at::Tensor all = flat_values(values).to(at::kDouble);
  const at::Tensor finite = all.masked_select(at::isfinite(all));
  HistogramStats stats;
  stats.non_finite = static_cast<std::size_t>(all.numel() - finite.numel());
  if (finite.numel() == 0) {
    if (!edges.empty()) return edge_histogram(finite, edges, stats);
    return histogram_from_default_counts(stats,
                                         std::vector<double>(default_bucket_limits().size()));
  }
  // One stacked tensor, one copy to the host.
  const at::Tensor s =
      at::stack({finite.min(), finite.max(), finite.sum(), finite.square().sum()}).cpu();
  const double* v = s.data_ptr<double>();
  stats.min = v[0];
  stats.max = v[1];
  stats.sum = v[2];
  stats.sum_squares = v[3];
  stats.count = static_cast<double>(finite.numel());
  if (!edges.empty()) return edge_histogram(finite, edges, stats);
  return histogram_from_default_counts(stats, default_counts(finite));
}

void add_histogram(SummaryWriter& writer, std::string_view tag, const at::Tensor& values,
                   std::int64_t step, const HistogramOptions& options) {
  require_real("add_histogram", tag, values);
  const auto type = values.scalar_type();
  if (values.device().is_cpu() && (type == at::kFloat || type == at::kDouble)) {
    // The writer copies (or buckets) the values itself; contiguous() copies only a strided view.
    const at::Tensor flat = values.detach().contiguous();
    const auto n = static_cast<std::size_t>(flat.numel());
    if (type == at::kFloat)
      writer.add_histogram(tag, flat.data_ptr<float>(), n, step, options);
    else
      writer.add_histogram(tag, flat.data_ptr<double>(), n, step, options);
    return;
  }
  writer.add_histogram_data(tag, histogram_of(values, options.edges), step, options.wall_time);
}

}  // namespace tblog
