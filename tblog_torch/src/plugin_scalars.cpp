// TrainingScalars: the loss, accuracy, learning rate and throughput series of a training loop.
#include <ATen/ATen.h>
#include <torch/optim/optimizer.h>

#include <chrono>

#include "host_batch.hpp"
#include "tblog/torch/plugins.hpp"

namespace tblog {
namespace {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Correct predictions of N x C outputs against N class indices, as a 0-d tensor.
at::Tensor correct_of(const at::Tensor& outputs, const at::Tensor& targets) {
  return outputs.detach().argmax(1).eq(targets.detach().reshape({-1})).sum();
}

bool has_labels(const at::Tensor& outputs, const at::Tensor& targets) {
  return outputs.defined() && targets.defined() && outputs.dim() == 2 &&
         targets.numel() == outputs.size(0);
}

at::Tensor sum_of(const at::Tensor& total, const at::Tensor& more) {
  if (!more.defined()) return total;
  return total.defined() ? total + more : more;
}

}  // namespace

TrainingScalars::BatchNumbers TrainingScalars::numbers_of(const BatchResult& batch) {
  BatchNumbers b;
  if (const auto loss = torch_detail::host_scalar(batch.loss))
    b.loss = *loss;
  else
    b.device_loss = batch.loss.detach().reshape({}).to(at::kDouble);
  const at::Tensor& sized = batch.targets.defined() ? batch.targets : batch.outputs;
  if (sized.defined() && sized.dim() > 0) b.examples = sized.size(0);
  if (has_labels(batch.outputs, batch.targets)) {
    b.labelled = batch.outputs.size(0);
    if (const auto correct = torch_detail::host_correct(batch.outputs, batch.targets))
      b.correct = static_cast<double>(*correct);
    else
      b.device_correct = correct_of(batch.outputs, batch.targets);
  }
  return b;
}

void TrainingScalars::Window::add(const BatchNumbers& batch) {
  loss += batch.loss;
  correct += batch.correct;
  device_loss = sum_of(device_loss, batch.device_loss);
  device_correct = sum_of(device_correct, batch.device_correct);
  ++batches;
  examples += batch.examples;
  labelled += batch.labelled;
}

void TrainingScalars::Window::settle(const TrainState& state) {
  if (device_loss.defined()) loss += device_loss.item<double>();
  if (device_correct.defined()) correct += device_correct.item<double>();
  device_loss = device_correct = at::Tensor();
  if (!state.reduce_sum) return;
  std::vector<double> sums = {loss, correct, static_cast<double>(batches),
                              static_cast<double>(examples), static_cast<double>(labelled)};
  state.sum_over_processes(sums);
  loss = sums[0];
  correct = sums[1];
  batches = static_cast<std::int64_t>(sums[2]);
  examples = static_cast<std::int64_t>(sums[3]);
  labelled = static_cast<std::int64_t>(sums[4]);
}

at::Tensor TrainingScalars::Window::saved() const {
  const double host_loss = loss + (device_loss.defined() ? device_loss.item<double>() : 0.0);
  const double host_correct =
      correct + (device_correct.defined() ? device_correct.item<double>() : 0.0);
  return at::tensor({host_loss, host_correct, static_cast<double>(batches),
                     static_cast<double>(examples), static_cast<double>(labelled)},
                    at::kDouble);
}

void TrainingScalars::Window::load(const at::Tensor& saved) {
  const at::Tensor v = saved.to(at::kDouble).contiguous();
  if (v.numel() != 5) return;  // not ours: the window starts empty
  const double* d = v.data_ptr<double>();
  *this = Window();
  loss = d[0];
  correct = d[1];
  batches = static_cast<std::int64_t>(d[2]);
  examples = static_cast<std::int64_t>(d[3]);
  labelled = static_cast<std::int64_t>(d[4]);
}

CallbackState TrainingScalars::state_dict() const {
  return {{"window", window_.saved()}, {"epoch", epoch_.saved()}};
}

void TrainingScalars::load_state_dict(const CallbackState& state) {
  if (const auto w = state.find("window"); w != state.end()) window_.load(w->second);
  if (const auto e = state.find("epoch"); e != state.end()) epoch_.load(e->second);
}

TrainingScalars::TrainingScalars(std::int64_t every, std::string split)
    : every_(every < 1 ? 1 : every), split_(std::move(split)), window_start_(now_seconds()) {}

void TrainingScalars::on_epoch_begin(TrainState&) {
  epoch_ = Window();
}

void TrainingScalars::on_batch_end(TrainState& state, const BatchResult& batch) {
  if (!batch.loss.defined()) return;
  const BatchNumbers numbers = numbers_of(batch);
  window_.add(numbers);
  epoch_.add(numbers);
  if (state.step % every_ != 0) return;
  window_.settle(state);
  SummaryWriter& w = *state.writer;
  w.add_scalar("train/loss", window_.mean_loss(), state.step);
  if (window_.labelled > 0) w.add_scalar("train/accuracy", window_.accuracy(), state.step);
  if (state.optimizer) {
    const auto& groups = state.optimizer->param_groups();
    for (std::size_t i = 0; i < groups.size(); ++i) {
      const std::string tag = groups.size() == 1 ? "train/learning_rate"
                                                 : "train/learning_rate/group_" + std::to_string(i);
      w.add_scalar(tag, groups[i].options().get_lr(), state.step);
    }
  }
  const double t = now_seconds();
  if (window_.examples > 0 && t > window_start_)
    w.add_scalar("perf/examples_per_second", window_.examples / (t - window_start_), state.step);
  window_ = Window();
  window_start_ = t;
}

void TrainingScalars::on_validation_end(TrainState& state, const ValidationResult& v) {
  if (!has_labels(v.outputs, v.targets)) return;
  at::NoGradGuard no_grad;
  const at::Tensor outputs = v.outputs.detach().to(at::kFloat);
  const at::Tensor targets = v.targets.detach().reshape({-1}).to(outputs.device(), at::kLong);
  // Cross-entropy of the log-softmax: right for logits and for log-probabilities alike.
  const double loss =
      v.loss >= 0 ? v.loss : at::cross_entropy_loss(outputs, targets).item<double>();
  const double accuracy = correct_of(outputs, targets).item<double>() / targets.numel();
  SummaryWriter& w = *state.writer;
  w.add_scalar(split_ + "/loss", loss, state.step);
  w.add_scalar(split_ + "/accuracy", accuracy, state.step);
  w.add_scalar("Epoch/" + split_ + "_loss", loss, state.epoch);
  w.add_scalar("Epoch/" + split_ + "_accuracy", accuracy, state.epoch);
  state.metrics["Epoch/" + split_ + "_loss"] = loss;
  state.metrics["Epoch/" + split_ + "_accuracy"] = accuracy;
}

void TrainingScalars::on_epoch_end(TrainState& state) {
  epoch_.settle(state);  // on every process, whatever it counted: the sums are collective
  if (epoch_.batches == 0) return;
  SummaryWriter& w = *state.writer;
  const double loss = epoch_.mean_loss();
  w.add_scalar("Epoch/train_loss", loss, state.epoch);
  state.metrics["Epoch/train_loss"] = loss;
  if (epoch_.labelled > 0) {
    const double accuracy = epoch_.accuracy();
    w.add_scalar("Epoch/train_accuracy", accuracy, state.epoch);
    state.metrics["Epoch/train_accuracy"] = accuracy;
  }
}

}  // namespace tblog
