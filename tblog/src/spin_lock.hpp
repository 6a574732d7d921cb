// The lock around SummaryWriter's queue. Internal to tblog.
//
// Every add_* call takes it once, and it is held for a few dozen instructions. std::mutex's
// unlock is an atomic read-modify-write (it must learn whether anyone sleeps on it), about a
// quarter of add_scalar's cost on the caller (perf, bench/peer_cpp.sh); this lock's unlock is a
// plain release store. Waiting happens on condition_variable_any, which releases it, so nobody
// spins for longer than a push or a batch swap takes; a holder that loses its core makes the
// others yield rather than burn theirs.
#pragma once

#include <atomic>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace tblog::detail {

class SpinLock {
 public:
  void lock() {
    while (locked_.exchange(true, std::memory_order_acquire)) {
      for (int spins = 0; locked_.load(std::memory_order_relaxed); ++spins) {
        if (spins < kSpinsBeforeYield) {
          relax();
        } else {
          std::this_thread::yield();
        }
      }
    }
  }
  bool try_lock() {
    return !locked_.load(std::memory_order_relaxed) &&
           !locked_.exchange(true, std::memory_order_acquire);
  }
  void unlock() { locked_.store(false, std::memory_order_release); }

 private:
  static constexpr int kSpinsBeforeYield = 64;
  static void relax() {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#endif
  }
  std::atomic<bool> locked_{false};
};

}  // namespace tblog::detail
