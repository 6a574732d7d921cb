// ModelSummaries, ActivationProbes and FilterGrids: what the model's insides look like.
#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include "tblog/torch/filters.hpp"
#include "tblog/torch/graph.hpp"
#include "tblog/torch/plugins.hpp"

namespace tblog {

ModelSummaries::ModelSummaries(std::int64_t every, ModelSummaryOptions options,
                               std::function<NamedTensors()> parameters)
    : every_(every < 1 ? 1 : every),
      options_(std::move(options)),
      parameters_(std::move(parameters)) {}

void ModelSummaries::on_train_begin(TrainState& state) {
  if (parameters_) {
    summary_ = std::make_unique<ModelSummary>(*state.writer, parameters_(), options_);
  } else if (state.module) {
    summary_ = std::make_unique<ModelSummary>(*state.writer, *state.module, options_);
  }
  // The untrained weights; a resumed run logged them before its checkpoint.
  if (summary_ && state.step == 0) summary_->log(state.step);
}

void ModelSummaries::on_before_optimizer_step(TrainState& state) {
  if (summary_ && (state.step + 1) % every_ == 0) summary_->before_optimizer_step();
}

void ModelSummaries::on_batch_end(TrainState& state, const BatchResult&) {
  if (summary_ && state.step % every_ == 0) summary_->log(state.step);
}

void ModelSummaries::on_train_end(TrainState& state) {
  // The final weights, unless this very step was logged (a repeated step would make TensorBoard's
  // data server drop the earlier point as a preemption) or a failure stopped the run.
  if (!summary_ || (state.stop && state.stop_is_failure) || state.step % every_ == 0) return;
  summary_->log(state.step);
}

ActivationProbes::ActivationProbes(SummaryWriter& writer, ProbeOptions options)
    : probes_(writer, options) {}

void ActivationProbes::on_batch_begin(TrainState& state) {
  probes_.enable(true);
  probes_.set_step(state.step + 1);  // the step this batch's batch_end will count
}

// Probes sample training batches only: forward passes outside a batch (validation) are not.
void ActivationProbes::on_batch_end(TrainState&, const BatchResult&) {
  probes_.sample_now(false);
}

ModelGraph::ModelGraph(std::function<Graph()> graph, std::function<ModelLayer()> layers)
    : graph_(std::move(graph)), layers_(std::move(layers)) {}

void ModelGraph::on_train_begin(TrainState& state) {
  // Once per run: a resumed run logged them before its checkpoint (a second graph in one run
  // makes TensorBoard warn, and keep the newer).
  if (state.step != 0) return;
  if (graph_) {
    state.writer->add_graph(graph_());
  } else if (state.module) {
    add_graph(*state.writer, *state.module);
  }
  if (layers_) {
    state.writer->add_conceptual_graph("layers", layers_());
  } else if (state.module) {
    add_conceptual_graph(*state.writer, *state.module);
  }
}

FilterGrids::FilterGrids(std::string parameter) : parameter_(std::move(parameter)) {}

void FilterGrids::on_train_begin(TrainState& state) {
  log(state);
}
void FilterGrids::on_epoch_end(TrainState& state) {
  log(state);
}

void FilterGrids::log(TrainState& state) {
  if (!state.module) return;
  for (const auto& item : state.module->named_parameters(/*recurse=*/true)) {
    const at::Tensor& p = item.value();
    if (parameter_.empty() ? p.dim() != 4 : item.key() != parameter_) continue;
    std::string layer = item.key();
    const std::string suffix = ".weight";
    if (layer.size() > suffix.size() &&
        layer.compare(layer.size() - suffix.size(), suffix.size(), suffix) == 0)
      layer.resize(layer.size() - suffix.size());
    state.writer->add_image("filters/" + layer, filter_grid(p), state.step);
    return;
  }
}

}  // namespace tblog
