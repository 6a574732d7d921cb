#include "tblog/torch/probes.hpp"

#include <ATen/ATen.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "tblog/error.hpp"
#include "tblog/torch/tensors.hpp"
#include "tensor_statistics.hpp"

namespace tblog {

ActivationStatistics activation_statistics(std::string_view name, const at::Tensor& activations,
                                           double saturation) {
  if (!activations.defined() || activations.numel() == 0 || activations.is_complex()) {
    throw InvalidArgument("probe('" + std::string(name) + "'): expected a non-empty real tensor");
  }
  const torch_detail::TensorStatistics s =
      torch_detail::tensor_statistics(activations, /*counts=*/true, saturation);
  return {std::string(name), s.mean,          std::sqrt(s.variance), s.min, s.max,
          s.variance,        s.fraction_zero, s.fraction_saturated};
}

ActivationStatistics add_activation_statistics(SummaryWriter& writer, std::string_view name,
                                               const at::Tensor& activations, std::int64_t step,
                                               const ProbeOptions& options) {
  const ActivationStatistics s = activation_statistics(name, activations, options.saturation);
  const std::string prefix = "activations/" + std::string(name) + "/";
  writer.add_scalar(prefix + "mean", s.mean, step);
  writer.add_scalar(prefix + "std", s.std, step);
  writer.add_scalar(prefix + "min", s.min, step);
  writer.add_scalar(prefix + "max", s.max, step);
  writer.add_scalar(prefix + "variance", s.variance, step);
  writer.add_scalar(prefix + "fraction_zero", s.fraction_zero, step);
  writer.add_scalar(prefix + "fraction_saturated", s.fraction_saturated, step);
  if (options.histograms) add_histogram(writer, prefix + "histogram", activations, step);
  return s;
}

std::string activation_table_markdown(const std::vector<ActivationStatistics>& statistics) {
  std::string md =
      "| layer | mean | std | min | max | variance | zero | saturated |\n"
      "|---|---|---|---|---|---|---|---|\n";
  for (const auto& s : statistics) {
    char row[512];
    std::snprintf(row, sizeof row, "| %.4f | %.4f | %.4f | %.4f | %.4f | %.1f%% | %.1f%% |\n",
                  s.mean, s.std, s.min, s.max, s.variance, 100 * s.fraction_zero,
                  100 * s.fraction_saturated);
    md += "| " + s.name + " " + row;
  }
  return md;
}

Probes::Probes(SummaryWriter& writer, ProbeOptions options) : writer_(writer), options_(options) {
  if (options_.every < 1)
    throw InvalidArgument("Probes: every must be >= 1 (got " + std::to_string(options_.every) +
                          ")");
}

void Probes::record(std::string_view name, const at::Tensor& activations) {
  if (last_step_ != step_) {
    last_.clear();
    last_step_ = step_;
  }
  last_.push_back(add_activation_statistics(writer_, name, activations, step_, options_));
}

}  // namespace tblog
