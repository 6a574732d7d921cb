#include "trainer.hpp"

#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <utility>

#include "../data/transforms.hpp"
#include "../distributed/data_parallel.hpp"
#include "checkpoint.hpp"
#include "config_check.hpp"
#include "optimizers.hpp"
#include "progress_bar.hpp"
#include "run_log.hpp"
#include "settings.hpp"

namespace trainers {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Evaluation {
  double loss = 0, accuracy = 0;
  torch::Tensor logits;  // N x classes, CPU float
  torch::Tensor labels;  // N, CPU int64
};

Evaluation evaluate(Classifier& model, const torch::Tensor& x, const torch::Tensor& y,
                    int batch_size, const torch::Device& device) {
  torch::NoGradGuard no_grad;
  model.module().eval();
  double loss = 0, correct = 0;
  const auto n = x.size(0);
  std::vector<torch::Tensor> logits_of_batches;
  for (std::int64_t i = 0; i < n; i += batch_size) {
    const auto len = std::min<std::int64_t>(batch_size, n - i);
    const auto xb = x.narrow(0, i, len).to(device);
    const auto yb = y.narrow(0, i, len).to(device);
    const auto logits = model.forward(xb);
    loss += torch::cross_entropy_loss(logits, yb, {}, at::Reduction::Sum).item<double>();
    correct += logits.argmax(1).eq(yb).sum().item<double>();
    logits_of_batches.push_back(logits.to(torch::kCPU).to(torch::kFloat32));
  }
  model.module().train();
  return {loss / n, correct / n, torch::cat(logits_of_batches),
          y.to(torch::kCPU).to(torch::kInt64)};
}

torch::Device pick_device(const std::string& name) {
  if (name == "cpu") return torch::kCPU;
  if (!torch::cuda::is_available()) {  // check_config allows only cpu and cuda
    throw std::invalid_argument(
        "--device cuda: this LibTorch build has no CUDA support or no GPU is visible");
  }
  return torch::kCUDA;
}

// The learning-rate schedule, parsed once from its option string.
enum class Schedule { kConstant, kCosine };

Schedule parse_schedule(const std::string& name) {
  return name == "cosine" ? Schedule::kCosine : Schedule::kConstant;  // checked by check_config
}

double learning_rate_at(Schedule schedule, double lr, std::int64_t step, std::int64_t total) {
  if (schedule == Schedule::kConstant) return lr;
  const double progress = total > 0 ? double(step) / double(total) : 0.0;
  return lr * 0.5 * (1.0 + std::cos(3.141592653589793 * progress));  // cosine to 0
}

// An epoch's training loss and accuracy so far: the mean of its batches' losses and the share of
// its examples predicted right, as TrainingScalars computes its Epoch/ series (run_log.cpp), so
// the result and the logged series agree.
struct EpochWindow {
  double loss = 0, correct = 0, examples = 0, batches = 0;
  void add(double batch_loss, double batch_correct, double batch_examples) {
    loss += batch_loss;
    correct += batch_correct;
    examples += batch_examples;
    ++batches;
  }
  double mean_loss() const { return loss / batches; }
  double accuracy() const { return correct / examples; }
};

// What a training run carries from one epoch to the next.
struct Training {
  const TrainConfig& config;
  Classifier& model;
  torch::optim::Optimizer& optimizer;
  tblog::Training& callbacks;  // the loop reports here; RunLog's callbacks do the logging
  ProgressBar& bar;
  torch::Device device;
  Schedule schedule;
  Augmentation augment;       // what --augment does for this model
  std::int64_t global_batch;  // batch_size x ranks: the examples of one step
  std::int64_t steps_per_epoch, total_steps;
  std::int64_t step = 0, examples = 0;
  double training_seconds = 0;
  DataParallel* data_parallel = nullptr;  // none: a single process
  TrainingPosition position;              // as of the last step, for Checkpointing
};

TestCallbacksHook& test_callbacks_hook() {
  static TestCallbacksHook hook;
  return hook;
}

// One step's mean loss, correct predictions and examples, over every rank's share.
struct StepLoss {
  double loss = 0, correct = 0, n = 0;
};

// Back-propagates the step's loss (gradients summed over the ranks) and returns its statistics.
StepLoss compute_loss(Training& t, const torch::Tensor& logits, const torch::Tensor& labels,
                      std::int64_t global_n) {
  if (!t.data_parallel) {
    const auto loss = torch::cross_entropy_loss(logits, labels, {}, at::Reduction::Mean, -100,
                                                t.config.label_smoothing);
    loss.backward();
    return {loss.item<double>(), logits.argmax(1).eq(labels).sum().item<double>(),
            static_cast<double>(labels.size(0))};
  }
  // Each rank's summed loss over the global batch size: summed over ranks, the gradients are
  // those of the global batch's mean loss, whatever share each rank had.
  const auto local_sum = torch::cross_entropy_loss(logits, labels, {}, at::Reduction::Sum, -100,
                                                   t.config.label_smoothing);
  (local_sum / static_cast<double>(global_n)).backward();
  for (auto& p : t.model.module().parameters()) {
    if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
  }
  t.data_parallel->sum_gradients(t.model.module().parameters());
  const auto totals = t.data_parallel->sum(
      {local_sum.item<double>(), logits.argmax(1).eq(labels).sum().item<double>()});
  return {totals[0] / static_cast<double>(global_n), totals[1], static_cast<double>(global_n)};
}

struct EpochStats {
  double loss = 0, accuracy = 0;
};

// One pass over the shuffled training set (or what is left of --max-steps), or the rest of one
// when resuming from a checkpoint taken inside it.
EpochStats train_epoch(Training& t, int epoch, const torch::Tensor& x, const torch::Tensor& y,
                       const std::optional<TrainingPosition>& resume) {
  const TrainConfig& c = t.config;
  const auto epoch_start = Clock::now();
  const std::int64_t n = x.size(0);
  const auto order = resume ? resume->order : torch::randperm(n, torch::kInt64);
  EpochWindow epoch_window;
  if (resume)
    epoch_window = {resume->epoch_loss, resume->epoch_correct, resume->epoch_n,
                    resume->epoch_batches};
  const std::int64_t global_batch = t.global_batch;
  for (std::int64_t b = resume ? resume->next_batch : 0;
       b < t.steps_per_epoch && t.step < t.total_steps; ++b) {
    const auto global_n = std::min<std::int64_t>(global_batch, n - b * global_batch);
    auto idx = order.narrow(0, b * global_batch, global_n);
    if (t.data_parallel)
      idx = idx.slice(0, t.data_parallel->rank(), global_n, t.data_parallel->world_size());
    auto xb = x.index_select(0, idx);
    if (c.augment) xb = augment_batch(xb, t.augment.pad, t.augment.flip);
    xb = xb.to(t.device);
    const auto yb = y.index_select(0, idx).to(t.device);

    const double lr = learning_rate_at(t.schedule, c.lr, t.step, t.total_steps);
    if (t.schedule != Schedule::kConstant) set_learning_rate(t.optimizer, lr);
    t.callbacks.batch_begin();
    t.optimizer.zero_grad();
    const auto logits = t.model.forward(xb);
    const StepLoss loss = compute_loss(t, logits, yb, global_n);
    t.callbacks.after_backward();
    if (c.clip_grad_norm > 0)
      torch::nn::utils::clip_grad_norm_(t.model.module().parameters(), c.clip_grad_norm);
    t.callbacks.before_optimizer_step();
    t.optimizer.step();
    ++t.step;
    t.examples += global_n;

    const double batch_loss = loss.loss;
    if (!std::isfinite(batch_loss)) {
      const std::string why = fmt::format(
          "training diverged: the loss is {} at step {} (epoch {}); try a smaller --lr{}",
          std::isnan(batch_loss) ? "NaN" : "infinite", t.step, epoch,
          c.clip_grad_norm > 0 ? "" : " or --clip");
      t.bar.finish();
      tblog::TrainState& state = t.callbacks.state();
      state.step = t.step;
      state.stop = true;
      state.stop_reason = why;
      t.callbacks.train_end();
      throw TrainingDiverged(why);
    }
    epoch_window.add(batch_loss, loss.correct, loss.n);
    const double elapsed = t.training_seconds + seconds_since(epoch_start);
    t.bar.update(t.step, epoch_window.mean_loss(), epoch_window.accuracy(),
                 elapsed > 0 ? t.examples / elapsed : 0);
    // Where the run is, for the checkpoint a callback may take of this step (Checkpointing).
    const EpochWindow& e = epoch_window;
    t.position = {epoch,   b + 1,    t.step,       t.examples, elapsed, order,
                  e.loss,  e.correct, e.examples,  e.batches,  {}};
    // The step's loss over every rank; outputs, targets and inputs are this rank's share.
    t.callbacks.batch_end({torch::scalar_tensor(batch_loss, torch::kFloat64), logits, yb, xb});
  }
  t.training_seconds += seconds_since(epoch_start);
  return {epoch_window.mean_loss(), epoch_window.accuracy()};
}

}  // namespace

