// Minimal PNG writer: one IHDR, one IDAT (rows Sub-filtered, deflated by libdeflate), IEND.
#include <libdeflate.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "tblog/error.hpp"
#include "tblog/image.hpp"

namespace tblog {
namespace {

int png_color_type(int channels) {
  switch (channels) {
    case 1:
      return 0;  // grayscale
    case 2:
      return 4;  // grayscale + alpha
    case 3:
      return 2;  // RGB
    default:
      return 6;  // RGBA
  }
}

}  // namespace

void validate_image(const Image& image, const char* what) {
  const std::string name(what);
  if (image.height <= 0 || image.width <= 0) {
    throw InvalidArgument(name + ": zero-sized image (" + std::to_string(image.height) + "x" +
                          std::to_string(image.width) + ")");
  }
  if (image.channels < 1 || image.channels > 4) {
    throw InvalidArgument(name + ": " + std::to_string(image.channels) +
                          " channels; expected 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA)");
  }
  const std::size_t expected =
      std::size_t(image.height) * std::size_t(image.width) * std::size_t(image.channels);
  if (image.pixels.size() != expected) {
    throw InvalidArgument(name + ": " + std::to_string(image.pixels.size()) +
                          " pixel bytes do not match shape " + std::to_string(image.height) + "x" +
                          std::to_string(image.width) + "x" + std::to_string(image.channels) +
                          " (" + std::to_string(expected) + " bytes)");
  }
}

namespace {

// libdeflate rather than zlib: one-shot compression of a whole buffer is all PNG needs, and for
// the small images TensorBoard shows it is several times faster than zlib's deflate (zlib also
// clears its hash table on every reset). Measured on 32x32 RGB photo-like images: zlib level 6,
// unfiltered, 80 us; libdeflate level 1, Sub-filtered, 12-14 us and 25% smaller. One compressor
// per thread and level, made on first use.
libdeflate_compressor* compressor_for(int level) {
  struct Owned {
    libdeflate_compressor* c = nullptr;
    ~Owned() { libdeflate_free_compressor(c); }
  };
  thread_local Owned compressors[kMaxPngCompressionLevel + 1];
  Owned& slot = compressors[level];
  if (!slot.c) {
    slot.c = libdeflate_alloc_compressor(level);
    if (!slot.c) throw RuntimeError("PNG encoding: out of memory for the compressor");
  }
  return slot.c;
}

// Rows filtered with PNG's "Sub" filter (each byte minus the same channel of the pixel to its
// left), chosen by measurement: on photo-like 32x32 images it shrinks the stream by 25% (3.1 ->
// 2.3 KB) at no measurable cost, where picking the best of the five filters per row, as libpng
// does, made it only 7% smaller than Sub for three times the encoding time.
void sub_filter_rows(const Image& image, std::uint8_t* out) {
  const std::size_t bpp = static_cast<std::size_t>(image.channels);
  const std::size_t row_bytes = std::size_t(image.width) * bpp;
  const std::uint8_t* in = image.pixels.data();
  for (int y = 0; y < image.height; ++y, in += row_bytes) {
    *out++ = 1;  // filter type: Sub
    for (std::size_t i = 0; i < bpp; ++i) out[i] = in[i];
    for (std::size_t i = bpp; i < row_bytes; ++i)
      out[i] = static_cast<std::uint8_t>(in[i] - in[i - bpp]);
    out += row_bytes;
  }
}

void put_be32_at(char* at, std::uint32_t v) {
  at[0] = char(v >> 24);
  at[1] = char(v >> 16);
  at[2] = char(v >> 8);
  at[3] = char(v);
}

std::uint32_t chunk_crc(const char* type_and_data, std::size_t n) {
  return libdeflate_crc32(0, type_and_data, n);
}

}  // namespace

std::string encode_png(const Image& image, int compression_level) {
  validate_image(image);
  if (compression_level < 0 || compression_level > kMaxPngCompressionLevel) {
    throw InvalidArgument("PNG encoding: compression level " + std::to_string(compression_level) +
                          " not in 0.." + std::to_string(kMaxPngCompressionLevel));
  }
  const std::size_t raw_size =
      (std::size_t(image.width) * std::size_t(image.channels) + 1) * std::size_t(image.height);
  thread_local std::vector<std::uint8_t> filtered;  // reused: no allocation per image once warm
  filtered.resize(raw_size);
  sub_filter_rows(image, filtered.data());
  libdeflate_compressor* compressor = compressor_for(compression_level);

  // Signature, IHDR chunk, IDAT header; the compressed stream goes straight into the output.
  constexpr std::size_t kSignature = 8, kIhdrChunk = 12 + 13, kIdatAt = kSignature + kIhdrChunk;
  const std::size_t bound = libdeflate_zlib_compress_bound(compressor, raw_size);
  std::string png(kIdatAt + 8 + bound + 4 + 12, '\0');
  char* p = png.data();
  std::memcpy(p, "\x89PNG\r\n\x1a\n", kSignature);
  char* ihdr = p + kSignature;
  put_be32_at(ihdr, 13);
  std::copy_n("IHDR", 4, ihdr + 4);
  put_be32_at(ihdr + 8, static_cast<std::uint32_t>(image.width));
  put_be32_at(ihdr + 12, static_cast<std::uint32_t>(image.height));
  ihdr[16] = char(8);  // bit depth
  ihdr[17] = char(png_color_type(image.channels));
  ihdr[18] = ihdr[19] = ihdr[20] = 0;  // compression, filter method, no interlace
  put_be32_at(ihdr + 21, chunk_crc(ihdr + 4, 4 + 13));

  char* idat = p + kIdatAt;
  const std::size_t compressed =
      libdeflate_zlib_compress(compressor, filtered.data(), raw_size, idat + 8, bound);
  if (compressed == 0) throw RuntimeError("PNG encoding: the compressed image exceeded its bound");
  put_be32_at(idat, static_cast<std::uint32_t>(compressed));
  std::copy_n("IDAT", 4, idat + 4);
  put_be32_at(idat + 8 + compressed, chunk_crc(idat + 4, 4 + compressed));

  char* iend = idat + 12 + compressed;
  put_be32_at(iend, 0);
  std::copy_n("IEND", 4, iend + 4);
  put_be32_at(iend + 8, chunk_crc(iend + 4, 4));
  png.resize(static_cast<std::size_t>(iend + 12 - p));
  return png;
}

}  // namespace tblog
