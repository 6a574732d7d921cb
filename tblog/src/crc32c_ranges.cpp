// CRC arithmetic in GF(2)[x] modulo the Castagnoli polynomial, bit-reflected as CRC-32C is.
//
// For the standard CRC (initial value and final xor both ~0), appending B to A gives
//   crc(A B) = crc(A) * x^(8 |B|)  xor  crc(B)      (products mod the polynomial)
// so crc(B) = crc(A B) xor crc(A) * x^(8 |B|).
#include "crc32c_ranges.hpp"

#include <array>

namespace tblog::detail {
namespace {

constexpr std::uint32_t kReflectedPolynomial = 0x82F63B78u;
constexpr std::uint32_t kOne = 0x80000000u;  // the polynomial "1" in reflected order

// a * b mod P, both reflected (bit 31 holds x^0).
std::uint32_t multiply(std::uint32_t a, std::uint32_t b) {
  std::uint32_t product = 0;
  for (int bit = 31; bit >= 0 && a != 0; --bit) {
    if (a & kOne) product ^= b;
    a <<= 1;
    b = (b & 1) ? (b >> 1) ^ kReflectedPolynomial : b >> 1;  // b *= x
  }
  return product;
}

// x^(2^k) mod P for k = 0..63: repeated squaring of x.
std::array<std::uint32_t, 64> make_power_table() {
  std::array<std::uint32_t, 64> t{};
  t[0] = kOne >> 1;  // x^1
  for (std::size_t k = 1; k < t.size(); ++k) t[k] = multiply(t[k - 1], t[k - 1]);
  return t;
}

// x^(8 n) mod P.
std::uint32_t x_to_the_bits_of(std::uint64_t n_bytes) {
  static const std::array<std::uint32_t, 64> powers = make_power_table();
  std::uint32_t result = kOne;
  for (std::size_t k = 3; n_bytes != 0 && k < powers.size(); ++k, n_bytes >>= 1) {
    if (n_bytes & 1) result = multiply(result, powers[k]);
  }
  return result;
}

}  // namespace

std::uint32_t crc32c_of_suffix(std::uint32_t crc_of_a, std::uint32_t crc_of_ab,
                               std::uint64_t b_length) {
  return crc_of_ab ^ multiply(crc_of_a, x_to_the_bits_of(b_length));
}

}  // namespace tblog::detail
