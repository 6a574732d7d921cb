// tbtrain cnn | rnn | train | ...: one training run of a registered model (models/registry.cpp),
// one subcommand per model, made from its registry entry: its options, defaults, presets and
// default run directory.
#include <chrono>
#include <memory>

#include "../distributed/data_parallel.hpp"
#include "../loop/config_check.hpp"
#include "../loop/settings.hpp"
#include "command.hpp"
#include "presets.hpp"

namespace trainers::cli {
namespace {

struct TrainCommand {
  TrainConfig config;
  DataOptions data;
  std::string logdir;
  int dist_timeout_seconds = 300;
  bool log_all_ranks = false;
  std::string preset = "none";
  CLI::App* app = nullptr;

  std::string default_logdir;  // the entry's; empty: runs/<the model's label>

  int run() {
    apply_preset(preset, *app, config);
    const std::string label = model_facts(config.model).label;
    if (logdir.empty()) logdir = default_logdir.empty() ? "runs/" + label : default_logdir;
    config.logdir = logdir;
    check_config(config);
    data.check();
    check_in_range("--dist-timeout", dist_timeout_seconds, 1, 86400);
    // Started by torchrun, `tbtrain launch` or a scheduler: one rank of a data-parallel run.
    const auto env = distributed_environment();
    std::unique_ptr<DataParallel> group;
    if (env && env->world_size > 1) {
      if (config.checkpoint_every > 0 || config.resume)
        throw UsageError("--checkpoint-every/--resume: not supported for data-parallel runs yet");
      group = std::make_unique<DataParallel>(*env, std::chrono::seconds(dist_timeout_seconds));
      // Rank 0 logs (the metrics are summed over every rank first); the others write nothing,
      // or with --log-all-ranks a run each, named by rank.
      if (log_all_ranks) config.logdir = logdir + "/rank" + std::to_string(env->rank);
      config.logging = config.logging && (log_all_ranks || env->rank == 0);
      config.progress = config.progress && env->rank == 0;
    }
    const TrainResult r = train_classifier(config, data.load(), group.get());
    if (!group || group->rank() == 0) print_result(label, r);
    return 0;
  }

  void add_common_options(CLI::App* command) {
    app = command;
    command->add_option("--preset", preset,
                        "none | best: the recipe measured best (docs/benchmarks.md); options "
                        "given on the command line still win");
    add_distributed_options(command);
  }

  void add_distributed_options(CLI::App* command) {
    command->add_option("--dist-timeout", dist_timeout_seconds,
                        "Data-parallel: seconds to wait for the other ranks before failing");
    command->add_flag("--log-all-ranks", log_all_ranks,
                      "Data-parallel: every rank writes a run (LOGDIR/rank<N>), not only rank 0");
  }
};

}  // namespace

std::vector<Command> add_model_commands(CLI::App& app) {
  std::vector<Command> commands;
  for (const ModelEntry& model : model_entries()) {
    if (model.command.empty()) continue;
    auto state = std::make_shared<TrainCommand>();
    TrainConfig& c = state->config;
    use_model(c, model.name);
    state->default_logdir = model.logdir;
    auto* command = app.add_subcommand(model.command, model.about);
    state->data.add_to(command);
    add_training_options(command, c, settings_of_model(model.name));
    command->add_option(
        "--logdir", state->logdir,
        "Run directory (default: " + (model.logdir.empty() ? "runs/<model>" : model.logdir) + ")");
    state->add_common_options(command);
    commands.push_back({command, [state] { return state->run(); }});
  }
  return commands;
}

}  // namespace trainers::cli
