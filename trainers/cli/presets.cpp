#include "presets.hpp"

#include <functional>
#include <vector>

#include "../usage_error.hpp"

namespace trainers::cli {
namespace {

struct PresetSetting {
  const char* option;  // the command-line option it stands for
  std::function<void(TrainConfig&)> apply;
};

// LeNet5 on the CIFAR-10 subset: 56.1% (the classic tanh LeNet5 with augmentation: 54.5%).
std::vector<PresetSetting> best_lenet5() {
  return {{"--activation", [](TrainConfig& c) { c.model.activation = "relu"; }},
          {"--augment", [](TrainConfig& c) { c.augment = true; }},
          {"--epochs", [](TrainConfig& c) { c.epochs = 60; }},
          {"--weight-decay", [](TrainConfig& c) { c.weight_decay = 5e-4; }},
          {"--optimizer", [](TrainConfig& c) { c.optimizer = "adam"; }},
          {"--lr", [](TrainConfig& c) { c.lr = 1e-3; }}};
}

// Recurrent cells on MNIST: LSTM 99.34%, GRU 99.32% (30 epochs, seed 1); RNN 97.77% (20 epochs,
// measured without augmentation).
std::vector<PresetSetting> best_recurrent() {
  return {{"--augment", [](TrainConfig& c) { c.augment = true; }},
          {"--schedule", [](TrainConfig& c) { c.schedule = "cosine"; }},
          {"--clip", [](TrainConfig& c) { c.clip_grad_norm = 1.0; }},
          {"--epochs", [](TrainConfig& c) { c.epochs = c.model.cell == "rnn" ? 20 : 30; }}};
}

}  // namespace

void apply_preset(const std::string& name, const CLI::App& app, TrainConfig& config) {
  if (name == "none") return;
  if (name != "best") throw UsageError("--preset must be none or best (got '" + name + "')");
  const auto settings = config.model.name == "lenet5" ? best_lenet5() : best_recurrent();
  for (const auto& s : settings) {
    if (app.count(s.option) == 0) s.apply(config);
  }
}

}  // namespace trainers::cli
