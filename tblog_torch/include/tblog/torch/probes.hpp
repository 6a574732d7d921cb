/// @file
/// Activation statistics without forward hooks (LibTorch's C++ modules have none): the model
/// calls a probe on any tensor inside forward(), and the probe records only on sampled steps.
///
/// ```cpp
///   struct NetImpl : torch::nn::Module {
///     NetImpl() { register_module("conv1", conv1); }
///     torch::Tensor forward(torch::Tensor x) {
///       x = torch::relu(conv1(x));
///       if (probes) (*probes)("conv1", x);  // one branch on steps that are not sampled
///       return x;
///     }
///     torch::nn::Conv2d conv1{torch::nn::Conv2dOptions(1, 6, 5)};
///     tblog::Probes* probes = nullptr;  // set by the training program
///   };
///   TORCH_MODULE(Net);
///
///   Net model;
///   tblog::Probes probes(writer, {/*every=*/100});
///   model->probes = &probes;
///   for (std::int64_t step = 0; step < steps; ++step) {
///     probes.set_step(step);
///     auto out = model->forward(batch.data);
///   }
/// ```
///
/// On a sampled step, each probe writes
/// `activations/<name>/{mean,std,min,max,variance,fraction_zero,fraction_saturated}` and the
/// histogram `activations/<name>/histogram`, computed where the tensor lives. On other steps a
/// probe costs one branch.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tblog/summary_writer.hpp"
#include "tblog/torch/export.hpp"

namespace tblog {

struct ProbeOptions {
  std::int64_t every = 100;  ///< sample steps 0, every, 2*every, ... (>= 1)
  double saturation = 0.99;  ///< |a| above this counts as saturated (tanh, sigmoid*2-1)
  bool histograms = true;    ///< `activations/<name>/histogram`
};

struct ActivationStatistics {
  std::string name;
  double mean = 0, std = 0, min = 0, max = 0, variance = 0;
  double fraction_zero = 0;       ///< exactly 0 (dead ReLUs)
  double fraction_saturated = 0;  ///< |a| > saturation
};

/// Statistics of one activation tensor, computed where it lives (one copy of seven numbers).
TBLOG_TORCH_API ActivationStatistics activation_statistics(std::string_view name,
                                                           const at::Tensor& activations,
                                                           double saturation = 0.99);

/// Writes the statistics (and the histogram) under `activations/<name>/` at `step`.
TBLOG_TORCH_API ActivationStatistics add_activation_statistics(SummaryWriter& writer,
                                                               std::string_view name,
                                                               const at::Tensor& activations,
                                                               std::int64_t step,
                                                               const ProbeOptions& options = {});

/// The statistics as a Markdown table (layer, mean, std, min, max, variance, zero, saturated).
TBLOG_TORCH_API std::string activation_table_markdown(
    const std::vector<ActivationStatistics>& statistics);

class TBLOG_TORCH_API Probes {
 public:
  explicit Probes(SummaryWriter& writer, ProbeOptions options = {});

  /// The step the next forward passes belong to; decides whether they are sampled.
  void set_step(std::int64_t step) {
    step_ = step;
    sampling_ = enabled_ && step % options_.every == 0;
  }
  /// Forces sampling on (or off) for the passes until the next set_step, e.g. for an evaluation.
  void sample_now(bool on) { sampling_ = enabled_ && on; }
  /// Turns every probe off (e.g. during the validation pass) or on again.
  void enable(bool on) {
    enabled_ = on;
    if (!on) sampling_ = false;
  }
  bool sampling() const { return sampling_; }

  void operator()(std::string_view name, const at::Tensor& activations) {
    if (sampling_) record(name, activations);
  }

  /// The statistics recorded since the last set_step, in probe order.
  const std::vector<ActivationStatistics>& last() const { return last_; }

 private:
  void record(std::string_view name, const at::Tensor& activations);

  SummaryWriter& writer_;
  ProbeOptions options_;
  std::int64_t step_ = 0;
  std::int64_t last_step_ = -1;
  bool sampling_ = false;
  bool enabled_ = true;
  std::vector<ActivationStatistics> last_;
};

}  // namespace tblog
