// tbtrain: LeNet5 and RNN/LSTM/GRU trainers that log everything to TensorBoard via tblog.
#include <fmt/format.h>
#include <torch/torch.h>
#include <CLI/CLI.hpp>

#include "../data/transforms.hpp"
#include "../experiments/assignment.hpp"
#include "../experiments/sweep.hpp"

using namespace trainers;

namespace {

struct DataOptions {
  std::string name = "fashion-mnist";  // fashion-mnist | mnist | cifar10 | cifar10-gray
  std::string dir;                     // default: Debian's Fashion-MNIST
  std::int64_t train_limit = 0, test_limit = 0;

  void add_to(CLI::App* app) {
    app->add_option("--data", name, "fashion-mnist | mnist | cifar10 | cifar10-gray (28x28)")
        ->check(CLI::IsMember({"fashion-mnist", "mnist", "cifar10", "cifar10-gray"}));
    app->add_option("--data-dir", dir,
                    "Directory of the data files (default for fashion-mnist: " +
                        default_fashion_mnist_dir() + ")");
    app->add_option("--train-limit", train_limit, "Use only the first N training examples");
    app->add_option("--test-limit", test_limit, "Use only the first N test examples");
  }

  DataSplit load() const {
    DataSplit split;
    if (name == "fashion-mnist") {
      split = load_idx_dataset(dir.empty() ? default_fashion_mnist_dir() : dir, name);
    } else if (dir.empty()) {
      throw std::invalid_argument("--data " + name + " needs --data-dir");
    } else if (name == "mnist") {
      split = load_idx_dataset(dir, name);
    } else {
      split = load_cifar10(dir);
      if (name == "cifar10-gray") split = to_grayscale(split, 28);
    }
    return take_subset(split, train_limit, test_limit);
  }
};

void add_training_options(CLI::App* app, TrainConfig& c) {
  app->add_option("--optimizer", c.optimizer, "sgd | momentum | adam | adagrad | rmsprop")
      ->check(CLI::IsMember({"sgd", "momentum", "adam", "adagrad", "rmsprop"}));
  app->add_option("--lr", c.lr, "Learning rate");
  app->add_option("--schedule", c.schedule, "constant | cosine (anneal the learning rate to 0)")
      ->check(CLI::IsMember({"constant", "cosine"}));
  app->add_option("--momentum", c.momentum, "Momentum (for --optimizer momentum)");
  app->add_option("--weight-decay", c.weight_decay, "L2 weight decay");
  app->add_option("--batch-size", c.batch_size, "Batch size");
  app->add_option("--epochs", c.epochs, "Epochs");
  app->add_option("--max-steps", c.max_steps, "Stop after this many steps (iterations)");
  app->add_option("--seed", c.seed, "Random seed (same seed, same results on CPU)");
  app->add_option("--device", c.device, "cpu | cuda")->check(CLI::IsMember({"cpu", "cuda"}));
  app->add_option("--log-every", c.log_every, "Steps between train loss/accuracy points");
  app->add_option("--summary-every", c.summary_every, "Steps between weight summaries");
  app->add_flag("--grad-histograms", c.grad_histograms, "Also log gradient histograms");
  app->add_flag("!--no-logging", c.logging, "Write no event files (to measure logging cost)");
  app->add_flag("!--no-progress", c.progress, "No progress bar");
}

void print_result(const std::string& what, const TrainResult& r) {
  fmt::print(
      "{}: test accuracy {:.4f}, test loss {:.4f}, train accuracy {:.4f}, {} steps, {:.1f} s, "
      "{:.0f} examples/s, logging {:.3f} s\n",
      what, r.test_accuracy, r.test_loss, r.train_accuracy, r.steps, r.seconds,
      r.examples_per_second, r.logging_seconds);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tbtrain: LeNet5 and RNN/LSTM/GRU trainers logging to TensorBoard"};
  app.require_subcommand(1);
  // Measured on a 2-core machine: one intra-op thread is fastest for these small models
  // (see docs/benchmarks.md); more threads only add synchronisation.
  int threads = 1;
  app.add_option("--threads", threads, "LibTorch intra-op threads")->check(CLI::PositiveNumber);

  TrainConfig cnn_config;
  cnn_config.model.name = "lenet5";
  DataOptions cnn_data;
  std::string cnn_logdir = "runs/lenet5";
  auto* cnn = app.add_subcommand("cnn", "Train LeNet5 (filters, activations, weights logged)");
  cnn_data.add_to(cnn);
  add_training_options(cnn, cnn_config);
  cnn->add_option("--activation", cnn_config.model.activation, "tanh | relu")
      ->check(CLI::IsMember({"tanh", "relu"}));
  cnn->add_option("--fc1", cnn_config.model.fc1, "Width of the first fully connected layer");
  cnn->add_flag("--augment", cnn_config.augment, "Random crop (pad 4) and horizontal flip");
  cnn->add_option("--activation-images", cnn_config.activation_images,
                  "Test images used for the per-epoch activation statistics");
  cnn->add_option("--logdir", cnn_logdir, "Run directory");

  TrainConfig rnn_config;
  rnn_config.model.name = "recurrent";
  rnn_config.batch_size = 128;
  DataOptions rnn_data;
  std::string rnn_logdir = "runs/rnn";
  auto* rnn = app.add_subcommand("rnn", "Train an RNN/LSTM/GRU on images read row by row");
  rnn_data.add_to(rnn);
  add_training_options(rnn, rnn_config);
  rnn->add_option("--cell", rnn_config.model.cell, "rnn | lstm | gru")
      ->check(CLI::IsMember({"rnn", "lstm", "gru"}));
  rnn->add_option("--hidden", rnn_config.model.hidden, "Hidden size");
  rnn->add_option("--layers", rnn_config.model.layers, "Stacked layers");
  rnn->add_option("--clip", rnn_config.clip_grad_norm, "Clip the gradient norm (0: off)");
  rnn_config.augment_pad = 2;  // digits: small shifts, never mirrored
  rnn_config.augment_flip = false;
  rnn->add_flag("--augment", rnn_config.augment, "Random shifts of up to 2 pixels (no flips)");
  rnn->add_option("--logdir", rnn_logdir, "Run directory");

  TrainConfig cmp_config = rnn_config;
  DataOptions cmp_data;
  std::string cmp_cells = "rnn,lstm,gru", cmp_hidden = "64,128,256",
              cmp_logdir = "runs/rnn_compare";
  int cmp_parallel = 1;
  auto* compare =
      app.add_subcommand("rnn-compare", "Cell types x hidden sizes, one chart, one table");
  cmp_data.add_to(compare);
  add_training_options(compare, cmp_config);
  compare->add_option("--cells", cmp_cells, "Comma-separated cell types");
  compare->add_option("--hidden", cmp_hidden, "Comma-separated hidden sizes");
  compare->add_option("--clip", cmp_config.clip_grad_norm, "Clip the gradient norm (0: off)");
  compare->add_option("--parallel", cmp_parallel, "Runs at a time");
  compare->add_option("--logdir", cmp_logdir, "Experiment directory");

  TrainConfig sweep_config;
  DataOptions sweep_data;
  std::string sweep_model = "cnn", grid_spec, grid_file, sweep_logdir = "runs/sweep";
  int sweep_parallel = 1;
  auto* sweep = app.add_subcommand("sweep", "Run a hyperparameter grid, resumably");
  sweep_data.add_to(sweep);
  add_training_options(sweep, sweep_config);
  sweep->add_option("--model", sweep_model, "cnn | rnn")->check(CLI::IsMember({"cnn", "rnn"}));
  sweep->add_option("--grid", grid_spec, "e.g. \"lr=1e-2,1e-3; optimizer=sgd,adam\"");
  sweep->add_option("--grid-file", grid_file, "File with one axis per line (name = v1, v2)");
  sweep->add_option("--parallel", sweep_parallel, "Runs at a time");
  sweep->add_option("--logdir", sweep_logdir, "Sweep directory (one run directory per setting)");

  AssignmentOptions assignment_options;
  auto* assignment = app.add_subcommand(
      "assignment", "The whole CNN-on-CIFAR-10 / RNN-LSTM-GRU-on-MNIST study in one command");
  assignment->add_flag("--quick", assignment_options.quick, "Subsets and one epoch: a few minutes");
  assignment->add_option("--logdir", assignment_options.logdir, "Log directory");
  assignment->add_option("--cifar", assignment_options.cifar_dir, "CIFAR-10 binary directory");
  assignment->add_option("--mnist", assignment_options.mnist_dir, "MNIST IDX directory");
  assignment->add_option("--parallel", assignment_options.parallel, "Runs at a time");
  assignment->add_option("--device", assignment_options.device, "cpu | cuda");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    torch::set_num_threads(threads);
    if (*cnn) {
      cnn_config.logdir = cnn_logdir;
      print_result("lenet5", train_classifier(cnn_config, cnn_data.load()));
    } else if (*rnn) {
      rnn_config.logdir = rnn_logdir;
      print_result(rnn_config.model.cell, train_classifier(rnn_config, rnn_data.load()));
    } else if (*compare) {
      SweepOptions o;
      o.root = cmp_logdir;
      o.title = "RNN vs LSTM vs GRU";
      o.base = cmp_config;
      o.axes = parse_grid("cell=" + cmp_cells + "; hidden=" + cmp_hidden);
      o.parallel = cmp_parallel;
      const auto r = run_sweep(o, cmp_data.load());
      fmt::print("\n{}\nbest: {}\n", r.table, r.best.name);
    } else if (*sweep) {
      if (grid_spec.empty() == grid_file.empty())
        throw std::invalid_argument("give either --grid or --grid-file");
      SweepOptions o;
      o.root = sweep_logdir;
      o.base = sweep_config;
      o.base.model.name = sweep_model == "cnn" ? "lenet5" : "recurrent";
      if (sweep_model == "rnn" && o.base.batch_size == 64) o.base.batch_size = 128;
      o.axes = grid_file.empty() ? parse_grid(grid_spec) : load_grid_file(grid_file);
      o.parallel = sweep_parallel;
      o.title = "sweep " + sweep_logdir;
      const auto r = run_sweep(o, sweep_data.load());
      fmt::print("\n{}\nbest: {}\n", r.table, r.best.name);
    } else if (*assignment) {
      fmt::print("\n{}", run_assignment(assignment_options));
      fmt::print("\nOpen it: tensorboard --logdir {}\n", assignment_options.logdir);
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "tbtrain: error: {}\n", e.what());
    return 1;
  }
  return 0;
}
