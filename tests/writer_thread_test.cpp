// The writer thread (writer_thread.hpp) over a sink in memory: records come out framed, in
// logging order, plugin metadata only on a tag's first value, sync only when asked, and a sink
// or encoder failure stops the writing and reaches the producers typed by its cause.
#include "writer_thread.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "record_framing.hpp"
#include "tblog/error.hpp"
#include "tblog/record.hpp"

namespace tblog::detail {
namespace {

using namespace std::chrono_literals;

// Keeps what it is given; fails writes from the `fail_from`-th on.
class MemorySink final : public Sink {
 public:
  std::string write(std::string_view records) override {
    if (++writes_ >= fail_from) return "memory sink: full";
    bytes += records;
    return {};
  }
  std::string sync() override {
    ++syncs;
    return {};
  }
  const std::string& path() const override { return path_; }

  std::string bytes;
  int syncs = 0;
  int fail_from = 1 << 30;

 private:
  int writes_ = 0;
  std::string path_ = "memory";
};

// The payloads of the framed records in `bytes` (each checked whole by read_record).
std::vector<std::string> payloads(const std::string& bytes) {
  std::vector<std::string> out;
  std::string_view rest = bytes;
  while (!rest.empty()) {
    std::uint32_t n = 0;
    std::memcpy(&n, rest.data(), 4);  // the record's length, little-endian (x86/ARM)
    const std::size_t whole = kRecordOverhead + n;
    EXPECT_LE(whole, rest.size());
    std::string framed;
    append_record(framed, rest.substr(kRecordHeaderSize, n));
    EXPECT_EQ(framed, rest.substr(0, whole)) << "record " << out.size() << " framed wrongly";
    out.emplace_back(rest.substr(kRecordHeaderSize, n));
    rest.remove_prefix(whole);
  }
  return out;
}

DeferredSummary summary(const std::string& tag) {
  return {tag, [](const std::string& t, bool first) { return t + (first ? "+metadata" : ""); }};
}

void push(BatchQueue& queue, DeferredSummary s) {
  queue.push("add", queue.bound(), [&](PendingBatch& b) { b.add_deferred(std::move(s), 1); });
}

TEST(WriterThread, RecordsReachTheSinkFramedInOrderWithMetadataOnATagsFirstValue) {
  MemorySink sink;
  BatchQueue queue(1 << 20, "run");
  WriterThread thread(queue, sink, 10ms, false);
  push(queue, summary("a"));
  push(queue, summary("b"));
  queue.flush();
  push(queue, summary("a"));  // a later batch: still not the tag's first value
  queue.close();
  thread.join();
  EXPECT_EQ(payloads(sink.bytes), (std::vector<std::string>{"a+metadata", "b+metadata", "a"}));
  EXPECT_EQ(sink.syncs, 0);
}

TEST(WriterThread, SyncsAfterAFlushAndAtTheEndWhenAsked) {
  MemorySink sink;
  BatchQueue queue(1 << 20, "run");
  WriterThread thread(queue, sink, 1h, true);  // no periodic batches: only the flush's
  push(queue, summary("a"));
  queue.flush();
  EXPECT_EQ(sink.syncs, 1);
  queue.close();
  thread.join();
  EXPECT_EQ(sink.syncs, 2);
}

TEST(WriterThread, ASinkFailureIsAnIoErrorAndNothingIsWrittenAfterIt) {
  MemorySink sink;
  sink.fail_from = 2;
  BatchQueue queue(1 << 20, "run");
  WriterThread thread(queue, sink, 10ms, false);
  push(queue, summary("a"));
  queue.flush();
  push(queue, summary("b"));
  EXPECT_THROW(queue.flush(), IoError);
  push(queue, summary("c"));  // producers go on; their entries are dropped
  queue.close();
  thread.join();
  EXPECT_EQ(payloads(sink.bytes), std::vector<std::string>{"a+metadata"});
  EXPECT_EQ(queue.failure(), "memory sink: full");
}

TEST(WriterThread, AnEncoderThatThrowsIsAnErrorNamingItsTag) {
  MemorySink sink;
  BatchQueue queue(1 << 20, "run");
  WriterThread thread(queue, sink, 10ms, false);
  push(queue, {"broken", [](const std::string&, bool) -> std::string {
                 throw std::runtime_error("no memory for the PNG");
               }});
  try {
    queue.flush();
    FAIL() << "the encoder's failure was not reported";
  } catch (const IoError&) {
    FAIL() << "an encoder failure is not an I/O error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "encoding 'broken' failed: no memory for the PNG");
  }
  queue.close();
  thread.join();
}

TEST(WriterThread, ScalarsStampedWithTicksGetWallTimesBetweenTheirBatchsAnchors) {
  MemorySink sink;
  BatchQueue queue(1 << 20, "run");
  WriterThread thread(queue, sink, 10ms, false);
  const double before = now_seconds();
  queue.push("add_scalar", queue.bound(),
             [](PendingBatch& b) { b.add_scalar_at_ticks("loss", 0.5f, 3, read_ticks()); });
  queue.close();
  thread.join();
  const double after = now_seconds();
  const auto records = payloads(sink.bytes);
  ASSERT_EQ(records.size(), 1u);
  // Event.wall_time is field 1, a double: tag 0x09 then 8 bytes.
  ASSERT_EQ(records[0][0], '\x09');
  double wall_time = 0;
  std::memcpy(&wall_time, records[0].data() + 1, 8);
  EXPECT_GE(wall_time, before - 0.01);
  EXPECT_LE(wall_time, after + 0.01);
}

}  // namespace
}  // namespace tblog::detail
