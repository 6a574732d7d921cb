/// @file
/// TFRecord framing: the container format of TensorBoard event files. Knows nothing of events.
///
///   uint64 LE payload length | uint32 LE masked crc32c(length bytes) | payload |
///   uint32 LE masked crc32c(payload)
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include "tblog/byte_source.hpp"
#include "tblog/export.hpp"

namespace tblog {

constexpr std::size_t kRecordHeaderSize = 12;
constexpr std::size_t kRecordFooterSize = 4;
constexpr std::size_t kRecordOverhead = kRecordHeaderSize + kRecordFooterSize;

/// Appends one framed record holding `payload` to `out`.
TBLOG_API void append_record(std::string& out, std::string_view payload);

/// What reading the next record found.
enum class RecordStatus {
  kOk,        ///< a complete record with both CRCs valid
  kEnd,       ///< clean end of file, exactly at a record boundary
  kTornTail,  ///< the file ends inside a record: a writer is still writing, or crashed mid-record
  kCorrupt,   ///< a CRC does not match or a length is impossible: the bytes are damaged
};

TBLOG_API const char* to_string(RecordStatus status);

/// Reads framed records from a file or any other byte source, verifying both CRCs of each. Safe on
/// hostile input: nothing is allocated beyond the bytes the source holds, and skipping corruption
/// takes time linear in the bytes skipped (docs/reader-guarantees.md).
class TBLOG_API RecordReader {
 public:
  /// Throws IoError naming the file if it cannot be opened or is not a regular file.
  explicit RecordReader(const std::string& path);
  /// Reads `source` (tblog/byte_source.hpp: a file, memory, or a caller's own).
  explicit RecordReader(std::unique_ptr<ByteSource> source);
  ~RecordReader();
  RecordReader(RecordReader&&) noexcept;
  RecordReader& operator=(RecordReader&&) noexcept;

  /// Reads the record at the current offset into `payload`. On kOk the offset advances past it;
  /// on kTornTail / kCorrupt it stays at the start of the bad record, and error() explains.
  /// A header whose length runs past the end of the file is a torn tail (a writer still writing)
  /// unless a complete valid record starts somewhere after it: then the length is corrupt.
  RecordStatus next(std::string& payload);

  /// After kCorrupt: moves to the first offset after the current one at which a complete record
  /// with valid CRCs starts (what TensorBoard's loaders cannot do). Returns false if none exists.
  bool skip_to_next_valid_record();

  std::uint64_t offset() const;
  /// Goes on reading at `offset`, a record boundary an earlier reader of the same source returned
  /// from offset(): a reader reopened later resumes where the last one stopped.
  void seek(std::uint64_t offset);
  const std::string& path() const;  ///< the source's name()
  const std::string& error() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tblog
