// Data-parallel training on LibTorch's own distributed engine (c10d with the Gloo backend):
// N processes, each on its share of every batch, gradients summed across them every step.
// The process group is set up from torchrun's environment variables, so existing launchers and
// schedulers work; `tbtrain launch` starts N local processes the same way.
#pragma once

#include <torch/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace trainers {

// torchrun's conventions: RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT.
struct DistributedEnvironment {
  int rank = 0;
  int world_size = 1;
  int local_rank = 0;
  std::string master_addr;
  int master_port = 0;
};

// Nothing when WORLD_SIZE is unset (one process). Throws UsageError naming the variable when a
// value is missing or out of range.
std::optional<DistributedEnvironment> distributed_environment();

class DataParallel {
 public:
  // Connects to the group (rank 0 hosts the store). Every collective waits at most `timeout` for
  // the other ranks: a rank that dies makes the others fail with an error instead of hanging.
  DataParallel(const DistributedEnvironment& env, std::chrono::seconds timeout);
  ~DataParallel();
  DataParallel(const DataParallel&) = delete;
  DataParallel& operator=(const DataParallel&) = delete;

  int rank() const { return rank_; }
  int world_size() const { return world_size_; }

  // Sums the gradients of `parameters` over all ranks, in flat buckets (one all-reduce per
  // ~8 MiB instead of one per tensor).
  void sum_gradients(const std::vector<torch::Tensor>& parameters);
  // Sums numbers over all ranks (metrics: loss sums, correct counts, examples).
  std::vector<double> sum(const std::vector<double>& values);
  // Whether every rank passed the same text (compared by a 64-bit hash, in one small
  // all-reduce): ranks started with different options are refused before a collective of
  // mismatched tensors could abort inside Gloo.
  bool all_equal(const std::string& text);

 private:
  class Group;
  std::unique_ptr<Group> group_;
  int rank_ = 0, world_size_ = 1;
};

}  // namespace trainers
