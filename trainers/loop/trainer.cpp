#include "trainer.hpp"

#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>

#include "../data/transforms.hpp"
#include "../summaries/tensor_summaries.hpp"
#include "config_check.hpp"
#include "optimizers.hpp"
#include "progress_bar.hpp"
#include "tblog/summary_writer.hpp"

namespace trainers {
namespace {

struct Evaluation {
  double loss = 0, accuracy = 0;
};

Evaluation evaluate(Classifier& model, const torch::Tensor& x, const torch::Tensor& y,
                    int batch_size, const torch::Device& device) {
  torch::NoGradGuard no_grad;
  model.module().eval();
  double loss = 0, correct = 0;
  const auto n = x.size(0);
  for (std::int64_t i = 0; i < n; i += batch_size) {
    const auto len = std::min<std::int64_t>(batch_size, n - i);
    const auto xb = x.narrow(0, i, len).to(device);
    const auto yb = y.narrow(0, i, len).to(device);
    const auto logits = model.forward(xb);
    loss += torch::cross_entropy_loss(logits, yb, {}, at::Reduction::Sum).item<double>();
    correct += logits.argmax(1).eq(yb).sum().item<double>();
  }
  model.module().train();
  return {loss / n, correct / n};
}

torch::Device pick_device(const std::string& name) {
  if (name == "cpu") return torch::kCPU;
  if (name == "cuda") {
    if (!torch::cuda::is_available()) {
      throw std::invalid_argument(
          "--device cuda: this LibTorch build has no CUDA support or no GPU is visible");
    }
    return torch::kCUDA;
  }
  throw std::invalid_argument("unknown device '" + name + "' (expected cpu or cuda)");
}

// Everything written to TensorBoard during training, behind one switch (config.logging).
class RunLog {
 public:
  RunLog(const TrainConfig& c, const DataSplit& data, Classifier& model)
      : config_(c), model_(model) {
    if (!c.logging) return;
    writer_ = std::make_unique<tblog::SummaryWriter>(c.logdir);
    writer_->add_text("config", config_markdown(c, data), 0);
    writer_->add_text("model", model.describe(), 0);
    if (c.hparams_session) writer_->add_hparams_session_start(hparams_of(c));
  }

  // A run left by an exception (anything but a finish() or fail()) is still closed as failed, so
  // TensorBoard's HParams dashboard does not show it as running forever.
  ~RunLog() {
    if (!on() || closed_) return;
    try {
      fail(0, "the run stopped with an error (see the console)");
    } catch (...) {  // nothing more can be done while unwinding
    }
  }

  bool on() const { return writer_ != nullptr; }
  double seconds() const { return seconds_; }

  void train_point(std::int64_t step, double loss, double accuracy, double lr, double rate) {
    if (!on()) return;
    Timed timed(seconds_);
    writer_->add_scalar("train/loss", loss, step);
    writer_->add_scalar("train/accuracy", accuracy, step);
    writer_->add_scalar("train/learning_rate", lr, step);
    writer_->add_scalar("perf/examples_per_second", rate, step);
  }

  void weights(std::int64_t step) {
    if (!on()) return;
    Timed timed(seconds_);
    for (const auto& [name, tensor] : model_.summarized_parameters()) {
      log_weight_summary(*writer_, name, tensor, step);
      if (config_.grad_histograms && tensor.grad().defined()) {
        log_histogram(*writer_, "gradients/" + name, tensor.grad(), step);
      }
    }
  }

  void filters(std::int64_t step) {
    if (!on()) return;
    Timed timed(seconds_);
    const auto f = model_.first_layer_filters();
    if (f.defined()) writer_->add_image("filters/conv1", filter_grid(f), step);
  }

  void activations(std::int64_t step, const torch::Tensor& images) {
    if (!on()) return;
    Timed timed(seconds_);
    torch::NoGradGuard no_grad;
    model_.module().eval();
    std::vector<ActivationStats> stats;
    for (const auto& [layer, a] : model_.conv_activations(images)) {
      stats.push_back(log_activation_stats(*writer_, layer, a, step));
    }
    model_.module().train();
    if (!stats.empty())
      writer_->add_text("activations/summary", activation_table_markdown(stats), step);
  }

  void test_point(std::int64_t step, const Evaluation& e) {
    if (!on()) return;
    Timed timed(seconds_);
    writer_->add_scalar("test/loss", e.loss, step);
    writer_->add_scalar("test/accuracy", e.accuracy, step);
  }

