// HParamsSession and StopOnNonFinite: how the run as a whole is recorded and ended.
#include <ATen/ATen.h>

#include <cmath>
#include <stdexcept>

#include "host_batch.hpp"
#include "tblog/error.hpp"
#include "tblog/torch/plugins.hpp"

namespace tblog {

std::vector<std::string> standard_metric_tags(const std::string& split) {
  return {"Epoch/" + split + "_accuracy", "Epoch/" + split + "_loss", "Epoch/train_accuracy",
          "Epoch/train_loss"};
}

HParamsSession::HParamsSession(HParams hparams, std::vector<std::string> metric_tags)
    : hparams_(std::move(hparams)), metric_tags_(std::move(metric_tags)) {
  if (metric_tags_.empty()) metric_tags_ = standard_metric_tags("test");
}

void HParamsSession::on_train_begin(TrainState& state) {
  HParamsExperiment experiment;
  for (const auto& [name, value] : hparams_) {
    HParamDomain domain;
    domain.name = name;
    domain.discrete = {value};
    experiment.hparams.push_back(std::move(domain));
  }
  for (const auto& tag : metric_tags_) experiment.metrics.push_back({tag, "", tag, ""});
  state.writer->add_hparams_experiment(experiment);
  state.writer->add_hparams_session_start(hparams_);
}

void HParamsSession::on_train_end(TrainState& state) {
  state.writer->add_hparams_session_end(state.stop && state.stop_is_failure
                                            ? SessionStatus::kFailure
                                            : SessionStatus::kSuccess);
}

void StopOnNonFinite::on_batch_end(TrainState& state, const BatchResult& batch) {
  if (state.stop || !batch.loss.defined()) return;  // the first non-finite loss is the news
  const auto on_host = torch_detail::host_scalar(batch.loss);
  const double loss = on_host ? *on_host : batch.loss.detach().reshape({}).item<double>();
  if (std::isfinite(loss)) return;
  state.stop = true;
  state.stop_reason = "the loss was " + std::string(std::isnan(loss) ? "NaN" : "infinite") +
                      " at step " + std::to_string(state.step) + "; training stopped";
  if (state.writer) state.writer->add_text("stopped", state.stop_reason, state.step);
}

Probes* add_standard_plugins(Training& training, const StandardPlugins& o) {
  if (!training.state().writer)
    throw InvalidArgument("add_standard_plugins: the Training has no writer to log to");
  SummaryWriter& writer = *training.state().writer;
  training.add<StopOnNonFinite>();
  training.add<TrainingScalars>(o.log_every, o.split);
  if (o.summary_every > 0) training.add<ModelSummaries>(o.summary_every, o.summary);
  Probes* probes = nullptr;
  if (o.probe_every > 0) {
    ProbeOptions probe;
    probe.every = o.probe_every;
    probes = &training.add<ActivationProbes>(writer, probe).probes();
  }
  training.add<FilterGrids>();
  training.add<ModelGraph>();
  training.add<ClassifierDiagnostics>(o.class_names, o.most_wrong, o.split);
  if (o.embedding_points > 0) training.add<Embeddings>(o.class_names, o.embedding_points, o.split);
  if (!o.hparams.empty()) training.add<HParamsSession>(o.hparams, standard_metric_tags(o.split));
  if (o.upload_warn_after.count() > 0) training.add<UploadWatch>(o.upload_warn_after);
  return probes;
}

}  // namespace tblog
