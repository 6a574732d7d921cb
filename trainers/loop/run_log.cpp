#include "run_log.hpp"

#include <fmt/format.h>
#include <torch/torch.h>

#include "tblog/torch/filters.hpp"
#include "tblog/torch/model_summary.hpp"
#include "tblog/torch/probes.hpp"
#include "timed.hpp"

namespace trainers {

RunLog::RunLog(const TrainConfig& config, const DataSplit& data, Classifier& model,
               const torch::Tensor& standardized_test, std::optional<std::int64_t> resumed_step)
    : config_(config), model_(model) {
  if (!config.logging) return;
  tblog::WriterOptions options;
  if (resumed_step) options.purge_step = *resumed_step + 1;
  writer_ = std::make_unique<tblog::SummaryWriter>(config.logdir, options);
  // The weight series of the study (W1_SUMMARY/...) and histograms/<name>; gradient histograms
  // on request. The other series of ModelSummary stay off: the study's dashboards are fixed.
  summary_options_.gradient_norms = false;
  summary_options_.update_ratios = false;
  summary_options_.non_finite_counts = false;
  summary_options_.gradient_histograms = config.grad_histograms;
  if (config.visuals)
    visuals_ = std::make_unique<VisualLog>(config, data, model, *writer_, standardized_test);
  if (resumed_step) return;  // the first writer logged the run's opening
  writer_->add_text("config", config_markdown(config, data), 0);
  writer_->add_text("model", model.describe(), 0);
  if (config.hparams_session) writer_->add_hparams_session_start(hparams_of(config));
}

RunLog::~RunLog() {
  if (!on() || closed_) return;
  try {
    fail(0, "the run stopped with an error (see the console)");
  } catch (...) {  // nothing more can be done while unwinding
  }
}

void RunLog::start() {
  filters(0);
  weights(0);
  if (visuals_) visuals_->start();
}

void RunLog::final_visuals(std::int64_t step) {
  if (visuals_) visuals_->finish(step);
}

void RunLog::flush() {
  if (on()) writer_->flush();
}

void RunLog::train_point(std::int64_t step, double loss, double accuracy, double lr, double rate) {
  if (!on()) return;
  Timed timed(seconds_);
  writer_->add_scalar("train/loss", loss, step);
  writer_->add_scalar("train/accuracy", accuracy, step);
  writer_->add_scalar("train/learning_rate", lr, step);
  writer_->add_scalar("perf/examples_per_second", rate, step);
}

void RunLog::weights(std::int64_t step) {
  if (!on()) return;
  Timed timed(seconds_);
  // The parameters are asked for each time: a checkpoint load may have replaced them.
  tblog::ModelSummary(*writer_, model_.summarized_parameters(), summary_options_).log(step);
}

void RunLog::end_of_epoch(int epoch, std::int64_t step, const TrainResult& r,
                          const torch::Tensor& activation_images, const TestPass& test) {
  if (!on()) return;
  {
    Timed timed(seconds_);
    writer_->add_scalar("test/loss", r.test_loss, step);
    writer_->add_scalar("test/accuracy", r.test_accuracy, step);
    writer_->add_scalar(kEpochTrainAccuracy, r.train_accuracy, epoch);
    writer_->add_scalar(kEpochTrainLoss, r.train_loss, epoch);
    writer_->add_scalar(kEpochTestAccuracy, r.test_accuracy, epoch);
    writer_->add_scalar(kEpochTestLoss, r.test_loss, epoch);
    if (!config_.compare_group.empty())
      writer_->add_scalar(config_.compare_group + "/test_accuracy", r.test_accuracy, epoch);
  }
  filters(step);
  if (activation_images.size(0) > 0) activations(step, activation_images);
  if (visuals_) visuals_->epoch(epoch, test);
}

void RunLog::filters(std::int64_t step) {
  if (!on()) return;
  Timed timed(seconds_);
  const auto f = model_.first_layer_filters();
  if (f.defined()) writer_->add_image("filters/conv1", tblog::filter_grid(f), step);
}

void RunLog::activations(std::int64_t step, const torch::Tensor& images) {
  Timed timed(seconds_);
  torch::NoGradGuard no_grad;
  model_.module().eval();
  std::vector<tblog::ActivationStatistics> stats;
  for (const auto& [layer, a] : model_.conv_activations(images))
    stats.push_back(tblog::add_activation_statistics(*writer_, layer, a, step));
  model_.module().train();
  if (!stats.empty())
    writer_->add_text("activations/summary", tblog::activation_table_markdown(stats), step);
}

void RunLog::fail(std::int64_t step, const std::string& why) {
  if (!on()) return;
  closed_ = true;
  if (visuals_) {
    try {
      visuals_->wait();
    } catch (const std::exception&) {  // the run already failed; its own error is the one to say
    }
  }
  writer_->add_text("results", "**FAILED**: " + why, step);
  if (config_.hparams_session) writer_->add_hparams_session_end(tblog::SessionStatus::kFailure);
  writer_->close();
}

void RunLog::finish(const TrainResult& r) {
  if (!on()) return;
  closed_ = true;
  writer_->add_text("results",
                    fmt::format("| metric | value |\n|---|---|\n| train accuracy | {:.4f} |\n"
                                "| test accuracy | {:.4f} |\n| test loss | {:.4f} |\n"
                                "| steps | {} |\n| seconds | {:.1f} |\n| examples/s | {:.0f} |",
                                r.train_accuracy, r.test_accuracy, r.test_loss, r.steps, r.seconds,
                                r.examples_per_second),
                    r.steps);
  if (config_.hparams_session) writer_->add_hparams_session_end(tblog::SessionStatus::kSuccess);
  writer_->close();
}

}  // namespace trainers
