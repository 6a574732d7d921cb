// The writer's batch (pending_batch.hpp): what callers hand over comes out in logging order with
// every field intact, whatever the mix of kinds, tag lengths and growth of the arena.
#include "pending_batch.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tblog::detail {
namespace {

// One entry as seen by for_each, flattened for comparison.
std::string describe(const ScalarEntry& e) {
  return "scalar " + std::string(e.tag) + " " + std::to_string(e.value) + " " +
         std::to_string(e.step) + " " +
         (e.at_ticks ? "ticks " + std::to_string(e.ticks) : "wall " + std::to_string(e.wall_time));
}

std::vector<std::string> contents(PendingBatch& batch) {
  std::vector<std::string> seen;
  batch.for_each([&](const ScalarEntry& e) { seen.push_back(describe(e)); },
                 [&](DeferredSummary& d) { seen.push_back("deferred " + d.encode(d.tag, true)); });
  return seen;
}

DeferredSummary deferred(const std::string& tag, const std::string& payload) {
  return {tag, [payload](const std::string& t, bool first) {
            return t + "=" + payload + (first ? " (first)" : "");
          }};
}

TEST(PendingBatch, MixedEntriesComeOutInLoggingOrderWithEveryField) {
  PendingBatch batch;
  EXPECT_TRUE(batch.empty());
  batch.add_scalar("loss", 0.5f, 7, 1700000000.25);
  batch.add_deferred(deferred("image", "png"), 1000);
  batch.add_scalar_at_ticks("acc", -2.0f, -1, 123456789012345ull);
  batch.add_scalar("", 1e30f, 9223372036854775807LL, 0.0);  // empty tag, extreme step
  batch.add_deferred(deferred("audio", "wav"), 10);
  EXPECT_FALSE(batch.empty());
  const std::vector<std::string> expected = {
      "scalar loss 0.500000 7 wall " + std::to_string(1700000000.25), "deferred image=png (first)",
      "scalar acc -2.000000 -1 ticks 123456789012345",
      "scalar  " + std::to_string(1e30f) + " 9223372036854775807 wall " + std::to_string(0.0),
      "deferred audio=wav (first)"};
  EXPECT_EQ(contents(batch), expected);
}

TEST(PendingBatch, BytesCountEntriesAndTheDeferredEstimatesAndClearEmptiesAll) {
  PendingBatch batch;
  batch.add_scalar("abc", 1.f, 1, 2.0);
  const std::size_t scalar_bytes = 1 + 4 + 3 + 4 + 8 + 8;
  EXPECT_EQ(batch.bytes(), scalar_bytes);
  batch.add_deferred(deferred("t", "x"), 500);
  EXPECT_EQ(batch.bytes(), scalar_bytes + 1 + 4 + 500);
  batch.clear();
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(batch.bytes(), 0u);
  EXPECT_TRUE(contents(batch).empty());
  // Reused after clear: indices of deferred entries start again from the new ones.
  batch.add_deferred(deferred("again", "y"), 1);
  EXPECT_EQ(contents(batch), std::vector<std::string>{"deferred again=y (first)"});
}

TEST(PendingBatch, LongTagsAndManyEntriesSurviveTheArenaGrowing) {
  PendingBatch batch;
  batch.reserve(64);  // far too small: the arena must grow many times, keeping what it holds
  const std::string long_tag(100000, 't');
  batch.add_scalar(long_tag, 3.f, 1, 1.0);
  for (int i = 0; i < 10000; ++i) batch.add_scalar("s" + std::to_string(i), float(i), i, i);
  int count = 0;
  bool in_order = true;
  batch.for_each(
      [&](const ScalarEntry& e) {
        if (count == 0) {
          in_order = in_order && e.tag == long_tag && e.value == 3.f;
        } else {
          const int i = count - 1;
          in_order = in_order && e.tag == "s" + std::to_string(i) && e.step == i &&
                     e.value == float(i) && e.wall_time == double(i) && !e.at_ticks;
        }
        ++count;
      },
      [](DeferredSummary&) { FAIL() << "no deferred entries were added"; });
  EXPECT_EQ(count, 10001);
  EXPECT_TRUE(in_order);
}

TEST(ByteArena, GrowKeepsContentsAndReserveNeverShrinksOrResizes) {
  ByteArena arena;
  EXPECT_EQ(arena.size(), 0u);
  std::memcpy(arena.grow(3), "abc", 3);
  arena.reserve(1);  // smaller than held: nothing changes
  EXPECT_EQ(std::string(arena.data(), arena.size()), "abc");
  arena.reserve(1 << 20);
  EXPECT_EQ(arena.size(), 3u);
  EXPECT_EQ(std::string(arena.data(), arena.size()), "abc");
  std::memcpy(arena.grow(2), "de", 2);
  EXPECT_EQ(std::string(arena.data(), arena.size()), "abcde");
  arena.clear();
  EXPECT_EQ(arena.size(), 0u);
}

}  // namespace
}  // namespace tblog::detail
