// Linked into tbtrain_with_faults only (tests/CMakeLists.txt), never into tbtrain: installs,
// through the trainers' test seam (set_test_callbacks_hook), a callback that SIGKILLs the process
// right after step TBTRAIN_TEST_KILL_AT_STEP (on rank TBTRAIN_TEST_KILL_RANK only, when that is
// set). The checkpoint, model-file, hostile-training and data-parallel checks kill runs this way.
// With TBTRAIN_TEST_COUNT_FILE set it also installs, on every rank, a callback that counts the
// batches it saw, keeps its count in the checkpoint (state_dict), sums it over the ranks at the
// end (the reduce hook) and has rank 0 write it there: the resume and data-parallel checks
// compare it.
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

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

class BatchCounter : public tblog::Callback {
 public:
  BatchCounter(std::string file, int rank) : file_(std::move(file)), rank_(rank) {}
  void on_batch_end(tblog::TrainState&, const tblog::BatchResult&) override { ++count_; }
  void on_train_end(tblog::TrainState& state) override {
    std::vector<double> total = {static_cast<double>(count_)};
    state.sum_over_processes(total);  // on every rank: the sum is collective
    if (rank_ == 0) std::ofstream(file_) << static_cast<std::int64_t>(total[0]) << "\n";
  }
  std::string state_key() const override { return "BatchCounter"; }
  tblog::CallbackState state_dict() const override {
    return {{"count", at::scalar_tensor(static_cast<double>(count_), at::kDouble)}};
  }
  void load_state_dict(const tblog::CallbackState& state) override {
    count_ = static_cast<std::int64_t>(state.at("count").item<double>());
  }

 private:
  std::string file_;
  int rank_;
  std::int64_t count_ = 0;
};

const bool installed = [] {
  trainers::set_test_callbacks_hook([](tblog::Training& callbacks, int rank) {
    if (const char* file = std::getenv("TBTRAIN_TEST_COUNT_FILE"))
      callbacks.add<BatchCounter>(file, rank);
    const char* step = std::getenv("TBTRAIN_TEST_KILL_AT_STEP");
    const char* only_rank = std::getenv("TBTRAIN_TEST_KILL_RANK");
    if (!step || (only_rank && std::atoi(only_rank) != rank)) return;
    callbacks.add<KillAfterStep>(std::atoll(step));
  });
  return true;
}();

}  // namespace