void set_test_callbacks_hook(TestCallbacksHook hook) {
  test_callbacks_hook() = std::move(hook);
}

ResumeSettings resume_settings_of(const TrainConfig& c, const DataSplit& data) {
  ResumeSettings s = {
      {"--data/--train-limit",
       fmt::format("{} ({} training examples of {}x{}x{})", data.name, data.train.size(),
                   data.channels(), data.image_size(), data.image_size())},
      {"model", c.model.name}};
  for (auto& kept : kept_on_resume(c)) s.push_back(std::move(kept));
  return s;
}

tblog::HParams hparams_of(const TrainConfig& c) {
  // The settings' own values, then what every model states of itself (settings.hpp, kModelFact),
  // so sessions of different models carry the same keys.
  tblog::HParams h = hparam_values_of(c);
  const ModelFacts model = model_facts(c.model);
  h["model"] = model.label;
  h["hidden_units"] = std::to_string(model.hidden_units);
  h["layers"] = std::to_string(model.layers);
  h["activation"] = model.activation;
  return h;
}

namespace {

// "model name" of /proc/cpuinfo: different CPUs take different kernels (AVX2, AVX-512), and
// the same seed then gives slightly different numbers.
std::string cpu_model_name() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      const auto start = line.find_first_not_of(" \t", line.find(':') + 1);
      if (line.find(':') != std::string::npos && start != std::string::npos)
        return line.substr(start);
    }
  }
  return "unknown";
}

}  // namespace