  // The epoch-stepped series (and the comparison group's copy of the test metrics).
  void epoch_point(int epoch, const TrainResult& r) {
    if (!on()) return;
    Timed timed(seconds_);
    writer_->add_scalar(kEpochTrainAccuracy, r.train_accuracy, epoch);
    writer_->add_scalar(kEpochTrainLoss, r.train_loss, epoch);
    writer_->add_scalar(kEpochTestAccuracy, r.test_accuracy, epoch);
    writer_->add_scalar(kEpochTestLoss, r.test_loss, epoch);
    if (!config_.compare_group.empty())
      writer_->add_scalar(config_.compare_group + "/test_accuracy", r.test_accuracy, epoch);
  }

  // Closes the run as failed: the reason as its results text, HParams status FAILURE.
  void fail(std::int64_t step, const std::string& why) {
    if (!on()) return;
    closed_ = true;
    writer_->add_text("results", "**FAILED**: " + why, step);
    if (config_.hparams_session) writer_->add_hparams_session_end(tblog::SessionStatus::kFailure);
    writer_->close();
  }

  void finish(const TrainResult& r, bool success) {
    if (!on()) return;
    writer_->add_text("results",
                      fmt::format("| metric | value |\n|---|---|\n| train accuracy | {:.4f} |\n"
                                  "| test accuracy | {:.4f} |\n| test loss | {:.4f} |\n"
                                  "| steps | {} |\n| seconds | {:.1f} |\n| examples/s | {:.0f} |",
                                  r.train_accuracy, r.test_accuracy, r.test_loss, r.steps,
                                  r.seconds, r.examples_per_second),
                      r.steps);
    closed_ = true;
    if (config_.hparams_session) {
      writer_->add_hparams_session_end(success ? tblog::SessionStatus::kSuccess
                                               : tblog::SessionStatus::kFailure);
    }
    writer_->close();
  }

 private:
  // Adds the lifetime of a scope to a total: what logging costs the training thread.
  struct Timed {
    explicit Timed(double& total) : total_(total), start_(std::chrono::steady_clock::now()) {}
    ~Timed() {
      total_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }
    double& total_;
    std::chrono::steady_clock::time_point start_;
  };

  const TrainConfig& config_;
  Classifier& model_;
  std::unique_ptr<tblog::SummaryWriter> writer_;
  bool closed_ = false;
  double seconds_ = 0;
};

double learning_rate_at(const TrainConfig& c, std::int64_t step, std::int64_t total_steps) {
  if (c.schedule == "constant") return c.lr;
  if (c.schedule == "cosine") {
    const double progress = total_steps > 0 ? double(step) / double(total_steps) : 0.0;
    return c.lr * 0.5 * (1.0 + std::cos(3.141592653589793 * progress));
  }
  throw std::invalid_argument("unknown learning-rate schedule '" + c.schedule +
                              "' (expected constant or cosine)");
}

}  // namespace

tblog::HParams hparams_of(const TrainConfig& c) {
  const bool lenet5 = c.model.name == "lenet5";
  // Whole numbers as text: HParams prints every number to five digits ("32.000"), and its
  // parallel coordinates give a discrete axis only to text values.
  auto whole = [](long long n) { return std::to_string(n); };
  return {{"model", lenet5 ? c.model.name : c.model.cell},
          {"optimizer", c.optimizer},
          {"lr", c.lr},
          {"momentum", c.momentum},
          {"schedule", c.schedule},
          {"weight_decay", c.weight_decay},
          {"batch_size", whole(c.batch_size)},
          {"epochs", whole(c.epochs)},
          {"hidden_units", whole(lenet5 ? c.model.fc1 : c.model.hidden)},
          {"layers", whole(lenet5 ? 5 : c.model.layers)},
          {"activation", lenet5 ? c.model.activation : std::string("tanh")},
          {"augment", c.augment},
          {"clip_grad_norm", c.clip_grad_norm},
          {"seed", whole(static_cast<long long>(c.seed))}};
}

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
  return md;
}

