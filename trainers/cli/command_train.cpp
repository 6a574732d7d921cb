// tbtrain cnn | rnn | train: one training run of LeNet5, of a recurrent classifier or of the
// user's own TorchScript module.
#include <chrono>
#include <filesystem>
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

  int run(const std::string& label) {
    apply_preset(preset, *app, config);
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

Command add_cnn_command(CLI::App& app) {
  auto state = std::make_shared<TrainCommand>();
  TrainConfig& c = state->config;
  c.model.name = "lenet5";
  state->logdir = "runs/lenet5";
  auto* cnn = app.add_subcommand("cnn", "Train LeNet5 (filters, activations, weights logged)");
  state->data.add_to(cnn);
  add_training_options(cnn, c, kLeNet5);
  cnn->add_option("--logdir", state->logdir, "Run directory");
  state->add_common_options(cnn);
  return {cnn, [state] { return state->run("lenet5"); }};
}

Command add_rnn_command(CLI::App& app) {
  auto state = std::make_shared<TrainCommand>();
  TrainConfig& c = state->config;
  c.model.name = "recurrent";
  c.batch_size = 128;
  c.augment_pad = 2;  // digits: small shifts, never mirrored
  c.augment_flip = false;
  state->logdir = "runs/rnn";
  auto* rnn = app.add_subcommand("rnn", "Train an RNN/LSTM/GRU on images read row by row");
  state->data.add_to(rnn);
  add_training_options(rnn, c, kRecurrent);
  rnn->add_option("--logdir", state->logdir, "Run directory");
  state->add_common_options(rnn);
  return {rnn, [state] { return state->run(state->config.model.cell); }};
}

Command add_model_file_command(CLI::App& app) {
  auto state = std::make_shared<TrainCommand>();
  TrainConfig& c = state->config;
  c.model.name = "scripted";
  auto* train = app.add_subcommand(
      "train", "Train your own TorchScript module (torch.jit.save; images in, logits out)");
  state->data.add_to(train);
  add_training_options(train, c, kScripted);
  train->get_option("--model-file")->required();
  train->add_option("--logdir", state->logdir, "Run directory (default: runs/<model file stem>)");
  state->add_common_options(train);
  return {train, [state] {
            const std::string stem = std::filesystem::path(state->config.model.file).stem();
            if (state->logdir.empty()) state->logdir = "runs/" + stem;
            return state->run(stem);
          }};
}

}  // namespace trainers::cli
