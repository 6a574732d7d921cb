// Turns LibTorch tensors into tblog summaries: weight statistics, histograms, filter grids and
// activation statistics. The only place where torch meets tblog (tblog never includes torch).
#pragma once

#include <torch/types.h>

#include <string>
#include <vector>

#include "tblog/summary_writer.hpp"

namespace trainers {

struct ActivationStats {
  std::string layer;
  double mean = 0, std = 0, min = 0, max = 0, variance = 0;
  double fraction_zero = 0;       // units exactly 0 (dead ReLUs)
  double fraction_saturated = 0;  // |a| > 0.99 (saturated tanh)
};

// <name>_SUMMARY/{max,mean,min,std,variance} scalars and the histogram histograms/<name>.
void log_weight_summary(tblog::SummaryWriter& writer, const std::string& name,
                        const torch::Tensor& tensor, std::int64_t step, bool histogram = true);

void log_histogram(tblog::SummaryWriter& writer, const std::string& tag,
                   const torch::Tensor& tensor, std::int64_t step);

// Filters out x in x kh x kw as one image grid: colour tiles when in == 3, otherwise one gray
// tile per (filter, input channel). Each tile is upscaled to about 40 pixels.
tblog::Image filter_grid(const torch::Tensor& filters);

// activations/<layer>/{mean,std,min,max,variance,fraction_zero,fraction_saturated} and a
// histogram activations/<layer>/histogram.
ActivationStats log_activation_stats(tblog::SummaryWriter& writer, const std::string& layer,
                                     const torch::Tensor& activations, std::int64_t step);

std::string activation_table_markdown(const std::vector<ActivationStats>& stats);

}  // namespace trainers
