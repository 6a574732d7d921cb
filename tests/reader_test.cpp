// The reader against damaged input: truncation, bit flips, garbage. It must never crash or
// hang, never accept a damaged record, and must tell torn tails from corruption.
#include "tblog/reader.hpp"

#include <gtest/gtest.h>

#include <random>

#include "tblog/error.hpp"
#include "tblog/record.hpp"
#include "tblog/summary_writer.hpp"
#include "test_util.hpp"

namespace tblog {
namespace {

std::string sample_file(const test::TempDir& dir) {
  SummaryWriter w(dir / "src");
  for (int i = 0; i < 30; ++i) {
    w.add_scalar("s", i * 0.5, i);
    if (i % 10 == 0) {
      std::vector<float> v(50, static_cast<float>(i));
      w.add_histogram("h", v, i);
      w.add_text("t", "step " + std::to_string(i), i);
    }
  }
  w.close();
  return test::read_file(w.path());
}

// Reads a file to its end, skipping corruption; returns (events, corrupt seen, torn seen).
struct Outcome {
  std::size_t events = 0;
  bool corrupt = false, torn = false;
};

Outcome read_all(const std::string& path) {
  Outcome out;
  EventFileReader reader(path);
  Event e;
  for (int guard = 0; guard < 100000; ++guard) {
    const ReadStatus s = reader.next(e);
    if (s == ReadStatus::kEvent) {
      ++out.events;
      continue;
    }
    if (s == ReadStatus::kCorrupt) {
      out.corrupt = true;
      if (reader.skip_corruption()) continue;
    }
    if (s == ReadStatus::kTornTail) out.torn = true;
    return out;
  }
  ADD_FAILURE() << "reader did not terminate";
  return out;
}

TEST(Reader, EveryTruncationReadsTheCompletePrefixAndReportsATornTail) {
  test::TempDir dir;
  const std::string bytes = sample_file(dir);
  const std::size_t full = read_all(find_runs(dir / "src")[0].event_files[0]).events;
  std::size_t previous = 0;
  for (std::size_t cut = 0; cut <= bytes.size(); cut += 7) {
    test::write_file(dir / "cut", bytes.substr(0, cut));
    const Outcome o = read_all(dir / "cut");
    EXPECT_FALSE(o.corrupt) << cut;
    EXPECT_GE(o.events, previous);  // never fewer events from a longer prefix
    previous = o.events;
  }
  test::write_file(dir / "cut", bytes);
  const Outcome whole = read_all(dir / "cut");
  EXPECT_FALSE(whole.torn);
  EXPECT_EQ(whole.events, full);
}

TEST(Reader, BitFlipsAreNeverAcceptedSilently) {
  test::TempDir dir;
  const std::string bytes = sample_file(dir);
  std::mt19937 rng(11);
  const Outcome clean = [&] {
    test::write_file(dir / "f", bytes);
    return read_all(dir / "f");
  }();
  for (int round = 0; round < 300; ++round) {
    std::string damaged = bytes;
    const std::size_t at = rng() % damaged.size();
    damaged[at] ^= static_cast<char>(1u << (rng() % 8));
    test::write_file(dir / "f", damaged);
    const Outcome o = read_all(dir / "f");
    // One damaged record: it is reported (as corruption, or as a torn tail when the flip made a
    // length run past the end) and at most that one record is lost.
    EXPECT_TRUE(o.corrupt || o.torn) << "flip at " << at;
    EXPECT_LE(o.events, clean.events);
  }
}

TEST(Reader, RandomGarbageNeverCrashesOrHangs) {
  test::TempDir dir;
  std::mt19937 rng(13);
  for (int round = 0; round < 300; ++round) {
    std::string garbage(rng() % 2000, '\0');
    for (char& c : garbage) c = static_cast<char>(rng());
    if (round % 3 == 0) {
      // Valid framing around a random payload: CRCs pass, the payload is not an Event.
      garbage.clear();
      std::string payload(rng() % 64 + 1, '\0');
      for (char& c : payload) c = static_cast<char>(rng());
      append_record(garbage, payload);
    }
    test::write_file(dir / "g", garbage);
    read_all(dir / "g");
  }
}

TEST(Reader, ReadEventsThrowsCorruptDataNamingFileAndOffset) {
  test::TempDir dir;
  std::string bytes = sample_file(dir);
  bytes[60] ^= 0x01;  // inside the second record
  test::write_file(dir / "bad", bytes);
  try {
    read_events(dir / "bad");
    FAIL();
  } catch (const CorruptData& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(dir / "bad"), std::string::npos) << what;
    EXPECT_NE(what.find("byte offset"), std::string::npos) << what;
  }
}

TEST(Reader, FindRunsSeesNestedRunsLikeTensorBoard) {
  test::TempDir dir;
  { SummaryWriter a(dir.path()); }
  { SummaryWriter b(dir / "lstm/h128"); }
  { SummaryWriter c(dir / "gru"); }
  test::write_file(dir / "gru/notes.txt", "not an event file");
  const auto runs = find_runs(dir.path());
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].name, ".");
  EXPECT_EQ(runs[1].name, "gru");
  EXPECT_EQ(runs[2].name, "lstm/h128");
  EXPECT_EQ(runs[1].event_files.size(), 1u);
  EXPECT_THROW(find_runs(dir / "missing"), IoError);
}

TEST(Reader, ReadScalarsAcrossFilesOfARun) {
  test::TempDir dir;
  {
    SummaryWriter w(dir.path());
    w.add_scalar("x", 1, 1);
  }
  {
    SummaryWriter w(dir.path());
    w.add_scalar("x", 2, 2);
  }
  const auto points = read_scalars(find_runs(dir.path())[0], "x");
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].value, 1);
  EXPECT_EQ(points[1].step, 2);
}

}  // namespace
}  // namespace tblog
