// The writer's queue (batch_queue.hpp) on its own: a bound producers wait at, batches handed
// over whole and in order, flush tickets, closing, and the consumer's failure reported to
// producers. Runs under ThreadSanitizer in CI.
#include "batch_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tblog/error.hpp"

namespace tblog::detail {
namespace {

using namespace std::chrono_literals;

void push_scalar(BatchQueue& queue, int step) {
  queue.push("add_scalar", queue.bound(),
             [&](PendingBatch& b) { b.add_scalar("x", static_cast<float>(step), step, 0.0); });
}

std::vector<std::int64_t> steps_of(PendingBatch& batch) {
  std::vector<std::int64_t> steps;
  batch.for_each([&](const ScalarEntry& e) { steps.push_back(e.step); }, [](DeferredSummary&) {});
  return steps;
}

// A consumer that takes batches until the queue closes, recording every step it saw.
struct Consumer {
  BatchQueue& queue;
  std::vector<std::int64_t> seen;
  int batches = 0;
  std::thread thread{[this] { run(); }};

  void run() {
    PendingBatch batch;
    for (;;) {
      const auto taken = queue.take(batch, 5ms, [] {});
      for (auto s : steps_of(batch)) seen.push_back(s);
      if (batch.bytes() > 0) ++batches;
      batch.clear();
      queue.finish(taken, {});
      if (taken.last) break;
    }
    queue.consumer_exited({});
  }
};

TEST(BatchQueue, EverythingPushedFromSeveralThreadsArrivesOnceInEachThreadsOrder) {
  BatchQueue queue(256, "run");  // a tiny bound: producers wait often
  Consumer consumer{queue};
  constexpr int kThreads = 4, kEach = 5000;
  std::vector<std::thread> producers;
  for (int t = 0; t < kThreads; ++t) {
    producers.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) push_scalar(queue, t * kEach + i);
    });
  }
  for (auto& p : producers) p.join();
  queue.close();
  consumer.thread.join();
  ASSERT_EQ(consumer.seen.size(), std::size_t{kThreads * kEach});
  std::vector<std::int64_t> last(kThreads, -1);
  for (const auto s : consumer.seen) {
    const int t = static_cast<int>(s / kEach);
    EXPECT_GT(s, last[t]) << "thread " << t << "'s entries out of order";
    last[t] = s;
  }
  EXPECT_GT(consumer.batches, 1);
}

TEST(BatchQueue, AFullQueueMakesTheProducerWaitUntilABatchIsTaken) {
  BatchQueue queue(64, "run");
  while (queue.has_room_for(1)) push_scalar(queue, 0);  // at the bound, nobody consuming
  std::atomic<bool> pushed{false};
  std::thread producer([&] {
    push_scalar(queue, 1);
    pushed = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(pushed) << "a push past the bound must wait";
  PendingBatch batch;
  const auto taken = queue.take(batch, 1s, [] {});
  queue.finish(taken, {});
  producer.join();
  EXPECT_TRUE(pushed);
}

TEST(BatchQueue, FlushWaitsForTheBatchHoldingEverythingPushedBeforeIt) {
  BatchQueue queue(1 << 20, "run");
  Consumer consumer{queue};
  for (int i = 0; i < 100; ++i) push_scalar(queue, i);
  queue.flush();  // a 5 ms take interval, so this returns only through the flush ticket or time
  queue.close();
  consumer.thread.join();
  EXPECT_EQ(consumer.seen.size(), 100u);
}

TEST(BatchQueue, AClosedQueueRefusesPushesNamingTheCallAndTheWriter) {
  BatchQueue queue(1024, "runs/a");
  queue.close();
  EXPECT_TRUE(queue.has_room_for(1u << 30)) << "so that the push itself reports the closing";
  try {
    queue.push("add_text", queue.bound(), [](PendingBatch&) {});
    FAIL() << "pushed into a closed queue";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "add_text: the SummaryWriter for 'runs/a' is closed");
  }
}

TEST(BatchQueue, TheConsumersFirstFailureReachesFlushWithItsType) {
  BatchQueue queue(1024, "run");
  std::thread consumer([&] {
    PendingBatch batch;
    auto taken = queue.take(batch, 1s, [] {});
    queue.finish(taken, {"disk full", true});
    taken = queue.take(batch, 1s, [] {});
    queue.finish(taken, {"second failure", false});  // not the first: dropped
    queue.consumer_exited({});
  });
  push_scalar(queue, 1);
  EXPECT_THROW(queue.flush(), IoError);
  EXPECT_EQ(queue.failure(), "disk full");
  queue.close();
  consumer.join();
  EXPECT_THROW(queue.throw_failure(), IoError);
}

TEST(BatchQueue, FlushReturnsOnceTheConsumerHasExited) {
  BatchQueue queue(1024, "run");
  queue.consumer_exited({"encoding 'x' failed: bad", false});
  EXPECT_THROW(queue.flush(), Error);  // no consumer will take a batch: must not hang
}

TEST(BatchQueue, ATakeWithNothingToDoReturnsAfterTheInterval) {
  BatchQueue queue(1024, "run");
  PendingBatch batch;
  const auto start = std::chrono::steady_clock::now();
  const auto taken = queue.take(batch, 20ms, [] {});
  EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
  EXPECT_FALSE(taken.last);
  EXPECT_FALSE(taken.flush_asked);
  EXPECT_TRUE(batch.empty());
}

}  // namespace
}  // namespace tblog::detail
