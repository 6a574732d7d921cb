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

// One of the study's sweeps, in a folder of the logdir. None writes an HParams experiment of its
// own: the study writes one for the whole logdir (TensorBoard shows only the first it finds).
SweepOptions study_sweep(const AssignmentOptions& o, const std::string& folder, std::string title,
                         TrainConfig base, std::vector<Axis> axes) {
  SweepOptions sweep;
  sweep.root = o.logdir + "/" + folder;
  sweep.title = std::move(title);
  sweep.base = std::move(base);
  sweep.axes = std::move(axes);
  sweep.parallel = o.parallel;
  sweep.write_experiment = false;
  return sweep;
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
  const SweepResult cnn_result = run_sweep(
      study_sweep(o, "cnn_sweep", "LeNet5: learning rate x optimizer x batch size x fc width",
                  base_config(o, "lenet5", s.cnn_epochs),
                  {{"lr", {"1e-2", "1e-3", "1e-4"}},
                   {"optimizer", {"sgd", "momentum", "adam", "adagrad", "rmsprop"}},
                   {"batch_size", {"32", "64"}},
                   {"fc1", {"120", "1024"}}}),
      cnn_split);

  fmt::print("== RNN / LSTM / GRU on {} ({} train / {} test sequences)\n", rnn_split.name,
             rnn_split.train.size(), rnn_split.test.size());
  TrainConfig rnn_base = base_config(o, "recurrent", s.rnn_epochs);
  rnn_base.clip_grad_norm = 1.0;
  rnn_base.batch_size = 128;
  const SweepResult rnn_result =
      run_sweep(study_sweep(o, "rnn", "Recurrent cells x hidden size", rnn_base,
                            {{"cell", {"rnn", "lstm", "gru"}}, {"hidden", {"64", "128", "256"}}}),
                rnn_split);

  // CNN vs RNN on the same data: the best CNN setting and the best recurrent setting.
  fmt::print("== CNN vs RNN on {}\n", rnn_split.name);
  const SweepResult cnn_same = run_sweep(
      study_sweep(o, "cnn_vs_rnn", "CNN vs RNN on the same data",
                  base_config(o, "lenet5", s.rnn_epochs), single_point(cnn_result.best.setting)),
      rnn_split);
  const RunRecord& rnn_best = rnn_result.best;

  // The best CNN again, longer, with augmentation: its filters and activation statistics.
  fmt::print("== best CNN ({}), {} epochs with augmentation\n", cnn_result.best.name,
             s.best_epochs);
  TrainConfig best_base = base_config(o, "lenet5", s.best_epochs);
  best_base.augment = cnn_split.channels() == 3;
  const SweepOptions best = study_sweep(o, "best_cnn", "best LeNet5, trained longer", best_base,
                                        single_point(cnn_result.best.setting));
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
