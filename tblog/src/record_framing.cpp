// Appending framed records: length, masked CRC of the length, payload, masked CRC of payload.
#include <cstring>

#include "little_endian.hpp"
#include "record_framing.hpp"
#include "tblog/crc32c.hpp"
#include "tblog/record.hpp"

namespace tblog {

void detail::frame_record_in_place(char* record, std::size_t payload_size) {
  store_le64(record, payload_size);
  store_le32(record + 8, masked_crc32c(record, 8));
  store_le32(record + kRecordHeaderSize + payload_size,
             masked_crc32c(record + kRecordHeaderSize, payload_size));
}

void append_record(std::string& out, std::string_view payload) {
  const std::size_t start = out.size();
  out.resize(start + kRecordOverhead + payload.size());
  char* p = out.data() + start;
  if (!payload.empty()) std::memcpy(p + kRecordHeaderSize, payload.data(), payload.size());
  detail::frame_record_in_place(p, payload.size());
}

const char* to_string(RecordStatus status) {
  switch (status) {
    case RecordStatus::kOk:
      return "ok";
    case RecordStatus::kEnd:
      return "end of file";
    case RecordStatus::kTornTail:
      return "torn tail";
    case RecordStatus::kCorrupt:
      return "corrupt";
  }
  return "?";
}

}  // namespace tblog
