// The reader over byte sources (tblog/byte_source.hpp): a file and the same bytes in memory read
// alike; a caller's own source (here one that grows, and one that fails) gets the same torn-tail,
// corruption and resynchronisation handling; corruption is typed by the layer that found it.
#include "tblog/byte_source.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "tblog/crc32c.hpp"
#include "tblog/error.hpp"
#include "tblog/reader.hpp"
#include "tblog/record.hpp"
#include "tblog/summary_writer.hpp"
#include "test_util.hpp"

namespace tblog {
namespace {

// An event file of `n` scalars written by SummaryWriter; returns its bytes.
std::string written_file(const test::TempDir& dir, int n) {
  SummaryWriter writer(dir.path());
  for (int i = 0; i < n; ++i) writer.add_scalar("loss", 1.0 / (i + 1), i, 1.7e9 + i);
  writer.close();
  return test::read_file(writer.path());
}

std::vector<std::pair<std::int64_t, double>> scalars_of(EventFileReader& reader) {
  std::vector<std::pair<std::int64_t, double>> out;
  Event e;
  while (reader.next(e) == ReadStatus::kEvent) {
    for (const auto& v : e.values) out.emplace_back(e.step, v.scalar());
  }
  return out;
}

TEST(ByteSource, AFileAndTheSameBytesInMemoryReadAlike) {
  test::TempDir dir;
  const std::string bytes = written_file(dir, 50);
  const auto path = find_runs(dir.path()).at(0).event_files.at(0);
  EventFileReader from_file(path), from_memory(memory_source(bytes, "copy"));
  const auto expected = scalars_of(from_file);
  EXPECT_EQ(expected.size(), 50u);
  EXPECT_EQ(scalars_of(from_memory), expected);
  EXPECT_EQ(from_memory.path(), "copy");
}

TEST(ByteSource, MemoryReadsStopAtTheEnd) {
  auto source = memory_source("abcdef");
  char out[8] = {};
  EXPECT_EQ(source->read_at(4, out, 8), 2u);
  EXPECT_EQ(std::string(out, 2), "ef");
  EXPECT_EQ(source->read_at(6, out, 8), 0u);
  EXPECT_EQ(source->read_at(1u << 30, out, 8), 0u);
  EXPECT_EQ(source->size(), 6u);
}

TEST(ByteSource, AFileSourceRefusesWhatIsNotARegularFile) {
  test::TempDir dir;
  try {
    open_file_source(dir.path());
    FAIL() << "a directory was opened as a byte source";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find(dir.path()), std::string::npos) << e.what();
  }
}

TEST(ByteSource, EveryTruncationInMemoryIsATornTailNamingTheSource) {
  test::TempDir dir;
  const std::string bytes = written_file(dir, 3);
  for (std::size_t cut = 1; cut < bytes.size(); ++cut) {
    EventFileReader reader(memory_source(bytes.substr(0, cut), "mem"));
    Event e;
    ReadStatus status;
    while ((status = reader.next(e)) == ReadStatus::kEvent) {
    }
    if (status == ReadStatus::kEnd) continue;  // cut exactly at a record boundary
    EXPECT_EQ(status, ReadStatus::kTornTail) << "cut at " << cut << ": " << reader.error();
    EXPECT_EQ(reader.error().rfind("mem: ", 0), 0u) << reader.error();
  }
}

// A caller's source over a string that another party appends to.
class GrowingSource final : public ByteSource {
 public:
  std::size_t read_at(std::uint64_t offset, char* out, std::size_t size) override {
    if (offset >= bytes.size()) return 0;
    const std::size_t n = std::min<std::uint64_t>(size, bytes.size() - offset);
    std::memcpy(out, bytes.data() + offset, n);
    return n;
  }
  std::uint64_t size() override { return bytes.size(); }
  const std::string& name() const override { return name_; }

  std::string bytes;

