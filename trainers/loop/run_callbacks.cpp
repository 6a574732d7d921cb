#include "run_callbacks.hpp"

#include <fmt/format.h>
#include <torch/torch.h>

#include "tblog/torch/filters.hpp"
#include "tblog/torch/probes.hpp"
#include "timed.hpp"

namespace trainers {

void CompareGroupSeries::on_validation_end(tblog::TrainState& state,
                                           const tblog::ValidationResult&) {
  const auto accuracy = state.metrics.find(kEpochTestAccuracy);
  if (c_.config.compare_group.empty() || accuracy == state.metrics.end()) return;
  Timed timed(c_.seconds);
  c_.writer.add_scalar(c_.config.compare_group + "/test_accuracy", accuracy->second, state.epoch);
}

void ConvLayerViews::on_train_begin(tblog::TrainState& state) {
  if (!c_.resumed) filters(state.step);
}

void ConvLayerViews::on_validation_end(tblog::TrainState& state, const tblog::ValidationResult&) {
  filters(state.step);
  if (images_.size(0) == 0) return;
  Timed timed(c_.seconds);
  torch::NoGradGuard no_grad;
  c_.model.module().eval();
  std::vector<tblog::ActivationStatistics> stats;
  for (const auto& [layer, a] : c_.model.conv_activations(images_))
    stats.push_back(tblog::add_activation_statistics(c_.writer, layer, a, state.step));
  c_.model.module().train();
  if (!stats.empty())
    c_.writer.add_text("activations/summary", tblog::activation_table_markdown(stats), state.step);
}

void ConvLayerViews::filters(std::int64_t step) {
  Timed timed(c_.seconds);
  const auto f = c_.model.first_layer_filters();
  if (f.defined()) c_.writer.add_image("filters/conv1", tblog::filter_grid(f), step);
}

void RunOutcome::on_train_end(tblog::TrainState& state) {
  if (state.stop) {
    c_.writer.add_text("results", "**FAILED**: " + state.stop_reason, state.step);
  } else {
    const TrainResult& r = c_.report.final_result;
    c_.writer.add_text("results",
                       fmt::format("| metric | value |\n|---|---|\n| train accuracy | {:.4f} |\n"
                                   "| test accuracy | {:.4f} |\n| test loss | {:.4f} |\n"
                                   "| steps | {} |\n| seconds | {:.1f} |\n| examples/s | {:.0f} |",
                                   r.train_accuracy, r.test_accuracy, r.test_loss, r.steps,
                                   r.seconds, r.examples_per_second),
                       r.steps);
  }
  if (c_.config.hparams_session) {
    c_.writer.add_hparams_session_end(state.stop ? tblog::SessionStatus::kFailure
                                                 : tblog::SessionStatus::kSuccess);
  }
  c_.writer.close();
}

}  // namespace trainers
