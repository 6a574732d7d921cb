/// @file
/// Callbacks for your own training loop: the loop reports what happened (a batch ended, the
/// validation pass ended...) and the callbacks log it. tblog::Training holds the callbacks and
/// the loop's state; the ready plugins (tblog/torch/plugins.hpp) log everything tbtrain logs.
///
/// ```cpp
///   tblog::SummaryWriter writer("runs/mnist");
///   tblog::Training log(writer, model, optimizer);  // a module, or a TORCH_MODULE holder
///   tblog::StandardPlugins plugins;
///   plugins.class_names = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
///   tblog::add_standard_plugins(log, plugins);
///   log.train_begin();
///   for (int epoch = 1; epoch <= epochs && !log.stopped(); ++epoch) {
///     log.epoch_begin(epoch);
///     for (auto& batch : *loader) {
///       log.batch_begin();
///       optimizer.zero_grad();
///       auto output = model->forward(batch.data);
///       auto loss = torch::nll_loss(output, batch.target);
///       loss.backward();
///       log.after_backward();
///       log.before_optimizer_step();
///       optimizer.step();
///       log.batch_end({loss, output, batch.target, batch.data});
///       if (log.stopped()) break;  // optional: once stopped, the batch hooks do nothing
///     }
///     log.validation_end({all_outputs, all_targets, images});
///     log.epoch_end();
///   }
///   log.train_end();
/// ```
///
/// Stopping is an event: the first callback to set state.stop ends training once (later batch
/// hooks of that epoch are skipped; validation and epoch hooks still run and tolerate the
/// non-finite values a diverged model produces). An exception out of the loop ends the run too:
/// call exception(e) in your handler, or let the Training be destroyed while it unwinds; either
/// way on_exception and on_train_end run, so the HParams session is closed as FAILURE.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "tblog/summary_writer.hpp"
#include "tblog/torch/export.hpp"

namespace torch::nn {
class Module;
}
namespace torch::optim {
class Optimizer;
}

namespace tblog {

/// The loop's state as the callbacks see it.
struct TrainState {
  SummaryWriter* writer = nullptr;
  torch::nn::Module* module = nullptr;           ///< may be null
  torch::optim::Optimizer* optimizer = nullptr;  ///< may be null
  std::int64_t step = 0;                         ///< optimizer steps done (batch_end counts them)
  int epoch = 0;                                 ///< the current epoch, from 1
  bool stop = false;                             ///< a callback sets it to end training
  std::string stop_reason;                       ///< why, in a sentence
  /// Whether a stop is a failure (the HParams session closes as FAILURE): a diverged loss or an
  /// exception is; a callback that ends a run which has done its job (EarlyStopping) clears it.
  bool stop_is_failure = true;
  /// Latest values of the metrics callbacks computed ("validation/accuracy", ...): the HParams
  /// plugin's final metrics, the program's own reports.
  std::map<std::string, double> metrics;
  /// The reduce hook of a data-parallel loop: sums each value over every process (an
  /// all-reduce), so that what one process logs describes all of them. Set by the loop
  /// (tbtrain's data-parallel runs set it over c10d); callbacks call sum_over_processes(), at
  /// the same points on every process. Unset: one process, values are left as they are.
  std::function<void(std::vector<double>&)> reduce_sum;
  void sum_over_processes(std::vector<double>& values) const {
    if (reduce_sum) reduce_sum(values);
  }
};

/// What a callback keeps across a checkpoint (a window's sums, a best value, a patience count),
/// as tensors by name: saved with the model and optimizer (Training::state_dict) and given back
/// on resume (Training::load_state_dict), as Lightning's callbacks' state_dict.
using CallbackState = std::map<std::string, at::Tensor>;

/// One training batch. Only `loss` is required.
struct BatchResult {
  at::Tensor loss;     ///< 0-d
  at::Tensor outputs;  ///< N x C logits (or log-probabilities)
  at::Tensor targets;  ///< N class indices
  at::Tensor inputs;   ///< N x ... (images: NCHW)
};

/// One pass over the validation set, whole (concatenate the batches' outputs). ConvVisualizations
/// and Embeddings keep the last validation's tensors as they are (views, not copies) for what they
/// draw at the end, and ClassifierDiagnostics in the background reads its images while training
/// goes on: give each validation tensors of its own, and write into none of them afterwards (a
/// plugin that finds them written into says so instead of drawing from them).
struct ValidationResult {
  at::Tensor outputs;   ///< N x C logits (or log-probabilities)
  at::Tensor targets;   ///< N class indices
  at::Tensor images;    ///< optional N x C x H x W, floating in [0, 1] or uint8: pictures
  at::Tensor features;  ///< optional N x D features for the PROJECTOR (else the outputs are used)
  at::Tensor inputs;    ///< optional N x C x H x W: what the model saw (ConvVisualizations)
  double loss = -1;     ///< optional mean loss (< 0: computed from the outputs)
};

/// The hooks, in the order a loop reaches them; each does nothing unless overridden. The batch
/// hooks are skipped once training is stopped.
class TBLOG_TORCH_API Callback {
 public:
  virtual ~Callback() = default;
  /// Once, before the first epoch (after load_state_dict on resume).
  virtual void on_train_begin(TrainState&) {}
  /// state.epoch is the new epoch, from 1.
  virtual void on_epoch_begin(TrainState&) {}
  /// Before the forward pass (probes arm themselves here).
  virtual void on_batch_begin(TrainState&) {}
  /// After loss.backward(): the gradients are there.
  virtual void on_after_backward(TrainState&) {}
  /// Just before optimizer.step(): the weights are still the old ones.
  virtual void on_before_optimizer_step(TrainState&) {}
  /// After optimizer.step(); state.step counts it already.
  virtual void on_batch_end(TrainState&, const BatchResult&) {}
  /// After a pass over the validation set, with all of its outputs.
  virtual void on_validation_end(TrainState&, const ValidationResult&) {}
  virtual void on_epoch_end(TrainState&) {}
  /// An exception ended training (Training::exception); on_train_end follows. state.stop is set
  /// and state.stop_reason names the exception.
  virtual void on_exception(TrainState&, const std::exception&) {}
  /// Called once; state.stop says whether training was stopped early.
  virtual void on_train_end(TrainState&) {}
  /// True for callbacks that log: a Training without a writer refuses them (Training::add).
  virtual bool needs_writer() const { return false; }