 private:
  std::string name_ = "growing";
};

TEST(ByteSource, AGrowingSourceShowsATornTailThenTheRecordOnceItIsComplete) {
  test::TempDir dir;
  const std::string bytes = written_file(dir, 2);
  auto owned = std::make_unique<GrowingSource>();
  GrowingSource& source = *owned;
  source.bytes = bytes.substr(0, bytes.size() - 3);  // the last record lacks its last 3 bytes
  EventFileReader reader(std::move(owned));
  Event e;
  ASSERT_EQ(reader.next(e), ReadStatus::kEvent);  // file_version
  ASSERT_EQ(reader.next(e), ReadStatus::kEvent);  // step 0
  EXPECT_EQ(reader.next(e), ReadStatus::kTornTail) << reader.error();
  source.bytes = bytes;  // the writer finished the record
  ASSERT_EQ(reader.next(e), ReadStatus::kEvent) << reader.error();
  EXPECT_EQ(e.step, 1);
  EXPECT_EQ(reader.next(e), ReadStatus::kEnd);
}

TEST(ByteSource, ASourceClaimingMoreThanItHoldsCostsOnlyWhatItReturns) {
  // A remote object whose server says it holds a terabyte, and whose one record claims 512 GiB:
  // the reader holds what the source returned, not what it claimed, and calls the record torn.
  class Boastful final : public ByteSource {
   public:
    explicit Boastful(std::string bytes) : bytes_(std::move(bytes)) {}
    std::size_t read_at(std::uint64_t offset, char* out, std::size_t size) override {
      largest_read = std::max(largest_read, size);
      if (offset >= bytes_.size()) return 0;
      const std::size_t n = std::min<std::uint64_t>(size, bytes_.size() - offset);
      std::memcpy(out, bytes_.data() + offset, n);
      return n;
    }
    std::uint64_t size() override { return std::uint64_t{1} << 40; }
    const std::string& name() const override { return name_; }
    std::size_t largest_read = 0;

   private:
    std::string bytes_;
    std::string name_ = "s3://bucket/boastful";
  };
  std::string record;
  append_record(record, std::string(100, 'x'));
  const std::uint64_t claimed = std::uint64_t{1} << 39;
  std::memcpy(record.data(), &claimed, 8);  // little-endian length, then its masked CRC
  const std::uint32_t crc = masked_crc32c(record.data(), 8);
  std::memcpy(record.data() + 8, &crc, 4);
  auto owned = std::make_unique<Boastful>(record);
  Boastful& source = *owned;
  RecordReader reader(std::move(owned));
  std::string payload;
  EXPECT_EQ(reader.next(payload), RecordStatus::kTornTail) << reader.error();
  EXPECT_LE(source.largest_read, std::size_t{8} << 20);
}

TEST(ByteSource, ASourceThatFailsToReadThrowsItsIoError) {
  class Failing final : public ByteSource {
   public:
    std::size_t read_at(std::uint64_t, char*, std::size_t) override {
      throw IoError("s3://bucket/run/events: connection reset");
    }
    std::uint64_t size() override { return 100; }
    const std::string& name() const override { return name_; }

   private:
    std::string name_ = "s3://bucket/run/events";
  };
  EventFileReader reader(std::make_unique<Failing>());
  Event e;
  EXPECT_THROW(reader.next(e), IoError);
}

TEST(ByteSource, DamagedFramingIsTheRecordLayersAndSkippingResumesAtTheNextRecord) {
  test::TempDir dir;
  std::string bytes = written_file(dir, 5);
  // Damage the payload CRC of the second record (step 0): flip its last byte.
  EventFileReader probe(memory_source(bytes));
  Event e;
  probe.next(e);
  const std::uint64_t second = probe.offset();
  probe.next(e);
  const std::uint64_t third = probe.offset();
  bytes[third - 1] ^= 0x5a;
  EventFileReader reader(memory_source(bytes, "damaged"));
  ASSERT_EQ(reader.next(e), ReadStatus::kEvent);
  ASSERT_EQ(reader.next(e), ReadStatus::kCorrupt);
  EXPECT_EQ(reader.corruption_layer(), EventFileReader::Layer::kRecord);
  EXPECT_NE(reader.error().find("at byte offset " + std::to_string(second)), std::string::npos)
      << reader.error();
  ASSERT_TRUE(reader.skip_corruption());
  ASSERT_EQ(reader.next(e), ReadStatus::kEvent);
  EXPECT_EQ(e.step, 1);
  // read_events says which layer: a CorruptRecord.
  test::write_file(dir / "damaged", bytes);
  EXPECT_THROW(read_events(dir / "damaged"), CorruptRecord);
}

TEST(ByteSource, AWellFramedRecordThatIsNoEventIsTheEventLayers) {
  std::string bytes;
  append_record(bytes, std::string("\xff\xff\xff", 3));  // valid CRCs, not a protobuf Event
  EventFileReader reader(memory_source(bytes));
  Event e;
  ASSERT_EQ(reader.next(e), ReadStatus::kCorrupt);
  EXPECT_EQ(reader.corruption_layer(), EventFileReader::Layer::kEvent);
  const FileReadReport report =
      for_each_event(memory_source(bytes), OnCorruption::kStop, [](const Event&) {});
  ASSERT_EQ(report.corruption.size(), 1u);
  EXPECT_EQ(report.first_corruption_layer, EventFileReader::Layer::kEvent);
  test::TempDir dir;
  test::write_file(dir / "f", bytes);
  EXPECT_THROW(read_events(dir / "f"), CorruptEvent);
}

}  // namespace
}  // namespace tblog
