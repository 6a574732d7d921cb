#include "assignment.hpp"

#include <fmt/format.h>
#include <torch/torch.h>

#include <filesystem>

#include "../data/transforms.hpp"
#include "sweep.hpp"
#include "tblog/summary_writer.hpp"

namespace trainers {
namespace {

struct Scale {
  std::int64_t cnn_train, cnn_test, rnn_train, rnn_test;
  int cnn_epochs, rnn_epochs, best_epochs;
};

// Quick: small subsets and one epoch, so the whole study takes minutes on 2 cores.
constexpr Scale kQuick{2000, 1000, 6000, 1000, 2, 2, 4};
constexpr Scale kFull{0, 0, 0, 0, 10, 5, 30};

DataSplit cnn_data(const AssignmentOptions& o, std::string& note) {
  if (!o.cifar_dir.empty()) return load_cifar10(o.cifar_dir);
  note += "No CIFAR-10 given (--cifar): the CNN uses Fashion-MNIST (28x28 grayscale) from " +
          default_fashion_mnist_dir() + ".\n";
  return load_idx_dataset(default_fashion_mnist_dir(), "fashion-mnist");
}

DataSplit rnn_data(const AssignmentOptions& o, std::string& note) {
  if (!o.mnist_dir.empty()) return load_idx_dataset(o.mnist_dir, "mnist");
  note += "No MNIST given (--mnist): the RNNs use Fashion-MNIST from " +
          default_fashion_mnist_dir() + ".\n";
  return load_idx_dataset(default_fashion_mnist_dir(), "fashion-mnist");
}

TrainConfig base_config(const AssignmentOptions& o, const std::string& model, int epochs) {
  TrainConfig c;
  c.model.name = model;
  c.epochs = epochs;
  c.device = o.device;
  c.progress = o.parallel == 1;
  c.log_every = 10;
  c.summary_every = 50;
  return c;
}

// A grid of exactly one point: the given run's setting.
std::vector<Axis> single_point(const Setting& setting) {
  std::vector<Axis> axes;
  for (const auto& [key, value] : setting) axes.push_back({key, {value}});
  return axes;
}

}  // namespace

std::string run_assignment(const AssignmentOptions& o) {
  const Scale s = o.quick ? kQuick : kFull;
  std::string note;
  const DataSplit cnn_split = take_subset(cnn_data(o, note), s.cnn_train, s.cnn_test);
  const DataSplit rnn_split = take_subset(rnn_data(o, note), s.rnn_train, s.rnn_test);
  if (!note.empty()) fmt::print("{}", note);

  // One HParams experiment for the whole study, in the logdir root: TensorBoard shows only the
  // first experiment it finds, so the sweeps below do not write their own.
  {
    SweepOptions all;
    all.title = "assignment";
    all.axes = {{"model", {"lenet5", "recurrent"}},
                {"optimizer", {"sgd", "momentum", "adam", "adagrad", "rmsprop"}},
                {"lr", {"1e-2", "1e-3", "1e-4"}},
                {"batch_size", {"32", "64"}},
                {"fc1", {"120", "1024"}},
                {"cell", {"rnn", "lstm", "gru"}},
                {"hidden", {"64", "128", "256"}}};
    std::filesystem::create_directories(o.logdir);
    tblog::SummaryWriter root(o.logdir, tblog::WriterOptions{".assignment"});
    root.add_hparams_experiment(experiment_of(all));
    root.close();
  }

  fmt::print("== LeNet5 sweep on {} ({} train / {} test images)\n", cnn_split.name,
             cnn_split.train.size(), cnn_split.test.size());
  SweepOptions cnn;
  cnn.root = o.logdir + "/cnn_sweep";
  cnn.title = "LeNet5: learning rate x optimizer x batch size x fc width";
  cnn.base = base_config(o, "lenet5", s.cnn_epochs);
  cnn.axes = {{"lr", {"1e-2", "1e-3", "1e-4"}},
              {"optimizer", {"sgd", "momentum", "adam", "adagrad", "rmsprop"}},
              {"batch_size", {"32", "64"}},
              {"fc1", {"120", "1024"}}};
  cnn.parallel = o.parallel;
  cnn.write_experiment = false;
  const SweepResult cnn_result = run_sweep(cnn, cnn_split);

  fmt::print("== RNN / LSTM / GRU on {} ({} train / {} test sequences)\n", rnn_split.name,
             rnn_split.train.size(), rnn_split.test.size());
  SweepOptions rnn;
  rnn.root = o.logdir + "/rnn";
  rnn.title = "Recurrent cells x hidden size";
  rnn.base = base_config(o, "recurrent", s.rnn_epochs);
  rnn.base.clip_grad_norm = 1.0;
  rnn.base.batch_size = 128;
  rnn.axes = {{"cell", {"rnn", "lstm", "gru"}}, {"hidden", {"64", "128", "256"}}};
  rnn.parallel = o.parallel;
  rnn.write_experiment = false;
  const SweepResult rnn_result = run_sweep(rnn, rnn_split);

  // CNN vs RNN on the same data: the best CNN setting and the best recurrent setting.
  fmt::print("== CNN vs RNN on {}\n", rnn_split.name);
  SweepOptions compare;
  compare.root = o.logdir + "/cnn_vs_rnn";
  compare.title = "CNN vs RNN on the same data";
  compare.write_experiment = false;
  compare.base = base_config(o, "lenet5", s.rnn_epochs);
  compare.axes = single_point(cnn_result.best.setting);
  const SweepResult cnn_same = run_sweep(compare, rnn_split);
  const RunRecord& rnn_best = rnn_result.best;

  // The best CNN again, longer, with augmentation: its filters and activation statistics.
  fmt::print("== best CNN ({}), {} epochs with augmentation\n", cnn_result.best.name,
             s.best_epochs);
  SweepOptions best;
  best.root = o.logdir + "/best_cnn";
  best.title = "best LeNet5, trained longer";
  best.write_experiment = false;
  best.base = base_config(o, "lenet5", s.best_epochs);
  best.base.augment = cnn_split.channels() == 3;
  best.axes = single_point(cnn_result.best.setting);
  const SweepResult best_result = run_sweep(best, cnn_split);

  const std::string summary = fmt::format(
      "## Assignment summary{}\n\n{}\n### LeNet5 sweep ({})\nBest: **{}**, test accuracy "
      "{:.4f}\n\n{}\n"
      "### Recurrent cells ({})\nBest: **{}**, test accuracy {:.4f}\n\n{}\n"
      "### CNN vs RNN on {}\n| model | test accuracy |\n|---|---|\n| LeNet5 ({}) | {:.4f} |\n"
      "| {} | {:.4f} |\n\n### Best CNN trained longer\n{} : test accuracy {:.4f}. Its filters are "
      "under IMAGES `filters/conv1`, its activation statistics under `activations/`.\n",
      o.quick ? " (quick mode: subsets, few epochs)" : "", note, cnn_split.name,
      cnn_result.best.name, cnn_result.best.test_accuracy, cnn_result.table, rnn_split.name,
      rnn_best.name, rnn_best.test_accuracy, rnn_result.table, rnn_split.name, cnn_same.best.name,
      cnn_same.best.test_accuracy, rnn_best.name, rnn_best.test_accuracy, best_result.best.name,
      best_result.best.test_accuracy);
  {
    tblog::SummaryWriter root(o.logdir, tblog::WriterOptions{".summary"});
    root.add_text("assignment/summary", summary, 0);
    root.close();
  }
  return summary;
}

}  // namespace trainers
