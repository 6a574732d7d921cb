// Up-front validation of a training configuration, with messages that name the command-line
// option and its allowed range, so that no bad value reaches LibTorch (whose errors are
// backtraces that name no option) or the loop (where a 0 interval divides by zero).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "../usage_error.hpp"
#include "trainer.hpp"

namespace trainers {

// Throws UsageError naming the first bad setting, e.g. "--lr must be a finite number > 0 (got
// nan)". Checks every setting of the run's model (settings_of_model: the shared ones that apply
// and its own), and what only the model can check (ModelEntry::check: a --model-file's module).
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
void check_one_of(const std::string& option, const std::string& value,
                  const std::vector<std::string>& allowed);

}  // namespace trainers
