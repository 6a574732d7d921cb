// EarlyStopping: ends training once a metric has stopped improving, as Lightning's does.
#include <ATen/ATen.h>

#include <cmath>
#include <cstdio>

#include "tblog/error.hpp"
#include "tblog/torch/plugins.hpp"

namespace tblog {

EarlyStopping::EarlyStopping(std::string metric, int patience, Mode mode, double min_delta)
    : metric_(std::move(metric)), patience_(patience), mode_(mode), min_delta_(min_delta) {
  if (metric_.empty()) throw InvalidArgument("EarlyStopping: no metric named");
  if (patience_ < 1) throw InvalidArgument("EarlyStopping: patience must be at least 1");
  if (!(min_delta_ >= 0)) throw InvalidArgument("EarlyStopping: min_delta must be >= 0");
}

void EarlyStopping::on_epoch_end(TrainState& state) {
  if (state.stop) return;
  const auto found = state.metrics.find(metric_);
  if (found == state.metrics.end()) {
    // A misspelled name would otherwise never stop anything: said at the first epoch's end.
    std::string known;
    for (const auto& [name, value] : state.metrics) known += (known.empty() ? "" : ", ") + name;
    throw InvalidArgument("EarlyStopping: no metric '" + metric_ + "' at the end of epoch " +
                          std::to_string(state.epoch) + " (metrics: " +
                          (known.empty() ? "none; add TrainingScalars before it" : known) + ")");
  }
  const double value = found->second;
  char text[160];
  if (!std::isfinite(value)) {
    std::snprintf(text, sizeof text, "EarlyStopping: %s is %g at epoch %d", metric_.c_str(), value,
                  state.epoch);
    state.stop = true;  // a diverged metric is a failure: stop_is_failure stays
    state.stop_reason = text;
    return;
  }
  const bool better =
      !has_best_ || (mode_ == Mode::kMin ? value < best_ - min_delta_ : value > best_ + min_delta_);
  if (better) {
    best_ = value;
    has_best_ = true;
    waited_ = 0;
    return;
  }
  if (++waited_ < patience_) return;
  std::snprintf(text, sizeof text, "EarlyStopping: %s has not improved on %.6g for %d epoch(s)",
                metric_.c_str(), best_, waited_);
  state.stop = true;
  state.stop_is_failure = false;  // the run did its job
  state.stop_reason = text;
  if (state.writer) state.writer->add_text("stopped", state.stop_reason, state.step);
}

CallbackState EarlyStopping::state_dict() const {
  return {{"best", at::scalar_tensor(best_, at::kDouble)},
          {"has_best", at::scalar_tensor(has_best_ ? 1.0 : 0.0, at::kDouble)},
          {"waited", at::scalar_tensor(static_cast<double>(waited_), at::kDouble)}};
}

void EarlyStopping::load_state_dict(const CallbackState& state) {
  const auto number = [&](const char* name, double otherwise) {
    const auto found = state.find(name);
    return found == state.end() ? otherwise : found->second.item<double>();
  };
  best_ = number("best", best_);
  has_best_ = number("has_best", has_best_ ? 1 : 0) != 0;
  waited_ = static_cast<int>(number("waited", waited_));
}

}  // namespace tblog
