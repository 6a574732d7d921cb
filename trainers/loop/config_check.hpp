// Up-front validation of a training configuration, with messages that name the command-line
// option and its allowed range, so that no bad value reaches LibTorch (whose errors are
// backtraces that name no option) or the loop (where a 0 interval divides by zero).
#pragma once

#include <stdexcept>
#include <string>

#include "trainer.hpp"

namespace trainers {

// A bad option or grid value: the user's mistake, reported in one line, exit status 2.
class UsageError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Throws UsageError naming the first bad setting, e.g. "--lr must be a finite number > 0 (got
// nan)". Checks every field of the config and its model.
void check_config(const TrainConfig& config);

// The training run diverged (a non-finite loss); the run was closed with HParams status FAILURE.
class TrainingDiverged : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Range checks shared by the command-line front ends; each throws UsageError naming `option`.
void check_at_least(const std::string& option, long long value, long long minimum);
void check_in_range(const std::string& option, long long value, long long minimum,
                    long long maximum);

}  // namespace trainers
