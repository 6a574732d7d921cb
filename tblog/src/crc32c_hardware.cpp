// CRC-32C with the SSE4.2 crc32 instruction, and the run-time choice between implementations.
#include <cstring>

#include "crc32c_internal.hpp"
#include "tblog/crc32c.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <nmmintrin.h>
#define TBLOG_HAVE_SSE42_PATH 1
#endif

namespace tblog {

#ifdef TBLOG_HAVE_SSE42_PATH

__attribute__((target("sse4.2"))) std::uint32_t crc32c_extend_hardware(std::uint32_t crc,
                                                                       const void* data,
                                                                       std::size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  std::uint64_t c = ~crc;
  while (size >= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    c = _mm_crc32_u64(c, word);
    p += 8;
    size -= 8;
  }
  auto c32 = static_cast<std::uint32_t>(c);
  while (size--) c32 = _mm_crc32_u8(c32, *p++);
  return ~c32;
}

bool crc32c_hardware_available() {
  static const bool available = __builtin_cpu_supports("sse4.2");
  return available;
}

#else

std::uint32_t crc32c_extend_hardware(std::uint32_t crc, const void* data, std::size_t size) {
  return crc32c_extend_portable(crc, data, size);
}
bool crc32c_hardware_available() {
  return false;
}

#endif

std::uint32_t crc32c_extend(std::uint32_t crc, const void* data, std::size_t size) {
  // Resolved once; the branch is perfectly predicted afterwards.
  static const bool use_hardware = crc32c_hardware_available();
  return use_hardware ? crc32c_extend_hardware(crc, data, size)
                      : crc32c_extend_portable(crc, data, size);
}

}  // namespace tblog
