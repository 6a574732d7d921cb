#include "tblog/torch/callbacks.hpp"

namespace tblog {

Training::Training(SummaryWriter& writer, torch::nn::Module* module,
                   torch::optim::Optimizer* optimizer) {
  state_.writer = &writer;
  state_.module = module;
  state_.optimizer = optimizer;
}

Training::Training(torch::nn::Module* module, torch::optim::Optimizer* optimizer) {
  state_.module = module;
  state_.optimizer = optimizer;
}

template <typename F>
void Training::each(F&& f) {
  for (auto& callback : callbacks_) f(*callback);
}

void Training::train_begin() {
  each([&](Callback& c) { c.on_train_begin(state_); });
}

void Training::epoch_begin(int epoch) {
  state_.epoch = epoch;
  each([&](Callback& c) { c.on_epoch_begin(state_); });
}

void Training::batch_begin() {
  each([&](Callback& c) { c.on_batch_begin(state_); });
}

void Training::after_backward() {
  each([&](Callback& c) { c.after_backward(state_); });
}

void Training::before_optimizer_step() {
  each([&](Callback& c) { c.before_optimizer_step(state_); });
}

void Training::batch_end(const BatchResult& batch) {
  ++state_.step;
  each([&](Callback& c) { c.on_batch_end(state_, batch); });
}

void Training::validation_end(const ValidationResult& validation) {
  each([&](Callback& c) { c.on_validation_end(state_, validation); });
}

void Training::epoch_end() {
  each([&](Callback& c) { c.on_epoch_end(state_); });
}

void Training::train_end() {
  if (ended_) return;
  ended_ = true;
  each([&](Callback& c) { c.on_train_end(state_); });
}

}  // namespace tblog
