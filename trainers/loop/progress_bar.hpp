// One-line terminal progress (steps, loss, accuracy, speed); silent when stderr is not a TTY.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace trainers {

class ProgressBar {
 public:
  ProgressBar(std::string label, std::int64_t total_steps, bool enabled);
  void update(std::int64_t step, double loss, double accuracy, double examples_per_second);
  void finish();

 private:
  std::string label_;
  std::int64_t total_;
  bool enabled_;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace trainers
