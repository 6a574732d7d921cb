// Linked into tbtrain_with_faults only (tests/CMakeLists.txt), never into tbtrain: installs,
// through the trainers' test seam (set_test_callbacks_hook), a callback that SIGKILLs the process
// right after step TBTRAIN_TEST_KILL_AT_STEP (on rank TBTRAIN_TEST_KILL_RANK only, when that is
// set). The checkpoint, model-file, hostile-training and data-parallel checks kill runs this way.
#include <csignal>
#include <cstdint>
#include <cstdlib>

#include "loop/trainer.hpp"
#include "tblog/torch/callbacks.hpp"

namespace {

class KillAfterStep : public tblog::Callback {
 public:
  explicit KillAfterStep(std::int64_t step) : step_(step) {}
  void on_batch_end(tblog::TrainState& state, const tblog::BatchResult&) override {
    if (state.step == step_) std::raise(SIGKILL);
  }

 private:
  std::int64_t step_;
};

const bool installed = [] {
  trainers::set_test_callbacks_hook([](tblog::Training& callbacks, int rank) {
    const char* step = std::getenv("TBTRAIN_TEST_KILL_AT_STEP");
    const char* only_rank = std::getenv("TBTRAIN_TEST_KILL_RANK");
    if (!step || (only_rank && std::atoi(only_rank) != rank)) return;
    callbacks.add<KillAfterStep>(std::atoll(step));
  });
  return true;
}();

}  // namespace