  /// The name this callback's state is saved under ("TrainingScalars"); empty (the default):
  /// it keeps none. Two callbacks of one name are told apart by their order ("name#2").
  virtual std::string state_key() const { return {}; }
  /// What must survive a checkpoint, by name.
  virtual CallbackState state_dict() const { return {}; }
  /// Takes back what state_dict() gave (on resume, before on_train_begin).
  virtual void load_state_dict(const CallbackState&) {}
};

/// A callback that logs through state.writer: the ready plugins are, and so may yours be.
class TBLOG_TORCH_API LoggingCallback : public Callback {
 public:
  bool needs_writer() const override { return true; }
};

class TBLOG_TORCH_API Training {
 public:
  Training(SummaryWriter& writer, torch::nn::Module* module = nullptr,
           torch::optim::Optimizer* optimizer = nullptr);
  Training(SummaryWriter& writer, torch::nn::Module& module, torch::optim::Optimizer& optimizer)
      : Training(writer, &module, &optimizer) {}
  /// A module holder (TORCH_MODULE's `Net`, used as `model->...`) as LibTorch programs hold them.
  template <typename Holder, typename = decltype(std::declval<Holder&>().ptr())>
  Training(SummaryWriter& writer, Holder& module, torch::optim::Optimizer& optimizer)
      : Training(writer, module.ptr().get(), &optimizer) {}
  /// A Training without a writer (state.writer is null), for a loop whose logging is switched
  /// off or whose callbacks log nothing (checkpoints, early stopping). The ready plugins write,
  /// and need a writer: add() refuses them.
  Training(torch::nn::Module* module, torch::optim::Optimizer* optimizer);
  Training(torch::nn::Module& module, torch::optim::Optimizer& optimizer)
      : Training(&module, &optimizer) {}
  /// Ends the run if train_end() was not called: as stopped by an exception when the Training is
  /// destroyed while one unwinds (the HParams session closes as FAILURE), else as finished.
  ~Training();
  Training(const Training&) = delete;
  Training& operator=(const Training&) = delete;
  /// Movable (a factory may return one); the moved-from Training ends nothing.
  Training(Training&& other) noexcept;
  Training& operator=(Training&&) = delete;

  /// Adds a callback; callbacks run in the order they were added. Throws std::invalid_argument
  /// for a callback that logs (needs_writer()) when this Training has no writer.
  template <typename C, typename... Args>
  C& add(Args&&... args) {
    auto callback = std::make_unique<C>(std::forward<Args>(args)...);
    C& ref = *callback;
    add(std::move(callback));
    return ref;
  }
  void add(std::unique_ptr<Callback> callback);

  void train_begin();
  void epoch_begin(int epoch);
  void batch_begin();
  void after_backward();
  void before_optimizer_step();
  void batch_end(const BatchResult& batch);  ///< counts the step
  void validation_end(const ValidationResult& validation);
  void epoch_end();
  void train_end();
  /// The loop's position ("training/step", "training/epoch") and each callback's state
  /// ("<state_key>/<name>"): what a checkpoint saves beside the model and the optimizer.
  CallbackState state_dict() const;
  /// Takes back a state_dict(): the step and epoch, and each callback's state by its key (a
  /// callback with nothing saved keeps its own; saved entries of callbacks not added are left).
  void load_state_dict(const CallbackState& state);
  /// For the loop's exception handler: stops training naming `error` (a "stopped" text when there
  /// is a writer), runs on_exception, then train_end(). Rethrow afterwards as you see fit.
  void exception(const std::exception& error);

  bool stopped() const { return state_.stop; }
  /// Whether train_end() was called (it runs the callbacks once).
  bool ended() const { return ended_; }
  TrainState& state() { return state_; }
  const TrainState& state() const { return state_; }

 private:
  template <typename F>
  void each(F&& f);

  void stop_with(const std::string& reason);

  TrainState state_;
  std::vector<std::unique_ptr<Callback>> callbacks_;
  bool ended_ = false;
  int uncaught_at_start_ = 0;  // std::uncaught_exceptions() when made: unwinding is more
};

}  // namespace tblog