std::string config_markdown(const TrainConfig& c, const DataSplit& data) {
  std::string md = "| setting | value |\n|---|---|\n";
  md += fmt::format("| data | {} ({} train, {} test, {}x{}x{}) |\n", data.name, data.train.size(),
                    data.test.size(), data.channels(), data.image_size(), data.image_size());
  for (const auto& [key, value] : hparams_of(c)) {
    std::string text;
    if (const auto* d = std::get_if<double>(&value)) text = fmt::format("{}", *d);
    if (const auto* s = std::get_if<std::string>(&value)) text = *s;
    if (const auto* b = std::get_if<bool>(&value)) text = *b ? "true" : "false";
    md += fmt::format("| {} | {} |\n", key, text);
  }
  md += fmt::format("| device | {} |\n| threads | {} |\n", c.device, torch::get_num_threads());
  // What else the numbers depend on (docs/results): BLAS threads and the CPU's kernels.
  const char* blas_threads = std::getenv("OPENBLAS_NUM_THREADS");
  md += fmt::format("| OPENBLAS_NUM_THREADS | {} |\n| cpu | {} |\n",
                    blas_threads ? blas_threads : "unset (one per core)", cpu_model_name());
  return md;
}

TrainResult train_classifier(const TrainConfig& c, const DataSplit& data,
                             DataParallel* data_parallel) {
  check_config(c);
  if (data.train.size() == 0 || data.test.size() == 0) {
    throw DataError(data.name + ": " + std::to_string(data.train.size()) + " training and " +
                    std::to_string(data.test.size()) +
                    " test examples; training needs at least one of each");
  }
  if ((c.logging || c.checkpoint_every > 0 || c.resume) && c.logdir.empty())
    throw std::invalid_argument("no logdir given for the run");
  const torch::Device device = pick_device(c.device);
  torch::manual_seed(c.seed);

  ModelConfig mc = c.model;
  mc.in_channels = data.channels();
  mc.image_size = data.image_size();
  auto model = make_model(mc);
  model->module().to(device);
  auto optimizer =
      make_optimizer(c.optimizer, model->module().parameters(), c.lr, c.momentum, c.weight_decay);

  // Standardise both sets once, as whole tensors. The test set stays on the device: it is
  // evaluated every epoch, and the plugins draw from it.
  const Normalizer normalize = Normalizer::fit(data.train);
  const auto train_x = normalize(data.train.images);
  const auto test_x = normalize(data.test.images).to(device);
  const auto activation_x =
      test_x.narrow(0, 0, std::min<std::int64_t>(c.activation_images, test_x.size(0)));

  const std::int64_t global_batch =
      c.batch_size * (data_parallel ? data_parallel->world_size() : 1);
  const std::int64_t steps_per_epoch = (train_x.size(0) + global_batch - 1) / global_batch;
  const std::int64_t all_steps = steps_per_epoch * c.epochs;
  const std::int64_t total_steps = c.max_steps > 0 ? std::min(c.max_steps, all_steps) : all_steps;
  std::optional<TrainingPosition> resume;
  const ResumeSettings settings = resume_settings_of(c, data);
  if (data_parallel) {
    std::string text;
    for (const auto& [option, value] : settings) text += option + "=" + value + "\n";
    text += "--epochs=" + std::to_string(c.epochs) + "\n--max-steps=" + std::to_string(c.max_steps);
    if (!data_parallel->all_equal(text))
      throw UsageError("data-parallel: rank " + std::to_string(data_parallel->rank()) +
                       " was not started with the same training options as every other rank " +
                       "(model, data, batch size, optimizer, epochs...)");
  }
  if (c.resume) resume = load_checkpoint(c.logdir, model->module(), *optimizer, settings);
  if (resume && resume->step >= total_steps) {
    throw UsageError("--resume: the checkpoint in " + c.logdir + " is at step " +
                     std::to_string(resume->step) + ", and this run ends at step " +
                     std::to_string(total_steps) + " (--max-steps/--epochs): nothing to train");
  }
  RunLog log(c, data, *model, *optimizer, activation_x,
             resume ? std::optional(resume->step) : std::nullopt, data_parallel != nullptr);
  tblog::Training& callbacks = log.callbacks();
  ProgressBar bar(model_facts(c.model).label, total_steps, c.progress);
  Training t{c,
             *model,
             *optimizer,
             callbacks,
             bar,
             device,
             parse_schedule(c.schedule),
             model_entry(c.model.name).augment,
             global_batch,
             steps_per_epoch,
             total_steps};
  t.data_parallel = data_parallel;
  if (data_parallel) {
    // The callbacks' reduce hook: what they log is summed over every rank.
    callbacks.state().reduce_sum = [data_parallel](std::vector<double>& values) {
      values = data_parallel->sum(values);
    };
  }
  if (test_callbacks_hook())
    test_callbacks_hook()(callbacks, data_parallel ? data_parallel->rank() : 0);
  if (c.checkpoint_every > 0) {  // last: the other callbacks count a step before it is saved
    callbacks.add<Checkpointing>(c.logdir, c.checkpoint_every, model->module(), *optimizer,
                                 callbacks, settings, t.position);
  }
  if (resume) {
    callbacks.load_state_dict(resume->callbacks);
    t.step = resume->step;
    t.examples = resume->examples;
    t.training_seconds = resume->training_seconds;
  }

  TrainResult result;
  const auto start = Clock::now();
  callbacks.state().step = t.step;
  callbacks.train_begin();  // a fresh run logs its step 0; a resumed one has it already
  for (int epoch = resume ? resume->epoch : 1; epoch <= c.epochs && t.step < total_steps; ++epoch) {
    const bool resumed_epoch = resume && epoch == resume->epoch;
    // An epoch resumed part-way began before the checkpoint: the callbacks' epoch state (their
    // running sums, and the epoch itself) came back with load_state_dict, and beginning it again
    // would clear them.
    if (!resumed_epoch) callbacks.epoch_begin(epoch);
    const EpochStats train =
        train_epoch(t, epoch, train_x, data.train.labels, resumed_epoch ? resume : std::nullopt);
    const Evaluation test = evaluate(*model, test_x, data.test.labels, 512, device);
    result.train_loss = train.loss;
    result.train_accuracy = train.accuracy;
    result.test_loss = test.loss;
    result.test_accuracy = test.accuracy;
    result.epochs = epoch;
    // The images as stored and as the model saw them, for the diagnostics and figures.
    callbacks.validation_end({test.logits, test.labels, data.test.images, {}, test_x, test.loss});
    callbacks.epoch_end();
  }
  bar.finish();
  result.steps = t.step;
  result.seconds = seconds_since(start);
  result.examples_per_second = t.training_seconds > 0 ? t.examples / t.training_seconds : 0;
  log.report().final_result = result;
  callbacks.train_end();  // final weights and figures, the results text, SUCCESS; closes the run
  result.logging_seconds = log.seconds();
  result.visuals_epoch_seconds = log.epoch_visuals_seconds();
  result.visuals_final_seconds = log.final_visuals_seconds();
  return result;
}

}  // namespace trainers
