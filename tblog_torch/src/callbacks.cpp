#include "tblog/torch/callbacks.hpp"

#include <ATen/ATen.h>

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
  each([&](Callback& c) { c.on_after_backward(state_); });
}

void Training::before_optimizer_step() {
  if (state_.stop) return;
  each([&](Callback& c) { c.on_before_optimizer_step(state_); });
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

namespace {

// Each callback's key in a state dict: its state_key, "#2"... for a second one of the same key.
std::vector<std::string> state_keys(const std::vector<std::unique_ptr<Callback>>& callbacks) {
  std::vector<std::string> keys;
  std::map<std::string, int> seen;
  for (const auto& callback : callbacks) {
    std::string key = callback->state_key();
    if (!key.empty() && ++seen[key] > 1) key += "#" + std::to_string(seen[key]);
    keys.push_back(std::move(key));
  }
  return keys;
}

}  // namespace

CallbackState Training::state_dict() const {
  CallbackState out;
  out["training/step"] = at::scalar_tensor(static_cast<double>(state_.step), at::kDouble);
  out["training/epoch"] = at::scalar_tensor(static_cast<double>(state_.epoch), at::kDouble);
  const std::vector<std::string> keys = state_keys(callbacks_);
  for (std::size_t i = 0; i < callbacks_.size(); ++i) {
    if (keys[i].empty()) continue;
    for (auto& [name, tensor] : callbacks_[i]->state_dict())
      out[keys[i] + "/" + name] = tensor.detach().cpu();
  }
  return out;
}

void Training::load_state_dict(const CallbackState& state) {
  if (const auto step = state.find("training/step"); step != state.end())
    state_.step = static_cast<std::int64_t>(step->second.item<double>());
  if (const auto epoch = state.find("training/epoch"); epoch != state.end())
    state_.epoch = static_cast<int>(epoch->second.item<double>());
  const std::vector<std::string> keys = state_keys(callbacks_);
  for (std::size_t i = 0; i < callbacks_.size(); ++i) {
    if (keys[i].empty()) continue;
    const std::string prefix = keys[i] + "/";
    CallbackState mine;
    for (auto it = state.lower_bound(prefix);
         it != state.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
      mine.emplace(it->first.substr(prefix.size()), it->second);
    if (!mine.empty()) callbacks_[i]->load_state_dict(mine);
  }
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
