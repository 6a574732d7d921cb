#include "crc32c_ranges.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "tblog/crc32c.hpp"

namespace tblog::detail {
namespace {

TEST(Crc32cRanges, SuffixCrcFromRunningCrcsEqualsTheDirectCrc) {
  std::mt19937 rng(7);
  std::string bytes(100000, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  for (int trial = 0; trial < 2000; ++trial) {
    const std::size_t split = rng() % bytes.size();
    const std::size_t end = split + rng() % (bytes.size() - split + 1);
    const std::uint32_t a = crc32c(bytes.data(), split);
    const std::uint32_t ab = crc32c(bytes.data(), end);
    EXPECT_EQ(crc32c_of_suffix(a, ab, end - split), crc32c(bytes.data() + split, end - split))
        << split << ".." << end;
  }
}

TEST(Crc32cRanges, EmptySuffixAndEmptyPrefix) {
  const std::string s = "123456789";
  EXPECT_EQ(crc32c_of_suffix(crc32c(s.data(), 9), crc32c(s.data(), 9), 0), 0u);
  EXPECT_EQ(crc32c_of_suffix(0, crc32c(s.data(), 9), 9), 0xE3069283u);
}

}  // namespace
}  // namespace tblog::detail
