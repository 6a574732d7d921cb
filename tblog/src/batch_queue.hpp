// The bounded queue between the callers of add_* (producers, any thread) and the writer thread
// (the one consumer). Producers append to the pending batch under a spin lock; the consumer swaps
// the whole batch out at once, so one lock hold hands over any number of entries, and encoding
// happens with the lock released. Internal to tblog.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>

#include "pending_batch.hpp"
#include "spin_lock.hpp"

namespace tblog::detail {

// What went wrong on the writer thread: a message ("" for nothing) and whether the destination
// caused it (IoError) or encoding did (Error).
struct WriterFailure {
  std::string what;
  bool io = false;
};

class BatchQueue {
  using Lock = SpinLock;

 public:
  // `max_bytes`: the bound producers wait at. `owner` names the writer in "closed" errors.
  BatchQueue(std::size_t max_bytes, std::string owner);

  // --- Producer side ---

  // Runs add(PendingBatch&) once fewer than `limit` bytes are pending (the bound, or more for a
  // caller that did its own encoding); throws Error naming `call` once the queue is closed.
  template <typename Add>
  void push(const char* call, std::size_t limit, Add&& add) {
    std::unique_lock<Lock> lock(lock_);
    if (pending_.bytes() >= limit || closed_) wait_for_space(lock, call, limit);
    add(pending_);
    if (consumer_sleeping_ && pending_.bytes() >= wakeup_bytes_) wake_consumer();
  }
  std::size_t bound() const { return max_bytes_; }
  // What a batch grows to at most: a push checks the bound before it adds, so a batch ends at
  // most one entry past it (a scalar entry is ~30 bytes). Both batches reserve this up front:
  // filling to the bound then never doubles a buffer past it.
  std::size_t batch_capacity() const;
  // Whether `bytes` more fit under the bound now (the consumer may free room at any moment). A
  // closed queue says yes, so that the push reports the closing.
  bool has_room_for(std::size_t bytes);
  // Waits until the consumer has handled everything pushed before the call, then throws its
  // first failure, if any.
  void flush();
  // No more pushes; the consumer takes what is left and stops.
  void close();
  // The consumer's first failure, thrown as IoError or Error; nothing if none.
  void throw_failure() const;
  std::string failure() const;

  // --- Consumer side (the writer thread) ---

  struct Taken {
    bool last;         // the queue was closed: nothing more will come
    bool flush_asked;  // a flush() waits for this batch
    std::uint64_t flush_ticket;
  };
  // Waits until a batch is worth taking (a flush, a close, a waiting producer, enough bytes) or
  // `interval` has passed, then swaps the pending batch into `into` (which must be empty) and
  // calls on_swap() with the lock still held: what it records is ordered against every push.
  template <typename OnSwap>
  Taken take(PendingBatch& into, std::chrono::steady_clock::duration interval, OnSwap&& on_swap) {
    std::unique_lock<Lock> lock(lock_);
    return take_locked(lock, into, interval, on_swap);
  }
  // finish(done, failure) and then take(...) in one hold of the lock, as the consumer goes from
  // one batch to the next: producers see the freed room and the next batch at the same moment.
  template <typename OnSwap>
  Taken finish_and_take(const Taken& done, const WriterFailure& failure, PendingBatch& into,
                        std::chrono::steady_clock::duration interval, OnSwap&& on_swap) {
    std::unique_lock<Lock> lock(lock_);
    finish_locked(done, failure);
    return take_locked(lock, into, interval, on_swap);
  }
  // The batch of `taken` is handled: records its failure (the first one is kept) and releases
  // the flush() calls waiting for it.
  void finish(const Taken& taken, const WriterFailure& failure);
  // The consumer has stopped; flush() no longer waits for it.
  void consumer_exited(const WriterFailure& failure);

 private:
  // A producer facing a full queue first yields its core this many times (about half a
  // millisecond here) for the next batch swap before it sleeps.
  static constexpr int kSpinsForNextBatch = 2000;

  void wait_for_space(std::unique_lock<Lock>& lock, const char* call, std::size_t limit);
  bool spin_until_next_batch(std::unique_lock<Lock>& lock);
  void wait_for_work(std::unique_lock<Lock>& lock, std::chrono::steady_clock::duration interval);
  void wake_consumer();
  void record(const WriterFailure& failure);
  void finish_locked(const Taken& taken, const WriterFailure& failure);

  template <typename OnSwap>
  Taken take_locked(std::unique_lock<Lock>& lock, PendingBatch& into,
                    std::chrono::steady_clock::duration interval, OnSwap& on_swap) {
    // While producers stream (the last batch was a big one) go straight on with whatever they
    // added meanwhile: sleeping and being woken again costs more than a batch takes.
    if (!(streaming_ && !pending_.empty())) wait_for_work(lock, interval);
    const Taken taken{closed_, flush_requested_ > flush_done_, flush_requested_};
    std::swap(pending_, into);
    batches_taken_.fetch_add(1, std::memory_order_relaxed);
    streaming_ = into.bytes() >= wakeup_bytes_;
    on_swap();
    if (producers_waiting_) space_available_.notify_all();
    return taken;
  }

  const std::size_t max_bytes_;
  // Wake the consumer early once this much is pending (at least one byte: with a bound under 4
  // bytes a zero made an empty queue worth waking for, and the consumer spun on it).
  const std::size_t wakeup_bytes_;
  const std::string owner_;

  mutable Lock lock_;
  std::condition_variable_any consumer_wakeup_, space_available_, flushed_;
  PendingBatch pending_;
  bool consumer_sleeping_ = false;
  bool streaming_ = false;
  std::atomic<std::uint64_t> batches_taken_{0};  // read unlocked by spin_until_next_batch
  int producers_waiting_ = 0;
  bool closed_ = false;
  bool consumer_exited_ = false;
  std::uint64_t flush_requested_ = 0;
  std::uint64_t flush_done_ = 0;
  WriterFailure failure_;
};

}  // namespace tblog::detail
