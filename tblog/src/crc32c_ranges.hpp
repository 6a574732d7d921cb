// CRC-32C of a byte range from two running CRCs, without reading the range again.
//
// The reader's corruption scan needs the CRC of many overlapping candidate payloads. Computing
// each from its bytes costs O(length) per candidate, O(n^2) on a file of crafted headers; deriving
// it from the running CRC at the range's two ends costs O(log length), so the scan stays linear.
#pragma once

#include <cstdint>

namespace tblog::detail {

// Given crc32c(A) and crc32c(A followed by B), returns crc32c(B), where B is `b_length` bytes.
std::uint32_t crc32c_of_suffix(std::uint32_t crc_of_a, std::uint32_t crc_of_ab,
                               std::uint64_t b_length);

}  // namespace tblog::detail
