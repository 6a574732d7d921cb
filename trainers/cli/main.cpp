// tbtrain: LeNet5 and RNN/LSTM/GRU trainers that log everything to TensorBoard via tblog.
// Each subcommand is a command_*.cpp; this file parses, dispatches and turns errors into one
// line and an exit status: 2 for a usage error, 1 for anything else, never a backtrace.
#include <fmt/format.h>
#include <glog/logging.h>
#include <torch/torch.h>

#include <cstdlib>
#include <vector>

#include "../data/datasets.hpp"
#include "../loop/config_check.hpp"
#include "command.hpp"
#include "tblog/error.hpp"

using namespace trainers;

int main(int argc, char** argv) {
  // LibTorch logs through glog (c10d's connection errors, for one) before tbtrain can say in one
  // line what failed; only fatal messages pass unless the user sets GLOG_minloglevel.
  if (!std::getenv("GLOG_minloglevel")) FLAGS_minloglevel = google::GLOG_FATAL;
  CLI::App app{
      "tbtrain: LeNet5, RNN/LSTM/GRU and your own TorchScript models, logged to TensorBoard"};
  app.require_subcommand(1);
  app.failure_message([](const CLI::App*, const CLI::Error& e) {  // one line, not two
    return std::string("tbtrain: error: ") + e.what() + " (see --help)\n";
  });
  // Measured on a 2-core machine: one intra-op thread is fastest for these small models
  // (see docs/benchmarks.md); more threads only add synchronisation.
  int threads = 1;
  app.add_option("--threads", threads, "LibTorch intra-op threads (1..256)");
  std::vector<cli::Command> commands = cli::add_model_commands(app);  // cnn, rnn, train...
  for (const auto& add : {cli::add_rnn_compare_command, cli::add_sweep_command,
                          cli::add_assignment_command, cli::add_launch_command})
    commands.push_back(add(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // --help exits 0; every parse error is a usage error
  }
  try {
    check_in_range("--threads", threads, 1, 256);
    torch::set_num_threads(threads);
    for (const auto& command : commands) {
      if (*command.app) return command.run();
    }
  } catch (const tblog::Error& e) {  // tblog's own, tblog::InvalidArgument too: not a usage error
    fmt::print(stderr, "tbtrain: error: {}\n", e.what());
    return 1;
  } catch (const std::invalid_argument& e) {  // UsageError, grid and model-setting errors
    fmt::print(stderr, "tbtrain: error: {}\n", e.what());
    return 2;
  } catch (const c10::Error& e) {
    // LibTorch's what() carries a C++ backtrace; the user gets the message alone.
    fmt::print(stderr, "tbtrain: error: {}\n", e.what_without_backtrace());
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "tbtrain: error: {}\n", e.what());
    return 1;
  }
  return 0;
}
