// tbtrain assignment: the whole CNN / RNN-LSTM-GRU study in one command.
#include <fmt/format.h>

#include "../experiments/assignment.hpp"
#include "../loop/config_check.hpp"
#include "command.hpp"

namespace trainers::cli {

Command add_assignment_command(CLI::App& app) {
  auto o = std::make_shared<AssignmentOptions>();
  auto* assignment = app.add_subcommand(
      "assignment", "The whole CNN-on-CIFAR-10 / RNN-LSTM-GRU-on-MNIST study in one command");
  assignment->add_flag("--quick", o->quick, "Subsets and two epochs: a few minutes");
  assignment->add_option("--logdir", o->logdir, "Log directory");
  assignment->add_option("--cifar", o->cifar_dir, "CIFAR-10 binary directory");
  assignment->add_option("--mnist", o->mnist_dir, "MNIST IDX directory");
  add_parallel_option(assignment, o->parallel);
  assignment->add_option("--device", o->device, "cpu | cuda")
      ->check(CLI::IsMember({"cpu", "cuda"}));
  return {assignment, [o] {
            check_at_least("--parallel", o->parallel, 1);
            fmt::print("\n{}", run_assignment(*o));
            fmt::print("\nOpen it: tensorboard --logdir {}\n", o->logdir);
            return 0;
          }};
}

}  // namespace trainers::cli
