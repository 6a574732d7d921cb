#include "tblog/torch/probes.hpp"

#include <ATen/ATen.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "fast_statistics.hpp"
#include "tblog/torch/tensors.hpp"

namespace tblog {

ActivationStatistics activation_statistics(std::string_view name, const at::Tensor& activations,
                                           double saturation) {
  if (!activations.defined() || activations.numel() == 0 || activations.is_complex()) {
    throw std::invalid_argument("probe('" + std::string(name) +
                                "'): expected a non-empty real tensor");
  }
  at::NoGradGuard no_grad;
  const at::Tensor cpu = activations.detach();
  if (cpu.device().is_cpu() && cpu.scalar_type() == at::kFloat && cpu.is_contiguous()) {
    const auto n = static_cast<std::size_t>(cpu.numel());
    const auto f = torch_detail::float_statistics(cpu.data_ptr<float>(), n, true,
                                                  static_cast<float>(saturation));
    if (f.count > 0 && f.finite) {
      return {std::string(name),
              f.mean,
              std::sqrt(f.variance),
              f.min,
              f.max,
              f.variance,
              static_cast<double>(f.zeros) / n,
              static_cast<double>(f.saturated) / n};
    }
  }
  const at::Tensor a = activations.detach().to(at::kFloat);
  const auto [var, mean] =
      a.numel() > 1 ? at::var_mean(a) : std::make_tuple(at::zeros({}, a.options()), a.mean());
  const auto [min, max] = at::aminmax(a);
  const at::Tensor s = at::stack({mean, var.sqrt(), min, max, var, (a == 0).to(at::kFloat).mean(),
                                  (a.abs() > saturation).to(at::kFloat).mean()})
                           .cpu();
  const float* v = s.data_ptr<float>();
  return {std::string(name), v[0], v[1], v[2], v[3], v[4], v[5], v[6]};
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
    throw std::invalid_argument("Probes: every must be >= 1 (got " +
                                std::to_string(options_.every) + ")");
}

void Probes::record(std::string_view name, const at::Tensor& activations) {
  if (last_step_ != step_) {
    last_.clear();
    last_step_ = step_;
  }
  last_.push_back(add_activation_statistics(writer_, name, activations, step_, options_));
}

}  // namespace tblog
