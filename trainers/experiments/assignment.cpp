#include "assignment.hpp"

#include <fmt/format.h>
#include <torch/torch.h>

#include "../data/transforms.hpp"
#include "summary_file.hpp"
#include "sweep.hpp"

namespace trainers {
namespace {

// Sizes of the study. Both fit TensorBoard's run selector, which ticks no run at all above 40:
// quick 15 + 9 + 2 = 26 runs, full 20 + 9 + 2 = 31.
struct Scale {
  std::int64_t cnn_train, cnn_test, rnn_train, rnn_test;
  int cnn_epochs, rnn_epochs, best_epochs;
  std::vector<std::string> learning_rates;
};

const Scale kQuick{2000, 1000, 6000, 1000, 2, 2, 4, {"1e-2", "1e-3"}};
const Scale kFull{0, 0, 0, 0, 10, 5, 30, {"1e-2", "1e-3", "1e-4"}};

const std::vector<std::string> kOptimizers = {"sgd", "momentum", "adam", "adagrad", "rmsprop"};
const std::vector<std::string> kBatchSizes = {"32", "64", "128"};
const std::vector<std::string> kFc1Widths = {"120", "1024"};

// Comparison groups inside Epoch/ sort as TensorBoard lists them: rnn_vs_lstm_vs_gru first, then
// same_data_lenet5, sweep_lenet5, and the test/train series of every run.

// The hparams the study's experiment shows: those its sweeps vary. Every session carries them
// (hparams_of), and HParams shows five columns before the user ticks more: these five.
const std::vector<std::string> kStudyHParams = {"model", "optimizer", "lr", "batch_size",
                                                "hidden_units"};

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
  // Diagnostics and visualizations for the runs a reader studies (the best CNN and the recurrent
  // cells), not for every sweep point: they would fill PR CURVES and the PROJECTOR with 20 runs.
  c.visuals = false;
  return c;
}

// One of the study's sweeps, in a folder of the logdir. None writes an HParams experiment of its
// own: the study writes one for the whole logdir (TensorBoard shows only the first it finds).
SweepOptions study_sweep(const AssignmentOptions& o, const std::string& folder, std::string title,
                         TrainConfig base, std::vector<Setting> settings) {
  SweepOptions sweep;
  sweep.root = o.logdir + "/" + folder;
  sweep.title = std::move(title);
  sweep.base = std::move(base);
  sweep.settings = std::move(settings);
  sweep.parallel = o.parallel;
  sweep.write_experiment = false;
  return sweep;
}

Setting cnn_setting(const std::string& lr, const std::string& optimizer,
                    const std::string& batch_size, const std::string& fc1) {
  return {{"lr", lr}, {"optimizer", optimizer}, {"batch_size", batch_size}, {"fc1", fc1}};
}

std::string value_of(const Setting& setting, const std::string& key) {
  for (const auto& [k, v] : setting)
    if (k == key) return v;
  return {};
}

// LeNet5 in two stages, both in cnn/: learning rate x optimizer at batch 64 and fc1 120; then
// batch size x fc1 width at the best of those (the stage-1 point is not run twice).
SweepResult run_cnn_study(const AssignmentOptions& o, const Scale& s, const DataSplit& data,
                          SweepOptions& sweep) {
  std::vector<Setting> stage1;
  for (const auto& lr : s.learning_rates)
    for (const auto& opt : kOptimizers) stage1.push_back(cnn_setting(lr, opt, "64", "120"));
  const std::string title = "LeNet5: learning rate x optimizer, then batch size x fc1 width";
  sweep = study_sweep(o, "cnn", title, base_config(o, "lenet5", s.cnn_epochs), stage1);
  sweep.compare_group = std::string(kEpochGroup) + "/sweep_lenet5";
  sweep.write_summary = false;
  const SweepResult first = run_sweep(sweep, data);

  const std::string lr = value_of(first.best.setting, "lr");
  const std::string opt = value_of(first.best.setting, "optimizer");
  fmt::print("== LeNet5 stage 2: batch size x fc1 width at lr {}, {}\n", lr, opt);
  for (const auto& batch : kBatchSizes) {
    for (const auto& fc1 : kFc1Widths) {
      const Setting point = cnn_setting(lr, opt, batch, fc1);
      if (std::find(stage1.begin(), stage1.end(), point) == stage1.end())
        sweep.settings.push_back(point);
    }
  }
  sweep.write_summary = true;
  return run_sweep(sweep, data);
}

SweepOptions rnn_study(const AssignmentOptions& o, const Scale& s) {
  TrainConfig base = base_config(o, "recurrent", s.rnn_epochs);
  base.clip_grad_norm = 1.0;
  base.batch_size = 128;
  base.visuals = true;
  std::vector<Setting> settings;
  for (const std::string cell : {"rnn", "lstm", "gru"})
    for (const std::string hidden : {"64", "128", "256"})
      settings.push_back({{"cell", cell}, {"hidden", hidden}});
  SweepOptions sweep = study_sweep(o, "rnn", "RNN vs LSTM vs GRU", base, settings);
  sweep.compare_group = std::string(kEpochGroup) + "/rnn_vs_lstm_vs_gru";
  sweep.compare_axis = "hidden";
  return sweep;
}

// A single follow-up run of a chosen setting: no HParams session (it is not a point of the
// experiment) and no sweep summary (the study's summary reports it).
SweepResult run_follow_up(const AssignmentOptions& o, const std::string& folder,
                          const std::string& title, TrainConfig base, const Setting& setting,
                          const DataSplit& data) {
  base.hparams_session = false;
  SweepOptions sweep = study_sweep(o, folder, title, std::move(base), {setting});
  sweep.write_summary = false;
  return run_sweep(sweep, data);
}

}  // namespace

