#include "batch_queue.hpp"

#include <algorithm>
#include <thread>

#include "tblog/error.hpp"

namespace tblog::detail {
namespace {

// Wake the consumer early once this much is pending, so that big batches are encoded while the
// producers go on; below it, the periodic flush picks things up.
constexpr std::size_t kWakeupBytes = 256u << 10;
// Room past the bound for the entry that crosses it.
constexpr std::size_t kRoomPastBound = 4096;
// Batches reserve no more than this however large the bound: a bigger one grows on demand.
constexpr std::size_t kMostReserved = 64u << 20;

}  // namespace

BatchQueue::BatchQueue(std::size_t max_bytes, std::string owner)
    : max_bytes_(max_bytes),
      wakeup_bytes_(std::max<std::size_t>(1, std::min(kWakeupBytes, max_bytes / 4))),
      owner_(std::move(owner)) {
  pending_.reserve(batch_capacity());
}

std::size_t BatchQueue::batch_capacity() const {
  return std::min(max_bytes_, kMostReserved) + kRoomPastBound;
}

void BatchQueue::wait_for_space(std::unique_lock<Lock>& lock, const char* call, std::size_t limit) {
  while (pending_.bytes() >= limit && !closed_) {
    wake_consumer();
    if (spin_until_next_batch(lock)) continue;
    ++producers_waiting_;
    space_available_.wait(lock);
    --producers_waiting_;
  }
  if (closed_)
    throw RuntimeError(std::string(call) + ": the SummaryWriter for '" + owner_ + "' is closed");
}

// Under a steady stream the consumer takes a batch every few hundred microseconds, and putting a
// thread to sleep and waking it costs about as much on a virtual machine (an idle vCPU is
// halted). So a producer facing a full queue first waits a little on its core for the next
// batch swap. True if a swap happened; the lock is held again on return either way.
bool BatchQueue::spin_until_next_batch(std::unique_lock<Lock>& lock) {
  const std::uint64_t seen = batches_taken_.load(std::memory_order_relaxed);
  lock.unlock();
  bool swapped = false;
  for (int i = 0; i < kSpinsForNextBatch && !swapped; ++i) {
    std::this_thread::yield();
    swapped = batches_taken_.load(std::memory_order_relaxed) != seen;
  }
  lock.lock();
  return swapped;
}

// Once per sleep: every push after the one that crossed the wakeup size used to signal again
// until the consumer was back on a core (4% of add_scalar, perf). Called with the lock held.
void BatchQueue::wake_consumer() {
  if (!consumer_sleeping_) return;
  consumer_sleeping_ = false;
  consumer_wakeup_.notify_one();
}

void BatchQueue::wait_for_work(std::unique_lock<Lock>& lock,
                               std::chrono::steady_clock::duration interval) {
  consumer_sleeping_ = true;
  consumer_wakeup_.wait_until(lock, std::chrono::steady_clock::now() + interval, [&] {
    return closed_ || flush_requested_ > flush_done_ || producers_waiting_ > 0 ||
           pending_.bytes() >= wakeup_bytes_;
  });
  consumer_sleeping_ = false;
}

bool BatchQueue::has_room_for(std::size_t bytes) {
  std::lock_guard<Lock> lock(lock_);
  return pending_.bytes() + bytes <= max_bytes_ || closed_;
}

void BatchQueue::flush() {
  std::unique_lock<Lock> lock(lock_);
  const std::uint64_t ticket = ++flush_requested_;
  wake_consumer();
  flushed_.wait(lock, [&] { return flush_done_ >= ticket || consumer_exited_; });
  lock.unlock();
  throw_failure();
}

void BatchQueue::close() {
  std::lock_guard<Lock> lock(lock_);
  closed_ = true;
  consumer_wakeup_.notify_one();
  space_available_.notify_all();
}

void BatchQueue::throw_failure() const {
  std::lock_guard<Lock> lock(lock_);
  if (failure_.what.empty()) return;
  if (failure_.io) throw IoError(failure_.what);
  throw RuntimeError(failure_.what);
}

std::string BatchQueue::failure() const {
  std::lock_guard<Lock> lock(lock_);
  return failure_.what;
}

void BatchQueue::record(const WriterFailure& failure) {
  if (!failure.what.empty() && failure_.what.empty()) failure_ = failure;
}

void BatchQueue::finish(const Taken& taken, const WriterFailure& failure) {
  std::lock_guard<Lock> lock(lock_);
  finish_locked(taken, failure);
}

void BatchQueue::finish_locked(const Taken& taken, const WriterFailure& failure) {
  record(failure);
  flush_done_ = taken.flush_ticket;
  flushed_.notify_all();
}

void BatchQueue::consumer_exited(const WriterFailure& failure) {
  std::lock_guard<Lock> lock(lock_);
  record(failure);
  consumer_exited_ = true;
  flushed_.notify_all();
}

}  // namespace tblog::detail
