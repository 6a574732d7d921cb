// Loss and correct predictions of a host batch, read in place.
#include "host_batch.hpp"

#include <cmath>

namespace tblog::torch_detail {
namespace {

bool on_host(const at::Tensor& t) {
  return t.defined() && t.device().is_cpu() && !t.is_sparse();
}

template <typename T>
std::int64_t count_correct(const T* rows, std::int64_t n, std::int64_t classes,
                           const std::int64_t* targets) {
  std::int64_t correct = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    const T* row = rows + i * classes;
    std::int64_t best = 0;
    for (std::int64_t j = 1; j < classes && !std::isnan(row[best]); ++j)
      if (std::isnan(row[j]) || row[j] > row[best]) best = j;
    correct += best == targets[i] ? 1 : 0;
  }
  return correct;
}

}  // namespace

std::optional<double> host_scalar(const at::Tensor& t) {
  if (!on_host(t) || t.numel() != 1) return std::nullopt;
  if (t.scalar_type() == at::kFloat) return *t.data_ptr<float>();
  if (t.scalar_type() == at::kDouble) return *t.data_ptr<double>();
  return std::nullopt;
}

std::optional<std::int64_t> host_correct(const at::Tensor& outputs, const at::Tensor& targets) {
  if (!on_host(outputs) || !on_host(targets) || outputs.dim() != 2 || !outputs.is_contiguous() ||
      !targets.is_contiguous() || targets.scalar_type() != at::kLong ||
      targets.numel() != outputs.size(0) || outputs.size(1) == 0)
    return std::nullopt;
  const std::int64_t n = outputs.size(0), classes = outputs.size(1);
  const auto* labels = targets.data_ptr<std::int64_t>();
  if (outputs.scalar_type() == at::kFloat)
    return count_correct(outputs.data_ptr<float>(), n, classes, labels);
  if (outputs.scalar_type() == at::kDouble)
    return count_correct(outputs.data_ptr<double>(), n, classes, labels);
  return std::nullopt;
}

}  // namespace tblog::torch_detail