std::string run_assignment(const AssignmentOptions& o) {
  refuse_remote_root(o.logdir);  // before hours of training, not at the first sweep
  const Scale s = o.quick ? kQuick : kFull;
  std::string note;
  const DataSplit cnn_split = take_subset(cnn_data(o, note), s.cnn_train, s.cnn_test);
  const DataSplit rnn_split = take_subset(rnn_data(o, note), s.rnn_train, s.rnn_test);
  if (!note.empty()) fmt::print("{}", note);

  fmt::print("== LeNet5 sweep on {} ({} train / {} test images)\n", cnn_split.name,
             cnn_split.train.size(), cnn_split.test.size());
  SweepOptions cnn_sweep;
  const SweepResult cnn = run_cnn_study(o, s, cnn_split, cnn_sweep);

  fmt::print("== RNN / LSTM / GRU on {} ({} train / {} test sequences)\n", rnn_split.name,
             rnn_split.train.size(), rnn_split.test.size());
  const SweepOptions rnn_sweep = rnn_study(o, s);
  const SweepResult rnn = run_sweep(rnn_sweep, rnn_split);

  // CNN vs RNN on the same data: the best CNN setting, next to the recurrent cells.
  fmt::print("== CNN vs RNN on {}\n", rnn_split.name);
  TrainConfig same_data = base_config(o, "lenet5", s.rnn_epochs);
  same_data.compare_group = std::string(kEpochGroup) + "/same_data_lenet5";
  const SweepResult cnn_same = run_follow_up(o, "cnn_vs_rnn", "CNN vs RNN on the same data",
                                             same_data, cnn.best.setting, rnn_split);

  // The best CNN again, longer (with augmentation on colour images): filters, activations.
  fmt::print("== best CNN ({}), {} epochs\n", cnn.best.name, s.best_epochs);
  TrainConfig best_base = base_config(o, "lenet5", s.best_epochs);
  best_base.augment = cnn_split.channels() == 3;
  best_base.visuals = true;
  const SweepResult best = run_follow_up(o, "best_cnn", "best LeNet5, trained longer", best_base,
                                         cnn.best.setting, cnn_split);

  const RunRecord& rnn_best = rnn.best;
  const std::string summary = fmt::format(
      "## Assignment summary{}\n\n{}\n### LeNet5 sweep ({})\nBest: **{}**, test accuracy "
      "{:.4f}\n\n{}\n"
      "### Recurrent cells ({})\nBest: **{}**, test accuracy {:.4f}\n\n{}\n"
      "### CNN vs RNN on {}\n| model | test accuracy |\n|---|---|\n| LeNet5 ({}) | {:.4f} |\n"
      "| {} | {:.4f} |\n\n### Best CNN trained longer\n{} : test accuracy {:.4f}. Its filters are "
      "under IMAGES `filters/conv1`, its activation statistics under `activations/`.\n\n"
      "### Inside the networks (best CNN and the recurrent runs)\n"
      "- IMAGES `deconvnet/conv1_top9`, `deconvnet/conv2_top9`: each feature map's 9 strongest "
      "test activations projected to pixels (Zeiler & Fergus), beside the image patches they "
      "came from; `deconvnet/evolution_conv2` (slider: epoch) and its animation; "
      "`occlusion/maps`.\n"
      "- IMAGES `test_set/confusion_matrix`, `test_set/most_wrong` (slider: epoch); "
      "PR CURVES `pr_curves/<class>`.\n"
      "- PROJECTOR `test_features@<step>` (penultimate features of 1000 test images, coloured by "
      "label); GRAPHS: the model with shapes and parameter counts.\n",
      o.quick ? " (quick mode: subsets, few epochs)" : "", note, cnn_split.name, cnn.best.name,
      cnn.best.test_accuracy, cnn.table, rnn_split.name, rnn_best.name, rnn_best.test_accuracy,
      rnn.table, rnn_split.name, cnn_same.best.name, cnn_same.best.test_accuracy, rnn_best.name,
      rnn_best.test_accuracy, best.best.name, best.best.test_accuracy);

  // The study as a whole: one HParams experiment over both sweeps' sessions, the CNN-vs-RNN
  // chart and the summary, in the last run written (no run of its own in TensorBoard).
  std::vector<TrainConfig> sessions = cnn.configs;
  sessions.insert(sessions.end(), rnn.configs.begin(), rnn.configs.end());
  const std::string best_rnn_hidden = value_of(rnn_best.setting, "hidden");
  write_summary_file(
      o.logdir + "/best_cnn/" + best.best.name, "study", [&](tblog::SummaryWriter& w) {
        w.add_hparams_experiment(experiment_of("CNN and RNN study", sessions, kStudyHParams));
        // Categories show in this order (this run's name sorts first).
        w.add_custom_scalar_layout({layout_of(rnn_sweep),
                                    {"LeNet5 vs RNN / LSTM / GRU on " + rnn_split.name,
                                     {{"test accuracy (recurrent: hidden " + best_rnn_hidden + ")",
                                       {"^" + same_data.compare_group + "/test_accuracy$",
                                        "^" + rnn_sweep.compare_group + "/hidden_" +
                                            best_rnn_hidden + "/test_accuracy$"}}},
                                     false},
                                    layout_of(cnn_sweep)});
        w.add_text("assignment/summary", summary, 0);
      });
  return summary;
}

}  // namespace trainers