TrainResult train_classifier(const TrainConfig& c, const DataSplit& data) {
  check_config(c);
  if (data.train.size() == 0 || data.test.size() == 0) {
    throw DataError(data.name + ": " + std::to_string(data.train.size()) + " training and " +
                    std::to_string(data.test.size()) +
                    " test examples; training needs at least one of each");
  }
  if (c.logging && c.logdir.empty()) throw std::invalid_argument("no logdir given for the run");
  const torch::Device device = pick_device(c.device);
  torch::manual_seed(c.seed);

  ModelConfig mc = c.model;
  mc.in_channels = data.channels();
  mc.image_size = data.image_size();
  auto model = make_model(mc);
  model->module().to(device);
  auto optimizer =
      make_optimizer(c.optimizer, model->module().parameters(), c.lr, c.momentum, c.weight_decay);

  // Standardise both sets once, as whole tensors.
  const Normalizer normalize = Normalizer::fit(data.train);
  const auto train_x = normalize(data.train.images);
  const auto test_x = normalize(data.test.images);
  const auto& train_y = data.train.labels;
  const auto& test_y = data.test.labels;
  const auto activation_x =
      test_x.narrow(0, 0, std::min<std::int64_t>(c.activation_images, test_x.size(0))).to(device);

  RunLog log(c, data, *model);
  log.filters(0);
  log.weights(0);

  const std::int64_t n = train_x.size(0);
  const std::int64_t steps_per_epoch = (n + c.batch_size - 1) / c.batch_size;
  const std::int64_t total_steps = c.max_steps > 0
                                       ? std::min(c.max_steps, steps_per_epoch * c.epochs)
                                       : steps_per_epoch * c.epochs;
  ProgressBar bar(c.model.name == "lenet5" ? "lenet5" : c.model.cell, total_steps, c.progress);

  TrainResult result;
  const auto start = std::chrono::steady_clock::now();
  double training_seconds = 0;
  std::int64_t step = 0, examples = 0;
  double window_loss = 0, window_correct = 0, window_n = 0;
  for (int epoch = 0; epoch < c.epochs && step < total_steps; ++epoch) {
    const auto epoch_start = std::chrono::steady_clock::now();
    double epoch_loss = 0, epoch_correct = 0, epoch_n = 0;
    const auto order = torch::randperm(n, torch::kInt64);
    for (std::int64_t b = 0; b < steps_per_epoch && step < total_steps; ++b) {
      const auto len = std::min<std::int64_t>(c.batch_size, n - b * c.batch_size);
      const auto idx = order.narrow(0, b * c.batch_size, len);
      auto xb = train_x.index_select(0, idx);
      if (c.augment) xb = augment_batch(xb, c.augment_pad, c.augment_flip);
      xb = xb.to(device);
      const auto yb = train_y.index_select(0, idx).to(device);

      const double lr = learning_rate_at(c, step, total_steps);
      if (c.schedule != "constant") set_learning_rate(*optimizer, lr);
      optimizer->zero_grad();
      const auto logits = model->forward(xb);
      const auto loss = torch::cross_entropy_loss(logits, yb);
      loss.backward();
      if (c.clip_grad_norm > 0)
        torch::nn::utils::clip_grad_norm_(model->module().parameters(), c.clip_grad_norm);
      optimizer->step();
      ++step;
      examples += len;

      const double batch_loss = loss.item<double>();
      if (!std::isfinite(batch_loss)) {
        const std::string why = fmt::format(
            "training diverged: the loss is {} at step {} (epoch {}); try a smaller --lr{}",
            std::isnan(batch_loss) ? "NaN" : "infinite", step, epoch + 1,
            c.clip_grad_norm > 0 ? "" : " or --clip");
        bar.finish();
        log.fail(step, why);
        throw TrainingDiverged(why);
      }
      const double batch_correct = logits.argmax(1).eq(yb).sum().item<double>();
      epoch_loss += batch_loss * len;
      epoch_correct += batch_correct;
      epoch_n += len;
      window_loss += batch_loss * len;
      window_correct += batch_correct;
      window_n += len;
      const double elapsed =
          training_seconds +
          std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start).count();
      const double rate = elapsed > 0 ? examples / elapsed : 0;
      bar.update(step, window_loss / window_n, window_correct / window_n, rate);
      if (step % c.log_every == 0) {
        log.train_point(step, window_loss / window_n, window_correct / window_n, lr, rate);
        window_loss = window_correct = window_n = 0;
      }
      if (step % c.summary_every == 0) log.weights(step);
    }
    training_seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start).count();
    result.train_loss = epoch_loss / epoch_n;
    result.train_accuracy = epoch_correct / epoch_n;
    result.epochs = epoch + 1;
    const Evaluation test = evaluate(*model, test_x, test_y, 512, device);
    result.test_loss = test.loss;
    result.test_accuracy = test.accuracy;
    log.test_point(step, test);
    log.epoch_point(epoch + 1, result);
    log.filters(step);
    if (c.activation_images > 0) log.activations(step, activation_x);
  }
  bar.finish();
  result.steps = step;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.examples_per_second = training_seconds > 0 ? examples / training_seconds : 0;
  // Final weights, unless the loop just logged them at this very step (a repeated step would make
  // TensorBoard's data server drop the earlier point as a preemption).
  if (step % c.summary_every != 0) log.weights(step);
  result.logging_seconds = log.seconds();
  log.finish(result, true);
  return result;
}

}  // namespace trainers
