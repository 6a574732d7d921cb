#include "tblog/record.hpp"

#include <gtest/gtest.h>

#include "tblog/crc32c.hpp"
#include "tblog/error.hpp"
#include "test_util.hpp"

namespace tblog {
namespace {

std::string hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string unhex(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i + 1 < text.size(); i += 2) {
    out += static_cast<char>(std::stoi(text.substr(i, 2), nullptr, 16));
  }
  return out;
}

// Worked example 1 of tensorboard-format.md: the file_version record of a real event file.
TEST(RecordFraming, FileVersionRecordByteForByte) {
  const std::string event = unhex(
                                "09000080389"
                                "9d6d7411a0d") +
                            "brain.Event:2";
  ASSERT_EQ(event.size(), 24u);
  std::string record;
  append_record(record, event);
  EXPECT_EQ(hex(record),
            "1800000000000000"
            "a37f4b22"
            "0900008038"
            "99d6d741"
            "1a0d" +
                hex("brain.Event:2") + "124b36ab");
}

// Worked example 2: only the length framing is independent of the (unknown) wall time.
TEST(RecordFraming, LengthCrcOfFiftyByteRecord) {
  std::string record;
  append_record(record, std::string(50, 'x'));
  EXPECT_EQ(hex(record.substr(0, 12)),
            "3200000000000000"
            "241956ec");
}

TEST(RecordReader, ReadsBackEveryRecord) {
  test::TempDir dir;
  std::string bytes;
  for (int i = 0; i < 100; ++i)
    append_record(bytes, std::string(i, static_cast<char>('a' + i % 26)));
  test::write_file(dir / "f", bytes);
  RecordReader reader(dir / "f");
  std::string payload;
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(reader.next(payload), RecordStatus::kOk) << i;
    EXPECT_EQ(payload, std::string(i, static_cast<char>('a' + i % 26)));
  }
  EXPECT_EQ(reader.next(payload), RecordStatus::kEnd);
}

TEST(RecordReader, EveryTruncationIsATornTailNeverCorruption) {
  test::TempDir dir;
  std::string bytes;
  append_record(bytes, "first record");
  const std::size_t first_end = bytes.size();
  append_record(bytes, "second record, longer");
  for (std::size_t cut = first_end + 1; cut < bytes.size(); ++cut) {
    test::write_file(dir / "f", bytes.substr(0, cut));
    RecordReader reader(dir / "f");
    std::string payload;
    ASSERT_EQ(reader.next(payload), RecordStatus::kOk);
    EXPECT_EQ(reader.next(payload), RecordStatus::kTornTail) << "cut at " << cut;
    EXPECT_EQ(reader.offset(), first_end);
    EXPECT_NE(reader.error().find("byte offset " + std::to_string(first_end)), std::string::npos);
  }
}

TEST(RecordReader, TornTailResumesOnceTheWriterFinishesTheRecord) {
  test::TempDir dir;
  std::string bytes;
  append_record(bytes, "complete");
  append_record(bytes, "written in two steps");
  test::write_file(dir / "f", bytes.substr(0, bytes.size() - 5));
  RecordReader reader(dir / "f");
  std::string payload;
  ASSERT_EQ(reader.next(payload), RecordStatus::kOk);
  ASSERT_EQ(reader.next(payload), RecordStatus::kTornTail);
  test::write_file(dir / "f", bytes);
  ASSERT_EQ(reader.next(payload), RecordStatus::kOk);
  EXPECT_EQ(payload, "written in two steps");
}

TEST(RecordReader, BadCrcsAreCorruptionWithOffsetAndCanBeSkipped) {
  test::TempDir dir;
  std::string bytes;
  append_record(bytes, "one");
  const std::size_t second = bytes.size();
  append_record(bytes, "two");
  append_record(bytes, "three");
  for (std::size_t flip : {second + 2, second + 9, second + 13, second + 15 + 2}) {
    std::string damaged = bytes;
    damaged[flip] ^= 0x10;
    test::write_file(dir / "f", damaged);
    RecordReader reader(dir / "f");
    std::string payload;
    ASSERT_EQ(reader.next(payload), RecordStatus::kOk);
    ASSERT_EQ(reader.next(payload), RecordStatus::kCorrupt) << "flip at " << flip;
    EXPECT_NE(reader.error().find("offset " + std::to_string(second)), std::string::npos);
    ASSERT_TRUE(reader.skip_to_next_valid_record());
    ASSERT_EQ(reader.next(payload), RecordStatus::kOk);
    EXPECT_EQ(payload, "three");
  }
}

