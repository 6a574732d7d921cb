/// @file
/// CRC-32C (Castagnoli) and TensorFlow's masked variant, as used by TFRecord framing.
/// The SSE4.2 instruction is used when the CPU has it (checked once at run time); a
/// table-driven portable implementation serves everywhere else and is always available.
#pragma once

#include <cstddef>
#include <cstdint>
#include "tblog/export.hpp"

namespace tblog {

/// CRC-32C of `size` bytes, continuing from a previous crc (0 to start).
TBLOG_API std::uint32_t crc32c_extend(std::uint32_t crc, const void* data, std::size_t size);
inline std::uint32_t crc32c(const void* data, std::size_t size) {
  return crc32c_extend(0, data, size);
}

/// TFRecord mask: rotate right by 15 bits, then add 0xA282EAD8 (mod 2^32).
constexpr std::uint32_t kCrcMaskDelta = 0xA282EAD8u;
constexpr std::uint32_t mask_crc(std::uint32_t crc) {
  return ((crc >> 15) | (crc << 17)) + kCrcMaskDelta;
}
constexpr std::uint32_t unmask_crc(std::uint32_t masked) {
  const std::uint32_t rot = masked - kCrcMaskDelta;
  return (rot >> 17) | (rot << 15);
}
inline std::uint32_t masked_crc32c(const void* data, std::size_t size) {
  return mask_crc(crc32c(data, size));
}

}  // namespace tblog
