#include "tblog/torch/model_summary.hpp"

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include <cmath>
#include <regex>

#include "tblog/torch/tensors.hpp"
#include "tensor_statistics.hpp"

namespace tblog {
namespace {

NamedTensors parameters_of(const torch::nn::Module& module) {
  NamedTensors out;
  for (const auto& item : module.named_parameters(/*recurse=*/true))
    out.emplace_back(item.key(), item.value());
  return out;
}

}  // namespace

void add_tensor_statistics(SummaryWriter& writer, const std::string& name, const at::Tensor& tensor,
                           std::int64_t step) {
  const torch_detail::TensorStatistics s = torch_detail::tensor_statistics(tensor);
  const std::string prefix = name + "_SUMMARY/";
  writer.add_scalar(prefix + "max", s.max, step);
  writer.add_scalar(prefix + "mean", s.mean, step);
  writer.add_scalar(prefix + "min", s.min, step);
  writer.add_scalar(prefix + "std", std::sqrt(s.variance), step);
  writer.add_scalar(prefix + "variance", s.variance, step);
}

ModelSummary::ModelSummary(SummaryWriter& writer, const torch::nn::Module& module,
                           ModelSummaryOptions options)
    : ModelSummary(writer, parameters_of(module), std::move(options)) {}

ModelSummary::ModelSummary(SummaryWriter& writer, NamedTensors parameters,
                           ModelSummaryOptions options)
    : writer_(writer), options_(std::move(options)) {
  const std::regex include(options_.include.empty() ? "" : options_.include);
  const std::regex exclude(options_.exclude.empty() ? "$^" : options_.exclude);
  for (auto& [name, tensor] : parameters) {
    if (!options_.include.empty() && !std::regex_search(name, include)) continue;
    if (!options_.exclude.empty() && std::regex_search(name, exclude)) continue;
    if (!tensor.defined() || tensor.numel() == 0) continue;
    entries_.push_back({options_.rename ? options_.rename(name) : name, tensor, {}});
  }
}

std::vector<std::string> ModelSummary::names() const {
  std::vector<std::string> out;
  for (const auto& e : entries_) out.push_back(e.name);
  return out;
}

void ModelSummary::before_optimizer_step() {
  if (!options_.update_ratios) return;
  at::NoGradGuard no_grad;
  for (auto& e : entries_) e.before = e.parameter.detach().clone();
}

void ModelSummary::log(std::int64_t step) {
  at::NoGradGuard no_grad;
  // Per-parameter results stay on the device until one stacked copy each at the end.
  std::vector<at::Tensor> grad_norms, ratios, non_finite_params, non_finite_grads;
  std::vector<std::size_t> with_grad, with_ratio;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    auto& e = entries_[i];
    const at::Tensor p = e.parameter.detach();
    if (options_.statistics) add_tensor_statistics(writer_, e.name, p, step);
    if (options_.histograms) add_histogram(writer_, "histograms/" + e.name, p, step);
    if (options_.non_finite_counts) non_finite_params.push_back((~at::isfinite(p)).sum());
    const at::Tensor& grad = e.parameter.grad();
    if (grad.defined()) {
      if (options_.gradient_norms) {
        grad_norms.push_back(grad.detach().to(at::kFloat).norm());
        with_grad.push_back(i);
      }
      if (options_.gradient_histograms)
        add_histogram(writer_, "gradients/histograms/" + e.name, grad, step);
      if (options_.non_finite_counts) non_finite_grads.push_back((~at::isfinite(grad)).sum());
    }
    if (options_.update_ratios && e.before.defined() && p.numel() > 1) {
      const at::Tensor w = p.to(at::kFloat);
      ratios.push_back((w - e.before.to(at::kFloat)).std() / w.std());
      with_ratio.push_back(i);
      e.before = at::Tensor();
    }
  }
  if (!ratios.empty()) {
    const at::Tensor r = at::stack(ratios).log10().cpu();
    for (std::size_t k = 0; k < with_ratio.size(); ++k)
      writer_.add_scalar("updates/log10_ratio/" + entries_[with_ratio[k]].name,
                         r.data_ptr<float>()[k], step);
  }
  if (!grad_norms.empty()) {
    const at::Tensor norms = at::stack(grad_norms).cpu();
    const float* n = norms.data_ptr<float>();
    double total = 0;
    for (std::size_t k = 0; k < with_grad.size(); ++k) {
      writer_.add_scalar("gradients/norm/" + entries_[with_grad[k]].name, n[k], step);
      total += static_cast<double>(n[k]) * n[k];
    }
    writer_.add_scalar("gradients/global_norm", std::sqrt(total), step);
  }
  if (!non_finite_params.empty())
    writer_.add_scalar("non_finite/parameters", at::stack(non_finite_params).sum().item<double>(),
                       step);
  if (!non_finite_grads.empty())
    writer_.add_scalar("non_finite/gradients", at::stack(non_finite_grads).sum().item<double>(),
                       step);
}

}  // namespace tblog
