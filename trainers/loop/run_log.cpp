#include "run_log.hpp"

#include <torch/torch.h>

#include <chrono>

#include "tblog/torch/plugins.hpp"

namespace trainers {

RunLog::RunLog(const TrainConfig& config, const DataSplit& data, Classifier& model,
               torch::optim::Optimizer& optimizer, const torch::Tensor& standardized_test,
               const torch::Tensor& activation_images, std::optional<std::int64_t> resumed_step) {
  if (!config.logging) {
    training_ = std::make_unique<tblog::Training>(&model.module(), &optimizer);
    return;
  }
  tblog::WriterOptions options;
  if (resumed_step) options.purge_step = *resumed_step + 1;
  const auto milliseconds = [](double seconds) {
    return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
  };
  options.upload_interval = milliseconds(config.upload_interval);
  writer_ = std::make_unique<tblog::SummaryWriter>(config.logdir, options);
  training_ = std::make_unique<tblog::Training>(*writer_, model.module(), optimizer);
  const CallbackContext context{config,  model,    *writer_,
                                report_, seconds_, resumed_step.has_value()};
  training_->add<ConvLayerViews>(context, activation_images);
  training_->add<WeightSeries>(context);
  if (config.visuals) {
    visuals_ = &training_->add<VisualLog>(config, data, model, *writer_, standardized_test, report_,
                                          resumed_step.has_value());
  }
  training_->add<TrainPoints>(context);
  training_->add<EpochMetrics>(context);
  training_->add<RunOutcome>(context);  // it closes the writer
  // After the close, whose wait for the uploads it reports on at the end of training.
  training_->add<tblog::UploadWatch>(milliseconds(config.upload_warn_after));
  if (resumed_step) return;  // the first writer logged the run's opening
  writer_->add_text("config", config_markdown(config, data), 0);
  writer_->add_text("model", model.describe(), 0);
  if (config.hparams_session) writer_->add_hparams_session_start(hparams_of(config));
}

RunLog::~RunLog() {
  if (training_->ended()) return;
  try {
    tblog::TrainState& state = training_->state();
    state.stop = true;
    state.stop_reason = "the run stopped with an error (see the console)";
    training_->train_end();
  } catch (...) {  // nothing more can be done while unwinding
  }
}

void RunLog::flush() {
  if (writer_) writer_->flush();
}

}  // namespace trainers
