#include <fmt/format.h>

#include "../data/transforms.hpp"
#include "../loop/config_check.hpp"
#include "command.hpp"

namespace trainers::cli {

void DataOptions::add_to(CLI::App* app) {
  app->add_option("--data", name, "fashion-mnist | mnist | cifar10 | cifar10-gray (28x28)")
      ->check(CLI::IsMember({"fashion-mnist", "mnist", "cifar10", "cifar10-gray"}));
  app->add_option("--data-dir", dir,
                  "Directory of the data files (default for fashion-mnist: " +
                      default_fashion_mnist_dir() + ")");
  app->add_option("--train-limit", train_limit, "Use only the first N training examples (0: all)");
  app->add_option("--test-limit", test_limit, "Use only the first N test examples (0: all)");
}

void DataOptions::check() const {
  check_at_least("--train-limit", train_limit, 0);
  check_at_least("--test-limit", test_limit, 0);
  if (name != "fashion-mnist" && dir.empty())
    throw UsageError("--data " + name + " needs --data-dir");
}

DataSplit DataOptions::load() const {
  DataSplit split;
  if (name == "fashion-mnist") {
    split = load_idx_dataset(dir.empty() ? default_fashion_mnist_dir() : dir, name);
  } else if (name == "mnist") {
    split = load_idx_dataset(dir, name);
  } else {
    split = load_cifar10(dir);
    if (name == "cifar10-gray") split = to_grayscale(split, 28);
  }
  return take_subset(split, train_limit, test_limit);
}

void add_training_options(CLI::App* app, TrainConfig& c) {
  app->add_option("--optimizer", c.optimizer, "sgd | momentum | adam | adagrad | rmsprop")
      ->check(CLI::IsMember({"sgd", "momentum", "adam", "adagrad", "rmsprop"}));
  app->add_option("--lr", c.lr, "Learning rate (> 0)");
  app->add_option("--schedule", c.schedule, "constant | cosine (anneal the learning rate to 0)")
      ->check(CLI::IsMember({"constant", "cosine"}));
  app->add_option("--momentum", c.momentum, "Momentum in [0, 1) (for momentum and rmsprop)");
  app->add_option("--weight-decay", c.weight_decay, "L2 weight decay (>= 0)");
  app->add_option("--label-smoothing", c.label_smoothing,
                  "Share of each training target spread over all classes, in [0, 1)");
  app->add_option("--batch-size", c.batch_size, "Batch size");
  app->add_option("--epochs", c.epochs, "Epochs");
  app->add_option("--max-steps", c.max_steps, "Stop after this many steps (0: no limit)");
  app->add_option("--seed", c.seed, "Random seed (same seed, same results on CPU)");
  app->add_option("--device", c.device, "cpu | cuda")->check(CLI::IsMember({"cpu", "cuda"}));
  app->add_option("--log-every", c.log_every, "Steps between train loss/accuracy points (>= 1)");
  app->add_option("--summary-every", c.summary_every, "Steps between weight summaries (>= 1)");
  app->add_option("--checkpoint-every", c.checkpoint_every,
                  "Save a checkpoint every N steps into the run directory (0: never)");
  app->add_flag("--resume", c.resume,
                "Continue from the run directory's checkpoint (sweeps always do)");
  app->add_flag("--grad-histograms", c.grad_histograms, "Also log gradient histograms");
  app->add_flag("!--no-logging", c.logging, "Write no event files (to measure logging cost)");
  app->add_flag("!--no-visuals", c.visuals,
                "No diagnostics or visualizations (PR curves, confusion matrix, deconvnet...)");
  app->add_option("--embedding-points", c.embedding_points,
                  "Test images shown in the PROJECTOR (0: none)");
  app->add_flag("!--no-progress", c.progress, "No progress bar");
}

void add_parallel_option(CLI::App* app, int& parallel) {
  app->add_option("--parallel", parallel, "Runs at a time (>= 1)");
}

void print_result(const std::string& what, const TrainResult& r) {
  fmt::print(
      "{}: test accuracy {:.4f}, test loss {:.4f}, train accuracy {:.4f}, {} steps, {:.1f} s, "
      "{:.0f} examples/s, logging {:.3f} s (visuals {:.3f} s per epoch, {:.3f} s at the end)\n",
      what, r.test_accuracy, r.test_loss, r.train_accuracy, r.steps, r.seconds,
      r.examples_per_second, r.logging_seconds,
      r.epochs > 0 ? r.visuals_epoch_seconds / r.epochs : 0.0, r.visuals_final_seconds);
}

}  // namespace trainers::cli
