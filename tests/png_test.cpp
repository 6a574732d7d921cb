// PNG output decoded independently: chunk CRCs with zlib's crc32, pixels with inflate.
#include <gtest/gtest.h>
#include <zlib.h>

#include <random>

#include "tblog/error.hpp"
#include "tblog/image.hpp"

namespace tblog {
namespace {

std::uint32_t be32(const std::string& s, std::size_t at) {
  return std::uint32_t(static_cast<unsigned char>(s[at])) << 24 |
         std::uint32_t(static_cast<unsigned char>(s[at + 1])) << 16 |
         std::uint32_t(static_cast<unsigned char>(s[at + 2])) << 8 |
         std::uint32_t(static_cast<unsigned char>(s[at + 3]));
}

struct DecodedPng {
  int width = 0, height = 0, color_type = -1;
  std::string raw;  // inflated IDAT
};

DecodedPng decode(const std::string& png) {
  DecodedPng out;
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  std::string idat;
  std::size_t at = 8;
  std::vector<std::string> types;
  while (at + 12 <= png.size()) {
    const std::uint32_t len = be32(png, at);
    const std::string type = png.substr(at + 4, 4);
    const std::string data = png.substr(at + 8, len);
    const auto crc = crc32(0, reinterpret_cast<const Bytef*>(png.data() + at + 4), len + 4);
    EXPECT_EQ(crc, be32(png, at + 8 + len)) << type;
    types.push_back(type);
    if (type == "IHDR") {
      out.width = static_cast<int>(be32(data, 0));
      out.height = static_cast<int>(be32(data, 4));
      EXPECT_EQ(data[8], 8);  // bit depth
      out.color_type = data[9];
    }
    if (type == "IDAT") idat += data;
    at += 12 + len;
  }
  EXPECT_EQ(at, png.size());
  EXPECT_EQ(types.front(), "IHDR");
  EXPECT_EQ(types.back(), "IEND");
  uLongf size = 64u << 20;
  out.raw.resize(size);
  EXPECT_EQ(uncompress(reinterpret_cast<Bytef*>(out.raw.data()), &size,
                       reinterpret_cast<const Bytef*>(idat.data()), idat.size()),
            Z_OK);
  out.raw.resize(size);
  return out;
}

TEST(Png, PixelsRoundTripForEveryChannelCount) {
  std::mt19937 rng(5);
  const int expected_color_type[] = {0, 0, 4, 2, 6};
  for (int channels = 1; channels <= 4; ++channels) {
    Image image{7, 13, channels, {}};
    image.pixels.resize(7 * 13 * channels);
    for (auto& p : image.pixels) p = static_cast<std::uint8_t>(rng());
    const DecodedPng png = decode(encode_png(image));
    EXPECT_EQ(png.width, 13);
    EXPECT_EQ(png.height, 7);
    EXPECT_EQ(png.color_type, expected_color_type[channels]);
    ASSERT_EQ(png.raw.size(), 7u * (13 * channels + 1));
    for (int y = 0; y < 7; ++y) {
      const std::size_t row = y * (13 * channels + 1);
      EXPECT_EQ(png.raw[row], 0);  // filter: none
      EXPECT_EQ(png.raw.substr(row + 1, 13 * channels),
                std::string(image.pixels.begin() + y * 13 * channels,
                            image.pixels.begin() + (y + 1) * 13 * channels));
    }
  }
}

TEST(Png, BadImagesAreRejectedWithTheReason) {
  EXPECT_THROW(encode_png(Image{0, 4, 1, {}}), InvalidArgument);
  EXPECT_THROW(encode_png(Image{2, 2, 5, std::vector<std::uint8_t>(20)}), InvalidArgument);
  try {
    encode_png(Image{2, 2, 3, std::vector<std::uint8_t>(11)});
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("11 pixel bytes"), std::string::npos);
  }
}

}  // namespace
}  // namespace tblog
