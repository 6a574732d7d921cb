#include "tensor_summaries.hpp"

#include <fmt/format.h>
#include <torch/torch.h>

namespace trainers {
namespace {

torch::Tensor to_cpu_float(const torch::Tensor& t) {
  return t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
}

}  // namespace

void log_histogram(tblog::SummaryWriter& writer, const std::string& tag,
                   const torch::Tensor& tensor, std::int64_t step) {
  const auto flat = to_cpu_float(tensor).view(-1);
  if (flat.numel() == 0) return;
  writer.add_histogram(tag, flat.data_ptr<float>(), static_cast<std::size_t>(flat.numel()), step);
}

void log_weight_summary(tblog::SummaryWriter& writer, const std::string& name,
                        const torch::Tensor& tensor, std::int64_t step, bool histogram) {
  const auto t = to_cpu_float(tensor);
  // One stacked tensor, one copy out, instead of five separate .item() round trips.
  const auto var = t.numel() > 1 ? t.var() : torch::zeros({});
  const auto stats = torch::stack({t.max(), t.mean(), t.min(), var.sqrt(), var});
  const float* s = stats.data_ptr<float>();
  const std::string prefix = name + "_SUMMARY/";
  writer.add_scalar(prefix + "max", s[0], step);
  writer.add_scalar(prefix + "mean", s[1], step);
  writer.add_scalar(prefix + "min", s[2], step);
  writer.add_scalar(prefix + "std", s[3], step);
  writer.add_scalar(prefix + "variance", s[4], step);
  // Histograms in a group of their own: inside <name>_SUMMARY they would sort before max..variance
  // and fill TensorBoard's first page of that group in Time Series.
  if (histogram) log_histogram(writer, "histograms/" + name, t, step);
}

tblog::Image filter_grid(const torch::Tensor& filters) {
  auto f = to_cpu_float(filters);
  if (f.dim() != 4) throw std::invalid_argument("filter_grid: expected out x in x kh x kw filters");
  int channels = 3;
  if (f.size(1) != 3) {
    f = f.reshape({-1, 1, f.size(2), f.size(3)}).contiguous();  // one gray tile per channel
    channels = 1;
  }
  tblog::GridOptions options;
  options.scale = std::max<int>(1, 40 / static_cast<int>(f.size(2)));
  options.columns = 0;  // near-square (6 filters: 3x2), so the grid fits a TensorBoard card
  options.padding = 3;
  options.separator_color = {{40, 70, 130}};  // dark blue: not a gray level, so not a weight
  options.label_tiles = true;
  options.normalize = tblog::GridNormalize::kPerImage;
  return tblog::make_image_grid(f.data_ptr<float>(), static_cast<int>(f.size(0)), channels,
                                static_cast<int>(f.size(2)), static_cast<int>(f.size(3)), options);
}

ActivationStats log_activation_stats(tblog::SummaryWriter& writer, const std::string& layer,
                                     const torch::Tensor& activations, std::int64_t step) {
  const auto a = to_cpu_float(activations);
  const auto var = a.var();
  const auto stats = torch::stack({a.mean(), var.sqrt(), a.min(), a.max(), var,
                                   (a == 0).to(torch::kFloat32).mean(),
                                   (a.abs() > 0.99f).to(torch::kFloat32).mean()});
  const float* s = stats.data_ptr<float>();
  ActivationStats out{layer, s[0], s[1], s[2], s[3], s[4], s[5], s[6]};
  const std::string prefix = "activations/" + layer + "/";
  writer.add_scalar(prefix + "mean", out.mean, step);
  writer.add_scalar(prefix + "std", out.std, step);
  writer.add_scalar(prefix + "min", out.min, step);
  writer.add_scalar(prefix + "max", out.max, step);
  writer.add_scalar(prefix + "variance", out.variance, step);
  writer.add_scalar(prefix + "fraction_zero", out.fraction_zero, step);
  writer.add_scalar(prefix + "fraction_saturated", out.fraction_saturated, step);
  log_histogram(writer, prefix + "histogram", a, step);
  return out;
}

std::string activation_table_markdown(const std::vector<ActivationStats>& stats) {
  std::string md =
      "| layer | mean | std | min | max | variance | zero | saturated |\n"
      "|---|---|---|---|---|---|---|---|\n";
  for (const auto& s : stats) {
    md += fmt::format("| {} | {:.4f} | {:.4f} | {:.4f} | {:.4f} | {:.4f} | {:.1f}% | {:.1f}% |\n",
                      s.layer, s.mean, s.std, s.min, s.max, s.variance, 100 * s.fraction_zero,
                      100 * s.fraction_saturated);
  }
  return md;
}

}  // namespace trainers
