// Minimal PNG writer: one IHDR, one zlib-compressed IDAT (filter "none"), IEND.
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "tblog/error.hpp"
#include "tblog/image.hpp"

namespace tblog {
namespace {

void put_be32(std::string& out, std::uint32_t v) {
  const char bytes[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
  out.append(bytes, 4);
}

void put_chunk(std::string& out, const char type[4], const std::string& data) {
  put_be32(out, static_cast<std::uint32_t>(data.size()));
  const std::size_t type_at = out.size();
  out.append(type, 4);
  out += data;
  const auto* crc_start = reinterpret_cast<const Bytef*>(out.data() + type_at);
  put_be32(out,
           static_cast<std::uint32_t>(crc32(0L, crc_start, static_cast<uInt>(4 + data.size()))));
}

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

// Deflate streams kept per thread, level and window size, reset between images. zlib's
// compress2 allocates and clears about 270 KB of state per call, and even a reset clears a
// 64 KB hash table: both cost more than compressing a 32x32 image. A window no larger than the
// image (and a hash table to match) compresses it the same and resets in a fraction of that
// (measured with bench/peer_cpp.sh and callgrind: 31 us -> see docs/benchmarks.md).
class Deflater {
 public:
  Deflater(int level, int window_bits) {
    const int mem_level = std::max(1, window_bits - 7);  // hash entries ~ window size / 2
    if (deflateInit2(&stream_, level, Z_DEFLATED, window_bits, mem_level, Z_DEFAULT_STRATEGY) !=
        Z_OK)
      throw Error("PNG encoding: zlib init failed");
  }
  ~Deflater() { deflateEnd(&stream_); }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;

  std::string compress(const std::string& raw) {
    if (deflateReset(&stream_) != Z_OK) throw Error("PNG encoding: zlib reset failed");
    std::string out(deflateBound(&stream_, static_cast<uLong>(raw.size())), '\0');
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
    stream_.avail_in = static_cast<uInt>(raw.size());
    stream_.next_out = reinterpret_cast<Bytef*>(out.data());
    stream_.avail_out = static_cast<uInt>(out.size());
    if (deflate(&stream_, Z_FINISH) != Z_STREAM_END)
      throw Error("PNG encoding: zlib compression failed");
    out.resize(out.size() - stream_.avail_out);
    return out;
  }

 private:
  z_stream stream_{};
};

std::string zlib_compress(const std::string& raw, int level) {
  if (level < 0 || level > 9) throw InvalidArgument("PNG encoding: compression level not in 0..9");
  int window_bits = 9;  // zlib's range is 9..15: a 512 B .. 32 KB window
  while (window_bits < 15 && (std::size_t{1} << window_bits) < raw.size()) ++window_bits;
  thread_local std::unique_ptr<Deflater> streams[10][16];
  auto& stream = streams[level][window_bits];
  if (!stream) stream = std::make_unique<Deflater>(level, window_bits);
  return stream->compress(raw);
}

}  // namespace

std::string encode_png(const Image& image, int compression_level) {
  validate_image(image);
  const std::size_t row_bytes = std::size_t(image.width) * image.channels;
  std::string raw;
  raw.resize((row_bytes + 1) * image.height);
  for (int y = 0; y < image.height; ++y) {
    char* row = raw.data() + y * (row_bytes + 1);
    row[0] = 0;  // filter type: none
    std::memcpy(row + 1, image.pixels.data() + y * row_bytes, row_bytes);
  }
  const std::string idat = zlib_compress(raw, compression_level);

  std::string ihdr;
  put_be32(ihdr, static_cast<std::uint32_t>(image.width));
  put_be32(ihdr, static_cast<std::uint32_t>(image.height));
  ihdr += char(8);  // bit depth
  ihdr += char(png_color_type(image.channels));
  ihdr.append(3, '\0');  // compression, filter method, no interlace

  std::string png("\x89PNG\r\n\x1a\n", 8);
  put_chunk(png, "IHDR", ihdr);
  put_chunk(png, "IDAT", idat);
  put_chunk(png, "IEND", std::string());
  return png;
}

}  // namespace tblog
