// Reading framed records, telling a torn tail (file ends inside a record) from corruption.
#include <cerrno>
#include <cstring>

#include "little_endian.hpp"
#include "tblog/crc32c.hpp"
#include "tblog/error.hpp"
#include "tblog/record.hpp"

namespace tblog {
namespace {

// No event comes near this; a length above it with a valid CRC is still treated as damage.
constexpr std::uint64_t kMaxRecordLength = std::uint64_t(1) << 32;

}  // namespace

RecordReader::RecordReader(const std::string& path) : path_(path) {
  file_ = std::fopen(path.c_str(), "rb");
  if (!file_) throw IoError("cannot open event file '" + path + "': " + std::strerror(errno));
}

RecordReader::~RecordReader() {
  if (file_) std::fclose(file_);
}

bool RecordReader::read_at(std::uint64_t offset, void* buffer, std::size_t size, std::size_t& got) {
  got = 0;
  if (fseeko(file_, static_cast<off_t>(offset), SEEK_SET) != 0) return false;
  got = std::fread(buffer, 1, size, file_);
  std::clearerr(file_);  // a short read at EOF is expected while a writer is still writing
  return got == size;
}

RecordStatus RecordReader::probe(std::uint64_t at, std::string& payload, bool set_error) {
  auto fail = [&](RecordStatus status, const std::string& what) {
    if (set_error) error_ = path_ + ": " + what + " at byte offset " + std::to_string(at);
    return status;
  };
  char header[kRecordHeaderSize];
  std::size_t got = 0;
  if (!read_at(at, header, sizeof header, got)) {
    if (got == 0) return RecordStatus::kEnd;
    return fail(RecordStatus::kTornTail,
                "incomplete record header (" + std::to_string(got) + " of 12 bytes)");
  }
  const std::uint64_t length = detail::load_le64(header);
  if (masked_crc32c(header, 8) != detail::load_le32(header + 8)) {
    return fail(RecordStatus::kCorrupt, "record length CRC mismatch");
  }
  if (length > kMaxRecordLength) {
    return fail(RecordStatus::kCorrupt, "impossible record length " + std::to_string(length));
  }
  payload.resize(length + kRecordFooterSize);
  if (!read_at(at + kRecordHeaderSize, payload.data(), payload.size(), got)) {
    return fail(RecordStatus::kTornTail, "incomplete record (" + std::to_string(got) + " of " +
                                             std::to_string(payload.size()) +
                                             " bytes after the header)");
  }
  const std::uint32_t stored = detail::load_le32(payload.data() + length);
  payload.resize(length);
  if (masked_crc32c(payload.data(), payload.size()) != stored) {
    return fail(RecordStatus::kCorrupt, "record data CRC mismatch");
  }
  return RecordStatus::kOk;
}

RecordStatus RecordReader::next(std::string& payload) {
  error_.clear();
  const RecordStatus status = probe(offset_, payload, true);
  if (status == RecordStatus::kOk) offset_ += kRecordOverhead + payload.size();
  return status;
}

bool RecordReader::skip_to_next_valid_record() {
  std::string scratch;
  for (std::uint64_t at = offset_ + 1;; ++at) {
    const RecordStatus status = probe(at, scratch, false);
    if (status == RecordStatus::kOk) {
      offset_ = at;
      error_.clear();
      return true;
    }
    if (status == RecordStatus::kEnd) return false;
    if (status == RecordStatus::kTornTail) {
      // Only a torn record can follow; if its header is whole and its length CRC valid, it is the
      // real next record still being written. Either way there is nothing complete to resume at.
      char header[kRecordHeaderSize];
      std::size_t got = 0;
      if (!read_at(at, header, sizeof header, got)) return false;
    }
  }
}

}  // namespace tblog
