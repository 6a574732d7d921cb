#include "tensor_statistics.hpp"

#include <ATen/ATen.h>

#include "fast_statistics.hpp"

namespace tblog::torch_detail {

TensorStatistics tensor_statistics(const at::Tensor& tensor, bool counts, double saturation) {
  at::NoGradGuard no_grad;
  const at::Tensor t = tensor.detach();
  if (t.device().is_cpu() && t.scalar_type() == at::kFloat && t.is_contiguous()) {
    const auto n = static_cast<std::size_t>(t.numel());
    const FloatStatistics f =
        float_statistics(t.data_ptr<float>(), n, counts, static_cast<float>(saturation));
    if (f.count > 0 && f.finite) {
      return {f.min,
              f.max,
              f.mean,
              f.variance,
              static_cast<double>(f.zeros) / n,
              static_cast<double>(f.saturated) / n};
    }
  }
  // One stacked tensor, one copy to the host.
  const at::Tensor a = t.to(at::kFloat);
  const auto [var, mean] =
      a.numel() > 1 ? at::var_mean(a) : std::make_tuple(at::zeros({}, a.options()), a.mean());
  const auto [min, max] = at::aminmax(a);
  std::vector<at::Tensor> parts = {min, max, mean, var};
  if (counts) {
    parts.push_back((a == 0).to(at::kFloat).mean());
    parts.push_back((a.abs() > saturation).to(at::kFloat).mean());
  }
  const at::Tensor s = at::stack(parts).to(at::kCPU, at::kDouble);
  const double* v = s.data_ptr<double>();
  return {v[0], v[1], v[2], v[3], counts ? v[4] : 0.0, counts ? v[5] : 0.0};
}

}  // namespace tblog::torch_detail
