#include "tblog/crc32c.hpp"
#include "crc32c_internal.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace tblog {
namespace {

using Fn = std::uint32_t (*)(std::uint32_t, const void*, std::size_t);

std::vector<Fn> implementations() {
  std::vector<Fn> fns{&crc32c_extend_portable, &crc32c_extend};
  if (crc32c_hardware_available()) fns.push_back(&crc32c_extend_hardware);
  return fns;
}

TEST(Crc32c, KnownVectorsForEveryImplementation) {
  const std::string digits = "123456789";
  const std::string zeros(32, '\0');
  const std::string ones(32, '\xff');
  for (Fn fn : implementations()) {
    EXPECT_EQ(fn(0, digits.data(), digits.size()), 0xE3069283u);
    EXPECT_EQ(fn(0, zeros.data(), zeros.size()), 0x8A9136AAu);  // RFC 3720 B.4
    EXPECT_EQ(fn(0, ones.data(), ones.size()), 0x62A8AB43u);    // RFC 3720 B.4
    EXPECT_EQ(fn(0, "", 0), 0u);
  }
}

TEST(Crc32c, Rfc3720IncrementingAndDecrementingBytes) {
  std::string inc(32, '\0'), dec(32, '\0');
  for (int i = 0; i < 32; ++i) {
    inc[i] = static_cast<char>(i);
    dec[i] = static_cast<char>(31 - i);
  }
  for (Fn fn : implementations()) {
    EXPECT_EQ(fn(0, inc.data(), inc.size()), 0x46DD794Eu);
    EXPECT_EQ(fn(0, dec.data(), dec.size()), 0x113FDB5Cu);
  }
}

TEST(Crc32c, ImplementationsAgreeOnRandomDataAtEveryLengthAndAlignment) {
  std::mt19937 rng(7);
  std::string data(4096 + 16, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  for (std::size_t offset = 0; offset < 8; ++offset) {
    for (std::size_t len : {0u, 1u, 7u, 8u, 9u, 63u, 64u, 65u, 1000u, 4096u}) {
      const auto expected = crc32c_extend_portable(0, data.data() + offset, len);
      for (Fn fn : implementations()) EXPECT_EQ(fn(0, data.data() + offset, len), expected);
    }
  }
}

TEST(Crc32c, ExtendEqualsOneShot) {
  const std::string text = "The quick brown fox jumps over the lazy dog";
  for (std::size_t split = 0; split <= text.size(); ++split) {
    const auto first = crc32c(text.data(), split);
    EXPECT_EQ(crc32c_extend(first, text.data() + split, text.size() - split),
              crc32c(text.data(), text.size()));
  }
}

TEST(Crc32c, MaskMatchesTensorFlowVectors) {
  // From tensorboard/data/server/masked_crc.rs tests and our own recomputation.
  const unsigned char length24[8] = {0x18, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(masked_crc32c(length24, 8), 0x224B7FA3u);
  const std::string payload = std::string("\x1a\x11", 2) + "CRC test, one two";
  EXPECT_EQ(masked_crc32c(payload.data(), payload.size()), 0x5794D08Au);
  for (std::uint32_t crc : {0u, 1u, 0x8A9136AAu, 0xFFFFFFFFu})
    EXPECT_EQ(unmask_crc(mask_crc(crc)), crc);
}

}  // namespace
}  // namespace tblog
