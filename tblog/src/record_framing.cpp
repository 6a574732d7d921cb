// Appending framed records: length, masked CRC of the length, payload, masked CRC of payload.
#include <cstring>

#include "little_endian.hpp"
#include "tblog/crc32c.hpp"
#include "tblog/record.hpp"

namespace tblog {

void append_record(std::string& out, std::string_view payload) {
  const std::size_t start = out.size();
  out.resize(start + kRecordHeaderSize + payload.size() + kRecordFooterSize);
  char* p = out.data() + start;
  detail::store_le64(p, payload.size());
  detail::store_le32(p + 8, masked_crc32c(p, 8));
  if (!payload.empty()) std::memcpy(p + kRecordHeaderSize, payload.data(), payload.size());
  detail::store_le32(p + kRecordHeaderSize + payload.size(),
                     masked_crc32c(payload.data(), payload.size()));
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
