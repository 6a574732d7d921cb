#include "run_log.hpp"

#include <torch/torch.h>

#include <chrono>

#include "tblog/torch/plugins.hpp"

namespace trainers {
namespace {

// Where a data-parallel rank that does not log sends what its TrainingScalars writes: nowhere.
// It still runs the plugin, whose sums over the ranks are collective: every rank must take part.
class Discard : public tblog::Sink {
 public:
  std::string write(std::string_view) override { return {}; }
  std::string sync() override { return {}; }
  const std::string& path() const override { return path_; }

 private:
  std::string path_ = "(not logged on this rank)";
};

}  // namespace

RunLog::RunLog(const TrainConfig& config, const DataSplit& data, Classifier& model,
               torch::optim::Optimizer& optimizer, const torch::Tensor& activation_images,
               std::optional<std::int64_t> resumed_step, bool one_of_ranks) {
  if (!config.logging) {
    if (one_of_ranks) {
      writer_ = std::make_unique<tblog::SummaryWriter>(std::make_unique<Discard>());
      training_ = std::make_unique<tblog::Training>(*writer_, model.module(), optimizer);
      training_->add<tblog::TrainingScalars>(config.log_every, "test");
    } else {
      training_ = std::make_unique<tblog::Training>(&model.module(), &optimizer);
    }
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
  // The study's weight series and histograms (W1_SUMMARY/max|mean|min|std|variance...) under
  // the model's own names, gradient histograms on request; the other series of ModelSummary
  // stay off: the study's dashboards are fixed.
  tblog::ModelSummaryOptions weights;
  weights.gradient_norms = false;
  weights.update_ratios = false;
  weights.non_finite_counts = false;
  weights.gradient_histograms = config.grad_histograms;
  training_->add<tblog::ModelSummaries>(config.summary_every, weights,
                                        [&model] { return model.summarized_parameters(); });
  if (config.visuals) add_visuals(*training_, config, data, model, visuals_);
  // train/loss, train/accuracy, train/learning_rate, perf/examples_per_second every --log-every
  // steps; test/loss and test/accuracy, and the Epoch/ series (step = epoch) after each epoch.
  training_->add<tblog::TrainingScalars>(config.log_every, "test");
  training_->add<CompareGroupSeries>(context);
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

}  // namespace trainers
