// PNG output decoded independently: chunk CRCs with zlib's crc32, pixels with inflate.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <vector>

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
  std::string raw;  // inflated IDAT: a filter byte, then the filtered row, for each row
};

int paeth(int a, int b, int c) {
  const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

// Undoes PNG's five row filters (the PNG specification, section 9), whichever the encoder chose.
std::vector<std::uint8_t> unfilter(const std::string& raw, int height, std::size_t row_bytes,
                                   int bpp) {
  std::vector<std::uint8_t> pixels(height * row_bytes);
  for (int y = 0; y < height; ++y) {
    const auto* in = reinterpret_cast<const std::uint8_t*>(raw.data()) + y * (row_bytes + 1);
    std::uint8_t* out = pixels.data() + y * row_bytes;
    const std::uint8_t* up = y > 0 ? out - row_bytes : nullptr;
    for (std::size_t i = 0; i < row_bytes; ++i) {
      const int a = i >= std::size_t(bpp) ? out[i - bpp] : 0, b = up ? up[i] : 0;
      const int c = up && i >= std::size_t(bpp) ? up[i - bpp] : 0;
      const int predictor[] = {0, a, b, (a + b) / 2, paeth(a, b, c)};
      EXPECT_LE(in[0], 4) << "row " << y;
      out[i] = static_cast<std::uint8_t>(in[1 + i] + predictor[std::min<int>(in[0], 4)]);
    }
  }
  return pixels;
}

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
    EXPECT_EQ(unfilter(png.raw, 7, 13 * channels, channels), image.pixels);
  }
}

TEST(Png, EveryCompressionLevelDecodesToTheSamePixels) {
  Image image{32, 32, 3, std::vector<std::uint8_t>(32 * 32 * 3)};
  for (std::size_t p = 0; p < image.pixels.size(); ++p)
    image.pixels[p] = static_cast<std::uint8_t>(p * 7 / 3 + (p % 3) * 40);
  for (int level = 0; level <= kMaxPngCompressionLevel; ++level) {
    const DecodedPng png = decode(encode_png(image, level));
    EXPECT_EQ(unfilter(png.raw, 32, 96, 3), image.pixels) << "level " << level;
  }
  EXPECT_THROW(encode_png(image, -1), InvalidArgument);
  EXPECT_THROW(encode_png(image, kMaxPngCompressionLevel + 1), InvalidArgument);
}

TEST(Png, SmoothImagesCompressWellBelowTheirPixelSize) {
  // Rings of slowly changing colour: what Sub filtering is for. Unfiltered, its rows deflate to
  // about 5.3 KB of the 12 KB of pixels; Sub-filtered to about 0.5 KB.
  Image image{64, 64, 3, std::vector<std::uint8_t>(64 * 64 * 3)};
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 64; ++x)
      for (int c = 0; c < 3; ++c)
        image.pixels[(y * 64 + x) * 3 + c] = std::uint8_t((x * x + y * y) / 8 + c * 30);
  EXPECT_LT(encode_png(image).size(), 1500u);
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
