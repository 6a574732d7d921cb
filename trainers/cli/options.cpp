#include <fmt/format.h>

#include <algorithm>
#include <variant>

#include "../data/transforms.hpp"
#include "../loop/config_check.hpp"
#include "../loop/settings.hpp"
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

void add_training_options(CLI::App* app, TrainConfig& c,
                          const std::vector<const SettingSpec*>& settings,
                          const std::vector<std::string>& left_out) {
  for (const SettingSpec* setting : settings) {
    if (std::find(left_out.begin(), left_out.end(), setting->option) != left_out.end()) continue;
    std::visit(
        [&](const auto& field) {
          auto& value = field(c);
          using T = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<T, bool>) {
            app->add_flag((setting->negated ? "!" : "") + setting->option, value, setting->help);
          } else {
            auto* option = app->add_option(setting->option, value, setting->help);
            if (!setting->allowed.choices.empty())
              option->check(CLI::IsMember(setting->allowed.choices));
            if (setting->required) option->required();
          }
        },
        setting->field);
  }
}

std::vector<const SettingSpec*> shared_settings() {
  std::vector<const SettingSpec*> settings;
  for (const auto& s : settings_table()) {
    if (s.needs == kAnyModel) settings.push_back(&s);
  }
  return settings;
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
