// One `tbtrain` subcommand: its CLI11 options (registered by its add_*_command function) and
// what runs once the command line parsed. Each subcommand lives in its own command_*.cpp.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "../data/datasets.hpp"
#include "../loop/settings.hpp"
#include "../loop/trainer.hpp"

namespace trainers::cli {

struct Command {
  CLI::App* app;             // the subcommand; *app is true when it was given
  std::function<int()> run;  // validates its options, then does the work; returns exit status
};

// One command per registered model (models/registry.cpp) that names one: cnn, rnn, train.
std::vector<Command> add_model_commands(CLI::App& app);
Command add_rnn_compare_command(CLI::App& app);
Command add_sweep_command(CLI::App& app);
Command add_assignment_command(CLI::App& app);
Command add_launch_command(CLI::App& app);

// --data, --data-dir, --train-limit, --test-limit: shared by every training subcommand.
struct DataOptions {
  std::string name = "fashion-mnist";  // fashion-mnist | mnist | cifar10 | cifar10-gray
  std::string dir;                     // default: Debian's Fashion-MNIST
  std::int64_t train_limit = 0, test_limit = 0;

  void add_to(CLI::App* app);
  void check() const;  // throws UsageError naming the option
  DataSplit load() const;
};

// The options of `settings` (loop/settings.hpp: settings_of_model, or shared_settings), bound to
// `config`, except those `left_out` (a command that takes a list in their place).
void add_training_options(CLI::App* app, TrainConfig& config,
                          const std::vector<const SettingSpec*>& settings,
                          const std::vector<std::string>& left_out = {});
// The settings every model has (a sweep's, whose model --model chooses after parsing).
std::vector<const SettingSpec*> shared_settings();

// --parallel N for the subcommands that run several trainings.
void add_parallel_option(CLI::App* app, int& parallel);

void print_result(const std::string& what, const TrainResult& result);

}  // namespace trainers::cli
