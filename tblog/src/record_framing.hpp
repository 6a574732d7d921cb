// Framing a record whose payload is already in place, so encoders can write payloads straight
// into the output buffer (the writer's scalar path) instead of building and copying them.
// Internal to tblog.
#pragma once

#include <cstddef>

namespace tblog::detail {

// `record` points at kRecordOverhead + payload_size bytes whose payload (at kRecordHeaderSize)
// is filled in: writes the length, its masked CRC and the payload's masked CRC around it.
void frame_record_in_place(char* record, std::size_t payload_size);

}  // namespace tblog::detail
