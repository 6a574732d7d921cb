// Reading framed records from any byte source, telling a torn tail (the source ends inside a
// record) from corruption.
//
// Hostile files are expected: every length is compared with the bytes the file holds before
// anything is allocated, and the search for the next valid record after damage is one linear
// pass (crc32c_ranges.hpp), so a file of crafted headers cannot make it quadratic.
#include <algorithm>
#include <optional>
#include <queue>
#include <vector>

#include "crc32c_ranges.hpp"
#include "little_endian.hpp"
#include "tblog/byte_source.hpp"
#include "tblog/crc32c.hpp"
#include "tblog/error.hpp"
#include "tblog/record.hpp"

namespace tblog {
namespace {

// Read-ahead over a source that may still be growing: views of byte ranges, refilled on demand.
class SourceWindow {
 public:
  explicit SourceWindow(ByteSource& source) : source_(source) {}

  // Bytes [offset, offset + size) of the source, or fewer where it ends first.
  std::string_view bytes(std::uint64_t offset, std::size_t size) {
    if (offset < start_ || offset + size > start_ + buffer_.size()) refill(offset, size);
    if (offset >= start_ + buffer_.size()) return {};
    const std::size_t at = static_cast<std::size_t>(offset - start_);
    return std::string_view(buffer_).substr(at, size);
  }

  // The source's size now (one call to it).
  std::uint64_t source_size() {
    known_size_ = source_.size();
    return known_size_;
  }

  // The source's size, asking it only when the size last seen is below `needed`: a source only
  // grows while it is written, and one cut short shows as a short read. Saves a system call per
  // record on a file (8% of exporting 1M scalars).
  std::uint64_t size_for(std::uint64_t needed) {
    return needed <= known_size_ ? known_size_ : source_size();
  }

 private:
  static constexpr std::size_t kReadAhead = std::size_t{64} << 10;
  // Large reads go in steps of this size, stopping at the first short one: what is held never
  // runs more than a step past the bytes the source really returned. A remote object's size is
  // only its server's word, and a record's length only the file's.
  static constexpr std::size_t kReadStep = std::size_t{8} << 20;

  void refill(std::uint64_t offset, std::size_t size) {
    start_ = offset;
    const std::size_t want = std::max(size, kReadAhead);
    buffer_.clear();
    while (buffer_.size() < want) {
      const std::size_t have = buffer_.size();
      const std::size_t step = std::min(want - have, kReadStep);
      buffer_.resize(have + step);
      const std::size_t got = source_.read_at(offset + have, buffer_.data() + have, step);
      buffer_.resize(have + got);
      if (got < step) break;
    }
  }

  ByteSource& source_;
  std::string buffer_;
  std::uint64_t known_size_ = 0;
  std::uint64_t start_ = 0;
};

std::uint32_t stored_crc(std::string_view four_bytes) {
  return detail::load_le32(four_bytes.data());
}

bool header_is_valid(std::string_view header) {
  return header.size() == kRecordHeaderSize &&
         masked_crc32c(header.data(), 8) == stored_crc(header.substr(8));
}

}  // namespace

class RecordReader::Impl {
 public:
  explicit Impl(std::unique_ptr<ByteSource> s) : source(std::move(s)), window(*source) {}

  RecordStatus probe(std::uint64_t at, std::string& payload);
  std::optional<std::uint64_t> first_valid_record_from(std::uint64_t from);

