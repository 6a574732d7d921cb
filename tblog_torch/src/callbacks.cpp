#include "tblog/torch/callbacks.hpp"

#include <stdexcept>
#include "tblog/error.hpp"

namespace tblog {

Training::Training(SummaryWriter& writer, torch::nn::Module* module,
                   torch::optim::Optimizer* optimizer)
    : uncaught_at_start_(std::uncaught_exceptions()) {
  state_.writer = &writer;
  state_.module = module;
  state_.optimizer = optimizer;
}

Training::Training(torch::nn::Module* module, torch::optim::Optimizer* optimizer)
    : uncaught_at_start_(std::uncaught_exceptions()) {
  state_.module = module;
  state_.optimizer = optimizer;
}

Training::Training(Training&& other) noexcept
    : state_(std::move(other.state_)),
      callbacks_(std::move(other.callbacks_)),
      ended_(other.ended_),
      uncaught_at_start_(other.uncaught_at_start_) {
  other.ended_ = true;
}

Training::~Training() {
  if (ended_) return;
  // A destructor must not throw: what a callback throws now is dropped (the run is ending).
  try {
    if (std::uncaught_exceptions() > uncaught_at_start_)
      stop_with("an exception ended training at step " + std::to_string(state_.step));
    train_end();
  } catch (...) {
  }
}

void Training::add(std::unique_ptr<Callback> callback) {
  if (!state_.writer && callback->needs_writer()) {
    throw InvalidArgument(
        "Training::add: this callback logs, and the Training was made without a SummaryWriter "
        "(Training(writer, module, optimizer) gives it one)");
  }
  callbacks_.push_back(std::move(callback));
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

// Once training is stopped the batch hooks do nothing: a loop that checks stopped() only between
// epochs finishes its epoch without the callbacks reporting (or logging) the same failure again.
void Training::batch_begin() {
  if (state_.stop) return;
  each([&](Callback& c) { c.on_batch_begin(state_); });
}

void Training::after_backward() {
  if (state_.stop) return;
  each([&](Callback& c) { c.after_backward(state_); });
}

void Training::before_optimizer_step() {
  if (state_.stop) return;
  each([&](Callback& c) { c.before_optimizer_step(state_); });
}

void Training::batch_end(const BatchResult& batch) {
  ++state_.step;
  if (state_.stop) return;
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

void Training::stop_with(const std::string& reason) {
  if (state_.stop) return;  // the first reason stands
  state_.stop = true;
  state_.stop_reason = reason;
  if (!state_.writer) return;
  // The run is ending on an error already: a writer closed by the loop does not add another.
  try {
    state_.writer->add_text("stopped", reason, state_.step);
  } catch (const std::exception&) {
  }
}

void Training::exception(const std::exception& error) {
  if (ended_) return;
  stop_with("an exception ended training at step " + std::to_string(state_.step) + ": " +
            error.what());
  each([&](Callback& c) { c.on_exception(state_, error); });
  train_end();
}

}  // namespace tblog
