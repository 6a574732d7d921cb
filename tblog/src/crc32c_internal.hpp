// The two CRC-32C implementations behind crc32c_extend, internal to tblog: the tests check each
// against known vectors and against each other.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tblog {

std::uint32_t crc32c_extend_portable(std::uint32_t crc, const void* data, std::size_t size);
// Only valid to call when crc32c_hardware_available() is true.
std::uint32_t crc32c_extend_hardware(std::uint32_t crc, const void* data, std::size_t size);
bool crc32c_hardware_available();

}  // namespace tblog
