// Scalars and histograms from tensors. Histograms of tensors that the writer cannot take as they
// are (another device, another dtype) are reduced where they live: four statistics and the bucket
// counts by torch ops, then only those numbers are copied.
#include <ATen/ATen.h>

#include <algorithm>
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

// Caller-given edges: a value below the first or above the last edge counts in the first or the
// last bucket (the core's rule), the last bucket closed on the right.
Histogram edge_histogram(const at::Tensor& finite, const BucketEdges& edges,
                         const HistogramStats& stats) {
  const auto k = static_cast<std::int64_t>(edges.size()) - 1;
  const at::Tensor index =
      (at::bucketize(finite, as_tensor(edges, finite.device()), false, true) - 1).clamp(0, k - 1);
  const at::Tensor counts = at::bincount(index, {}, k).to(at::kDouble).cpu();
  Histogram h;
  h.stats = stats;
  for (std::int64_t b = 0; b < k; ++b)
    h.buckets.push_back({edges[b], edges[b + 1], counts.data_ptr<double>()[b]});
  return h;
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
