/// @file
/// Where a reader's bytes come from. RecordReader, EventFileReader and for_each_event read
/// through this interface, so the same reader (CRC checks, torn tails told from corruption,
/// resynchronisation after damage) works over a local file, a buffer in memory, or anything a
/// caller implements in two calls: an object in remote storage read with ranged requests, say.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include "tblog/export.hpp"

namespace tblog {

class TBLOG_API ByteSource {
 public:
  virtual ~ByteSource();

  /// Copies up to `size` bytes starting at `offset` into `out` and returns how many: fewer only
  /// where the source ends (0 at or past its end). Throws IoError naming the source when the
  /// read itself fails.
  virtual std::size_t read_at(std::uint64_t offset, char* out, std::size_t size) = 0;
  /// The number of bytes the source holds now. A source that is still being written (a file a
  /// writer appends to) may grow between calls; the reader then sees its tail as torn, not corrupt.
  virtual std::uint64_t size() = 0;
  /// What the reader's messages call the source: a path, a URL, "<memory>".
  virtual const std::string& name() const = 0;
};

/// The regular file at `path`, read with pread. Throws IoError naming the path if it cannot be
/// opened or is not a regular file (a FIFO, device or directory would block or never end).
TBLOG_API std::unique_ptr<ByteSource> open_file_source(const std::string& path);

/// What a path names: an object in remote storage for "s3://bucket/key" (read with ranged
/// requests; docs/remote-storage.md), else the local file as open_file_source opens it. Throws
/// IoError (RemoteError for an object) naming it when it cannot be opened.
TBLOG_API std::unique_ptr<ByteSource> open_source(const std::string& path_or_url);

/// `bytes` held in memory (moved in; no copy), called `name` in messages.
TBLOG_API std::unique_ptr<ByteSource> memory_source(std::string bytes,
                                                    std::string name = "<memory>");

}  // namespace tblog
