// The logdir index over an in-memory store: runs found as TensorBoard finds them, each pass
// listed the cheaper way (whole, or run by run after each run's last key), new runs and files
// seen either way, and what only a whole listing can see seen at the next one.
#include <gtest/gtest.h>

#include "logdir_index.hpp"
#include "remote/memory_object_store.hpp"

using namespace tblog::detail;

namespace {

std::string event_file(int n) {
  return "events.out.tfevents." + std::to_string(1700000000 + n) + ".host";
}

void put_files(MemoryObjectStore& store, const std::string& dir, int from, int to) {
  for (int i = from; i < to; ++i) store.put(dir + "/" + event_file(i), "x");
}

std::vector<std::string> names_of(const LogdirIndex& index) {
  std::vector<std::string> names;
  for (const auto& [name, run] : index.runs()) names.push_back(name);
  return names;
}

std::size_t files_of(const LogdirIndex& index, const std::string& run) {
  const auto found = index.runs().find(run);
  return found == index.runs().end() ? 0 : found->second.event_files.size();
}

}  // namespace

TEST(LogdirIndex, FindsRunsAsTensorBoardDoes) {
  MemoryObjectStore store;
  put_files(store, "logs", 0, 1);           // the logdir itself is a run: "."
  put_files(store, "logs/exp/lstm", 0, 2);  // nested
  put_files(store, "logs/gru", 3, 4);
  store.put("logs/gru/notes.txt", "x");            // not an event file
  store.put("logs/empty/model.pt", "x");           // no event file: no run
  store.put("logs/gru/events.out.tfevents", "x");  // TensorBoard's rule: nothing after the prefix
  put_files(store, "logs2/other", 0, 1);           // beside the logdir, not in it
  LogdirIndex index(store, "logs");
  const IndexPass pass = index.update();
  EXPECT_TRUE(pass.whole);
  EXPECT_EQ(pass.lists, 1u);
  EXPECT_EQ(names_of(index), (std::vector<std::string>{".", "exp/lstm", "gru"}));
  EXPECT_EQ(files_of(index, "exp/lstm"), 2u);
  const std::vector<tblog::RunFiles> files = index.run_files();
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].directory, "memory:logs");
  EXPECT_EQ(files[1].directory, "memory:logs/exp/lstm");
  EXPECT_EQ(files[1].event_files,
            (std::vector<std::string>{"memory:logs/exp/lstm/" + event_file(0),
                                      "memory:logs/exp/lstm/" + event_file(1)}));
}

TEST(LogdirIndex, AFewSmallRunsAreListedWholeEachPass) {
  MemoryObjectStore store;
  for (const char* run : {"a", "b", "c"}) put_files(store, std::string("logs/") + run, 0, 5);
  LogdirIndex index(store, "logs");
  index.update();
  EXPECT_EQ(index.whole_cost(), 1u);
  EXPECT_EQ(index.per_run_cost(), 4u);  // three runs and the logdir above them
  for (int pass = 0; pass < 3; ++pass) {
    const IndexPass idle = index.update();
    EXPECT_TRUE(idle.whole);
    EXPECT_EQ(idle.lists, 1u);
  }
}

// Runs of many objects (the case of long jobs with 30 s segments): run by run after the last key
// costs a request per run and per directory above runs, whatever the runs hold.
TEST(LogdirIndex, LongRunsAreListedRunByRunAfterTheirLastKey) {
  MemoryObjectStore store(10);  // pages of 10 keys stand for S3's 1,000
  put_files(store, "logs/exp1/a", 0, 40);
  put_files(store, "logs/exp1/b", 0, 40);
  put_files(store, "logs/c", 0, 40);
  LogdirIndex index(store, "logs", 1000);
  EXPECT_EQ(index.update().lists, 12u);  // 120 objects
  EXPECT_EQ(index.per_run_cost(), 5u);   // a, b, c, exp1 and the logdir
  IndexPass idle = index.update();
  EXPECT_FALSE(idle.whole);
  EXPECT_EQ(idle.lists, 5u);
  EXPECT_EQ(files_of(index, "c"), 40u);

  // New objects in runs, a new run beside others, a new directory of runs: all in one pass.
  put_files(store, "logs/c", 40, 43);
  put_files(store, "logs/exp1/d", 0, 2);
  put_files(store, "logs/exp2/x/y", 0, 1);
  store.put("logs/exp3/checkpoint.pt", "x");  // a new directory without runs
  const IndexPass grown = index.update();
  EXPECT_FALSE(grown.whole);
  EXPECT_EQ(files_of(index, "c"), 43u);
  EXPECT_EQ(names_of(index),
            (std::vector<std::string>{"c", "exp1/a", "exp1/b", "exp1/d", "exp2/x/y"}));
  EXPECT_EQ(grown.lists, 5u + 3u);  // and one whole listing of each new directory
  const auto& c = index.runs().at("c").event_files;
  EXPECT_TRUE(std::is_sorted(c.begin(), c.end(), [](const StoredObject& x, const StoredObject& y) {
    return x.key < y.key;
  }));

  // exp3 is known now: the next idle pass lists it no more, and asks the new runs and exp2/x.
  idle = index.update();
  EXPECT_FALSE(idle.whole);
  EXPECT_EQ(idle.lists, index.per_run_cost());
  EXPECT_EQ(idle.lists, 9u);  // five runs; the logdir, exp1, exp2 and exp2/x above them
}

TEST(LogdirIndex, TheWholeListingNowAndThenSeesWhatRunByRunCannot) {
  MemoryObjectStore store(10);
  put_files(store, "logs/a", 0, 40);
  put_files(store, "logs/b", 0, 40);
  LogdirIndex index(store, "logs", 3);  // whole every third pass
  EXPECT_TRUE(index.update().whole);
  // A directory that sorts before a's last event file, and an object deleted.
  put_files(store, "logs/a/eval", 0, 1);
  store.erase("logs/b/" + event_file(0));
  EXPECT_FALSE(index.update().whole);
  EXPECT_FALSE(index.update().whole);
  EXPECT_EQ(names_of(index), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(files_of(index, "b"), 40u);
  EXPECT_TRUE(index.update().whole);
  EXPECT_EQ(names_of(index), (std::vector<std::string>{"a", "a/eval", "b"}));
  EXPECT_EQ(files_of(index, "b"), 39u);
}

TEST(LogdirIndex, AnEventFileInADirectoryAboveRunsMakesItARun) {
  MemoryObjectStore store(10);
  put_files(store, "a", 0, 30);
  put_files(store, "b", 0, 30);
  LogdirIndex index(store, "", 1000);  // the bucket's root is the logdir
  index.update();
  EXPECT_FALSE(index.update().whole);
  store.put(event_file(0), "x");  // at the root
  EXPECT_FALSE(index.update().whole);
  EXPECT_EQ(names_of(index), (std::vector<std::string>{".", "a", "b"}));
  EXPECT_EQ(index.run_files().front().event_files,
            (std::vector<std::string>{"memory:" + event_file(0)}));
}