// A header whose (CRC-valid) length claims more than the file holds, as a hostile file does.
std::string header_claiming(std::uint64_t length) {
  std::string framed;
  append_record(framed, "");
  std::string header = framed.substr(0, kRecordHeaderSize);
  for (int i = 0; i < 8; ++i) header[i] = static_cast<char>(length >> (8 * i));
  const std::uint32_t crc = masked_crc32c(header.data(), 8);
  for (int i = 0; i < 4; ++i) header[8 + i] = static_cast<char>(crc >> (8 * i));
  return header;
}

// Writes `bytes` as a file and reads its first record (valid) and its second (corrupt).
RecordReader reader_at_corrupt_second_record(const test::TempDir& dir, const std::string& bytes,
                                             std::string& payload) {
  test::write_file(dir / "f", bytes);
  RecordReader reader(dir / "f");
  EXPECT_EQ(reader.next(payload), RecordStatus::kOk);
  EXPECT_EQ(reader.next(payload), RecordStatus::kCorrupt);
  return reader;
}

TEST(RecordReader, HugeLengthFollowedByAValidRecordIsCorruptionAndTheRecordIsFound) {
  test::TempDir dir;
  std::string bytes;
  append_record(bytes, "one");
  const std::size_t bad = bytes.size();
  bytes += header_claiming(std::uint64_t(3) << 30) + "junk bytes";
  const std::size_t next = bytes.size();
  append_record(bytes, "two");
  std::string payload;
  RecordReader reader = reader_at_corrupt_second_record(dir, bytes, payload);
  EXPECT_NE(reader.error().find("offset " + std::to_string(bad)), std::string::npos);
  EXPECT_LT(payload.capacity(), std::size_t(1) << 20) << "allocated what the header claimed";
  ASSERT_TRUE(reader.skip_to_next_valid_record());
  EXPECT_EQ(reader.offset(), next);
  ASSERT_EQ(reader.next(payload), RecordStatus::kOk);
  EXPECT_EQ(payload, "two");
}

TEST(RecordReader, HugeLengthAtTheEndIsATornTail) {
  test::TempDir dir;
  std::string bytes;
  append_record(bytes, "one");
  bytes += header_claiming((std::uint64_t(4) << 30) - 1) + "partial";
  test::write_file(dir / "f", bytes);
  RecordReader reader(dir / "f");
  std::string payload;
  ASSERT_EQ(reader.next(payload), RecordStatus::kOk);
  EXPECT_EQ(reader.next(payload), RecordStatus::kTornTail);
  EXPECT_FALSE(reader.skip_to_next_valid_record());
}

// Headers at every 12 bytes, each claiming a payload up to near the end with a wrong data CRC:
// the skip must still find the valid record after them, and the overlapping candidates must each
// be judged right (a valid one hidden among them is found at its exact offset).
TEST(RecordReader, SkipsOverlappingCandidatesToTheFirstValidRecord) {
  test::TempDir dir;
  for (int hidden : {-1, 3, 37}) {
    std::string bytes;
    append_record(bytes, "one");
    std::size_t expected = 0;
    const int n = 50;
    for (int i = 0; i < n; ++i) {
      if (i == hidden) {
        expected = bytes.size();
        append_record(bytes, "hidden");
      }
      bytes += header_claiming(static_cast<std::uint64_t>((n - i) * 12));
    }
    bytes += std::string(8, '\0');
    if (hidden < 0) expected = bytes.size();
    append_record(bytes, "last");
    std::string payload;
    RecordReader reader = reader_at_corrupt_second_record(dir, bytes, payload);
    ASSERT_TRUE(reader.skip_to_next_valid_record());
    EXPECT_EQ(reader.offset(), expected) << "hidden record " << hidden;
    ASSERT_EQ(reader.next(payload), RecordStatus::kOk);
    EXPECT_EQ(payload, hidden < 0 ? "last" : "hidden");
  }
}

TEST(RecordReader, DirectoryIsAnIoErrorNotAnEmptyFile) {
  test::TempDir dir;
  EXPECT_THROW(RecordReader reader(dir.path()), IoError);
}

TEST(RecordReader, MissingFileIsAnIoErrorNamingIt) {
  try {
    RecordReader reader("/nonexistent/dir/events.out.tfevents.x");
    FAIL();
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/dir/events.out.tfevents.x"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace tblog
