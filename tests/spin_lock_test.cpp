// The queue lock: mutual exclusion, try_lock, and waiting on condition_variable_any with it.
#include "spin_lock.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace {

using tblog::detail::SpinLock;

TEST(SpinLock, ThreadsIncrementingAPlainCounterLoseNoIncrement) {
  SpinLock lock;
  long counter = 0;  // not atomic: only the lock keeps the increments whole (TSan runs this too)
  constexpr int kThreads = 4, kIncrements = 100000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        std::lock_guard<SpinLock> guard(lock);
        ++counter;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(counter, long{kThreads} * kIncrements);
}

TEST(SpinLock, TryLockFailsWhileHeldAndSucceedsOnceReleased) {
  SpinLock lock;
  ASSERT_TRUE(lock.try_lock());
  bool taken_elsewhere = true;
  std::thread([&] { taken_elsewhere = lock.try_lock(); }).join();
  EXPECT_FALSE(taken_elsewhere);
  lock.unlock();
  std::thread([&] {
    taken_elsewhere = lock.try_lock();
    if (taken_elsewhere) lock.unlock();
  }).join();
  EXPECT_TRUE(taken_elsewhere);
}

TEST(SpinLock, AWaiterOnConditionVariableAnyReleasesItUntilNotified) {
  SpinLock lock;
  std::condition_variable_any ready;
  bool go = false;
  std::thread notifier([&] {
    // Gets the lock only while the waiter sleeps in wait() (or before it took the lock).
    std::lock_guard<SpinLock> guard(lock);
    go = true;
    ready.notify_one();
  });
  {
    std::unique_lock<SpinLock> guard(lock);
    ready.wait(guard, [&] { return go; });
    EXPECT_TRUE(go);
  }
  notifier.join();
}

}  // namespace
