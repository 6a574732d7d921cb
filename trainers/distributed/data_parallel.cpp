// Compiled with USE_C10D_GLOO (trainers/CMakeLists.txt): the only file that sees Gloo.
#include "data_parallel.hpp"

#include <torch/torch.h>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <cstdlib>
#include <future>
#include <thread>

#include "../usage_error.hpp"

namespace trainers {
namespace {

std::optional<long> env_number(const char* name, long minimum, long maximum, bool required) {
  const char* text = std::getenv(name);
  if (!text) {
    if (required) throw UsageError(std::string(name) + " must be set for distributed training");
    return std::nullopt;
  }
  try {
    std::size_t used = 0;
    const long v = std::stol(text, &used);
    if (used == std::strlen(text) && v >= minimum && v <= maximum) return v;
  } catch (const std::exception&) {
  }
  throw UsageError(std::string(name) + "='" + text + "' must be a whole number in " +
                   std::to_string(minimum) + ".." + std::to_string(maximum));
}

constexpr std::size_t kBucketBytes = std::size_t{8} << 20;

// c10d and Gloo throw both c10::Error (with a C++ backtrace in what()) and plain exceptions.
std::string message_of(const std::exception& e) {
  if (const auto* c10 = dynamic_cast<const c10::Error*>(&e)) return c10->what_without_backtrace();
  return e.what();
}

}  // namespace

std::optional<DistributedEnvironment> distributed_environment() {
  const auto world = env_number("WORLD_SIZE", 1, 65536, false);
  if (!world) return std::nullopt;
  DistributedEnvironment e;
  e.world_size = static_cast<int>(*world);
  e.rank = static_cast<int>(*env_number("RANK", 0, e.world_size - 1, true));
  e.local_rank = static_cast<int>(env_number("LOCAL_RANK", 0, 65535, false).value_or(e.rank));
  const char* addr = std::getenv("MASTER_ADDR");
  e.master_addr = addr && *addr ? addr : "127.0.0.1";
  e.master_port =
      static_cast<int>(env_number("MASTER_PORT", 1, 65535, e.world_size > 1).value_or(29500));
  return e;
}

class DataParallel::Group {
 public:
  Group(const DistributedEnvironment& env, std::chrono::seconds timeout) {
    c10d::TCPStoreOptions store_options;
    store_options.port = static_cast<std::uint16_t>(env.master_port);
    store_options.isServer = env.rank == 0;
    store_options.numWorkers = env.world_size;
    store_options.timeout = timeout;
    store = c10::make_intrusive<c10d::TCPStore>(env.master_addr, store_options);
    auto options = c10d::ProcessGroupGloo::Options::create(timeout);
    options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(env.master_addr));
    group = c10::make_intrusive<c10d::ProcessGroupGloo>(store, env.rank, env.world_size, options);
  }

  // Sums `t` over the ranks in place; a failure (a dead rank...) names this rank and `what`.
  void all_reduce_sum(torch::Tensor& t, int rank, const char* what) {
    try {
      std::vector<torch::Tensor> tensors{t};
      group->allreduce(tensors)->wait();
    } catch (const std::exception& e) {
      throw std::runtime_error("rank " + std::to_string(rank) + ": all-reduce of " + what +
                               " failed (did another rank die?): " + message_of(e));
    }
  }

  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
};

DataParallel::DataParallel(const DistributedEnvironment& env, std::chrono::seconds timeout)
    : rank_(env.rank), world_size_(env.world_size) {
  const std::string where = "rank " + std::to_string(env.rank) + ": cannot join the group at " +
                            env.master_addr + ":" + std::to_string(env.master_port) + ": ";
  // c10d bounds the join only in parts (the store waits `timeout` for the ranks, then Gloo's
  // mesh as long again), and a peer that accepts the connection but never answers holds a rank
  // for ever. So the join runs on a thread of its own under one deadline; one still stuck then
  // is left behind, and the process ends with the error.
  auto joined = std::make_shared<std::promise<std::unique_ptr<Group>>>();
  std::future<std::unique_ptr<Group>> result = joined->get_future();
  std::thread([joined, env, timeout] {
    try {
      joined->set_value(std::make_unique<Group>(env, timeout));
    } catch (...) {
      joined->set_exception(std::current_exception());
    }
  }).detach();
  if (result.wait_for(timeout) != std::future_status::ready) {
    throw std::runtime_error(where + "no group formed within --dist-timeout " +
                             std::to_string(timeout.count()) +
                             " s (are the other ranks started, and is it their store there?)");
  }
  try {
    group_ = result.get();
  } catch (const std::exception& e) {
    throw std::runtime_error(where + message_of(e));
  }
}

DataParallel::~DataParallel() = default;

bool DataParallel::all_equal(const std::string& text) {
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a
  for (const char c : text) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  // Three 22-bit chunks, exact as doubles; the sums of x and x^2 over the ranks equal
  // world_size * (c, c^2) for every chunk only when every rank has the same chunk.
  std::vector<double> mine;
  for (int k = 0; k < 3; ++k) {
    const double chunk = static_cast<double>((h >> (22 * k)) & ((1u << 22) - 1));
    mine.push_back(chunk);
    mine.push_back(chunk * chunk);
  }
  const auto all = sum(mine);
  for (std::size_t i = 0; i < mine.size(); ++i) {
    if (all[i] != mine[i] * world_size_) return false;
  }
  return true;
}

void DataParallel::sum_gradients(const std::vector<torch::Tensor>& parameters) {
  // Flat buckets of gradients: gathered, reduced, and copied back into each parameter's grad.
  std::vector<torch::Tensor> grads;
  for (const auto& p : parameters) {
    if (p.grad().defined()) grads.push_back(p.grad());
  }
  std::size_t begin = 0;
  while (begin < grads.size()) {
    std::size_t end = begin, bytes = 0;
    while (end < grads.size() && (end == begin || bytes < kBucketBytes)) {
      bytes += static_cast<std::size_t>(grads[end].numel()) * grads[end].element_size();
      ++end;
    }
    std::vector<torch::Tensor> flat_parts;
    for (std::size_t i = begin; i < end; ++i) flat_parts.push_back(grads[i].reshape({-1}));
    torch::Tensor flat = torch::cat(flat_parts);
    group_->all_reduce_sum(flat, rank_, "gradients");
    std::int64_t at = 0;
    for (std::size_t i = begin; i < end; ++i) {
      const std::int64_t n = grads[i].numel();
      grads[i].copy_(flat.narrow(0, at, n).view_as(grads[i]));
      at += n;
    }
    begin = end;
  }
}

std::vector<double> DataParallel::sum(const std::vector<double>& values) {
  torch::Tensor t = torch::tensor(values, torch::kFloat64);
  group_->all_reduce_sum(t, rank_, "metrics");
  return std::vector<double>(t.data_ptr<double>(), t.data_ptr<double>() + t.numel());
}

}  // namespace trainers
