/// @file
/// A model's parameters and gradients in TensorBoard, one call per logged step:
///
/// ```cpp
///   tblog::ModelSummary summary(writer, *model);  // every named parameter
///   auto loss = torch::nll_loss(model->forward(batch.data), batch.target);
///   loss.backward();
///   summary.before_optimizer_step();  // for the update ratio (optional)
///   optimizer.step();
///   summary.log(step);  // on the steps you choose
/// ```
///
/// Per parameter `<name>`: `<name>_SUMMARY/{max,mean,min,std,variance}` (the series of the classic
/// "W1_SUMMARY" study; `rename` maps names), `histograms/<name>`, `gradients/norm/<name>`,
/// `gradients/histograms/<name>` (opt-in), `updates/log10_ratio/<name>` = log10(std(dw) / std(w)),
/// the ratio practitioners watch (about -3 is healthy); and gradients/global_norm,
/// non_finite/parameters, non_finite/gradients for the whole model. Statistics are computed where
/// the parameters live, a few numbers per parameter copied out.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "tblog/summary_writer.hpp"
#include "tblog/torch/export.hpp"

namespace torch::nn {
class Module;
}

namespace tblog {

struct ModelSummaryOptions {
  std::string include;  ///< ECMAScript regex searched in each parameter's name; empty: all
  std::string exclude;  ///< parameters whose name matches are left out; empty: none
  /// Parameter name ("conv1.weight") -> the name in tags ("W1"); empty: the name itself.
  std::function<std::string(const std::string&)> rename;
  bool statistics = true;            ///< `<name>_SUMMARY/{max,mean,min,std,variance}`
  bool histograms = true;            ///< `histograms/<name>`
  bool gradient_norms = true;        ///< `gradients/norm/<name>`, gradients/global_norm
  bool gradient_histograms = false;  ///< `gradients/histograms/<name>`
  bool update_ratios = true;         ///< `updates/log10_ratio/<name>` (needs before_optimizer_step)
  bool non_finite_counts = true;     ///< non_finite/parameters, non_finite/gradients
};

using NamedTensors = std::vector<std::pair<std::string, at::Tensor>>;

class TBLOG_TORCH_API ModelSummary {
 public:
  /// The module's named parameters (recursively), or any named tensors, e.g. a TorchScript
  /// module's. The tensors are kept by reference (as torch keeps them): in-place updates show.
  ModelSummary(SummaryWriter& writer, const torch::nn::Module& module,
               ModelSummaryOptions options = {});
  ModelSummary(SummaryWriter& writer, NamedTensors parameters, ModelSummaryOptions options = {});

  /// Copies the parameters, so that log(step) can measure the optimizer's update. Call it right
  /// before optimizer.step() on the steps you will log; a no-op when update ratios are off.
  void before_optimizer_step();

  /// Logs everything the options ask for at `step`.
  void log(std::int64_t step);

  /// The parameters summarised, by the names their tags use.
  std::vector<std::string> names() const;

 private:
  struct Entry {
    std::string name;  ///< as in the tags
    at::Tensor parameter;
    at::Tensor before;  ///< the snapshot of before_optimizer_step, undefined otherwise
  };
  SummaryWriter& writer_;
  ModelSummaryOptions options_;
  std::vector<Entry> entries_;
};

/// `<name>_SUMMARY/{max,mean,min,std,variance}` of one tensor (std and variance with Bessel's
/// correction, 0 for a single value), computed where it lives, one copy of five numbers out.
TBLOG_TORCH_API void add_tensor_statistics(SummaryWriter& writer, const std::string& name,
                                           const at::Tensor& tensor, std::int64_t step);

}  // namespace tblog
