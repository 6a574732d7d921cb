// TFRecord framing: the container format of TensorBoard event files. Knows nothing of events.
//
//   uint64 LE payload length | uint32 LE masked crc32c(length bytes) | payload |
//   uint32 LE masked crc32c(payload)
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace tblog {

constexpr std::size_t kRecordHeaderSize = 12;
constexpr std::size_t kRecordFooterSize = 4;
constexpr std::size_t kRecordOverhead = kRecordHeaderSize + kRecordFooterSize;

// Appends one framed record holding `payload` to `out`.
void append_record(std::string& out, std::string_view payload);

// What reading the next record found.
enum class RecordStatus {
  kOk,        // a complete record with both CRCs valid
  kEnd,       // clean end of file, exactly at a record boundary
  kTornTail,  // the file ends inside a record: a writer is still writing, or crashed mid-record
  kCorrupt,   // a CRC does not match or a length is impossible: the bytes are damaged
};

const char* to_string(RecordStatus status);

// Reads framed records from a file, verifying both CRCs of each.
class RecordReader {
 public:
  // Throws IoError naming the file if it cannot be opened.
  explicit RecordReader(const std::string& path);
  ~RecordReader();
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;

  // Reads the record at the current offset into `payload`. On kOk the offset advances past it;
  // on kTornTail / kCorrupt it stays at the start of the bad record, and error() explains.
  RecordStatus next(std::string& payload);

  // After kCorrupt: scans forward byte by byte for the next offset at which a complete record
  // with valid CRCs starts (what TensorBoard's loaders cannot do). Returns false if none exists.
  bool skip_to_next_valid_record();

  std::uint64_t offset() const { return offset_; }
  const std::string& path() const { return path_; }
  const std::string& error() const { return error_; }

 private:
  bool read_at(std::uint64_t offset, void* buffer, std::size_t size, std::size_t& got);
  RecordStatus probe(std::uint64_t offset, std::string& payload, bool set_error);

  std::string path_;
  std::FILE* file_ = nullptr;
  std::uint64_t offset_ = 0;
  std::uint64_t file_size_ = 0;
  std::string error_;
};

}  // namespace tblog