  std::unique_ptr<ByteSource> source;
  SourceWindow window;
  std::uint64_t offset = 0;
  std::string error;
};

RecordStatus RecordReader::Impl::probe(std::uint64_t at, std::string& payload) {
  auto fail = [&](RecordStatus status, const std::string& what) {
    error = source->name() + ": " + what + " at byte offset " + std::to_string(at);
    return status;
  };
  const std::string_view header = window.bytes(at, kRecordHeaderSize);
  if (header.empty()) return RecordStatus::kEnd;
  if (header.size() < kRecordHeaderSize) {
    return fail(RecordStatus::kTornTail,
                "incomplete record header (" + std::to_string(header.size()) + " of 12 bytes)");
  }
  if (!header_is_valid(header)) return fail(RecordStatus::kCorrupt, "record length CRC mismatch");
  const std::uint64_t length = detail::load_le64(header.data());
  const std::uint64_t needed = at + kRecordHeaderSize + kRecordFooterSize +
                               std::min<std::uint64_t>(length, std::uint64_t{1} << 62);
  const std::uint64_t size = window.size_for(needed);
  const std::uint64_t available = size - std::min(size, at + kRecordHeaderSize);
  if (length > available || available - length < kRecordFooterSize) {
    // Either the writer has not finished this record, or the length is damaged. Only a damaged
    // length can be followed by a complete valid record.
    if (const auto next = first_valid_record_from(at + 1)) {
      return fail(RecordStatus::kCorrupt, "record length " + std::to_string(length) +
                                              " runs past the end of the file (a valid record "
                                              "follows at byte offset " +
                                              std::to_string(*next) + ")");
    }
    return fail(RecordStatus::kTornTail, "incomplete record (" + std::to_string(available) +
                                             " of " + std::to_string(length + kRecordFooterSize) +
                                             " bytes after the header)");
  }
  const std::string_view body = window.bytes(at + kRecordHeaderSize, length + kRecordFooterSize);
  if (body.size() != length + kRecordFooterSize) {
    return fail(RecordStatus::kTornTail, "file shrank while reading the record");
  }
  if (masked_crc32c(body.data(), length) != stored_crc(body.substr(length))) {
    return fail(RecordStatus::kCorrupt, "record data CRC mismatch");
  }
  payload.assign(body.data(), length);
  return RecordStatus::kOk;
}

// One pass from `from` to (at most) the end of the file. At each offset whose 12 bytes form a
// valid header, the candidate's payload end is queued; when the pass reaches it, the payload CRC
// comes from the running CRC at both ends (O(log length)) instead of from reading it again.
std::optional<std::uint64_t> RecordReader::Impl::first_valid_record_from(std::uint64_t from) {
  struct Candidate {
    std::uint64_t payload_end;
    std::uint64_t start;
    std::uint32_t crc_to_payload;  // running CRC from `from` to the payload's first byte
    bool operator>(const Candidate& o) const { return payload_end > o.payload_end; }
  };
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<Candidate>> pending;
  const std::uint64_t size = window.source_size();
  std::optional<std::uint64_t> best;
  std::uint32_t running = 0;  // crc32c of bytes [from, at)
  for (std::uint64_t at = from; at < size; ++at) {
    while (!pending.empty() && pending.top().payload_end == at) {
      const Candidate c = pending.top();
      pending.pop();
      if (best && c.start > *best) continue;
      const std::uint64_t length = c.payload_end - c.start - kRecordHeaderSize;
      const std::uint32_t crc = detail::crc32c_of_suffix(c.crc_to_payload, running, length);
      const std::string_view footer = window.bytes(at, kRecordFooterSize);
      if (footer.size() == kRecordFooterSize && mask_crc(crc) == stored_crc(footer)) best = c.start;
    }
    if (best && pending.empty()) break;
    const std::string_view header = window.bytes(at, kRecordHeaderSize);
    if (header.empty()) break;  // the file shrank under us
    if (!best && at + kRecordHeaderSize <= size && header_is_valid(header)) {
      const std::uint64_t length = detail::load_le64(header.data());
      const std::uint64_t room = size - at - kRecordHeaderSize;
      if (length <= room && room - length >= kRecordFooterSize) {
        pending.push({at + kRecordHeaderSize + length, at,
                      crc32c_extend(running, header.data(), header.size())});
      }
    }
    running = crc32c_extend(running, header.data(), 1);
  }
  return best;
}

RecordReader::RecordReader(const std::string& path) : RecordReader(open_source(path)) {}
RecordReader::RecordReader(std::unique_ptr<ByteSource> source)
    : impl_(std::make_unique<Impl>(std::move(source))) {}
RecordReader::~RecordReader() = default;
RecordReader::RecordReader(RecordReader&&) noexcept = default;
RecordReader& RecordReader::operator=(RecordReader&&) noexcept = default;

RecordStatus RecordReader::next(std::string& payload) {
  Impl& d = *impl_;
  d.error.clear();
  const RecordStatus status = d.probe(d.offset, payload);
  if (status == RecordStatus::kOk) d.offset += kRecordOverhead + payload.size();
  return status;
}

bool RecordReader::skip_to_next_valid_record() {
  Impl& d = *impl_;
  const auto next = d.first_valid_record_from(d.offset + 1);
  if (!next) return false;
  d.offset = *next;
  d.error.clear();
  return true;
}

void RecordReader::seek(std::uint64_t offset) {
  impl_->offset = offset;
  impl_->error.clear();
}

std::uint64_t RecordReader::offset() const {
  return impl_->offset;
}
const std::string& RecordReader::path() const {
  return impl_->source->name();
}
const std::string& RecordReader::error() const {
  return impl_->error;
}

}  // namespace tblog
