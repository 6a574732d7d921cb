// Animated GIFs through giflib (Debian's libgif, linked privately): TensorBoard's images plugin
// serves whatever image bytes it stores and browsers animate GIFs, so this is how video reaches
// the IMAGES dashboard without a video codec.
#include <gif_lib.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "tblog/error.hpp"
#include "tblog/video.hpp"

namespace tblog {
namespace {

int append_to_string(GifFileType* gif, const GifByteType* bytes, int n) {
  static_cast<std::string*>(gif->UserData)->append(reinterpret_cast<const char*>(bytes), n);
  return n;
}

struct MapDeleter {
  void operator()(ColorMapObject* map) const { GifFreeMapObject(map); }
};
using ColorMap = std::unique_ptr<ColorMapObject, MapDeleter>;

// One frame as palette indices and its palette: gray frames keep all 256 levels; colour frames
// with at most 256 distinct colours (plots, diagrams, most visualizations) keep them exactly; only
// richer frames are reduced by giflib's median cut (GifQuantizeBuffer, which also drops each
// channel to 5 bits, so it is the last resort).
struct IndexedFrame {
  std::vector<GifByteType> indices;
  ColorMap palette;
};

bool index_exactly(const Image& frame, IndexedFrame& out, GifColorType (&colors)[256]) {
  std::unordered_map<std::uint32_t, GifByteType> index_of;
  const auto pixels = out.indices.size();
  for (std::size_t i = 0; i < pixels; ++i) {
    const std::uint8_t* p = frame.pixels.data() + i * frame.channels;
    const std::uint32_t rgb = (std::uint32_t(p[0]) << 16) | (std::uint32_t(p[1]) << 8) | p[2];
    auto [it, added] = index_of.emplace(rgb, static_cast<GifByteType>(index_of.size()));
    if (added) {
      if (index_of.size() > 256) return false;
      colors[it->second] = {p[0], p[1], p[2]};
    }
    out.indices[i] = it->second;
  }
  return true;
}

IndexedFrame index_frame(const Image& frame) {
  const auto pixels = static_cast<std::size_t>(frame.width) * frame.height;
  IndexedFrame out{std::vector<GifByteType>(pixels), nullptr};
  GifColorType colors[256] = {};
  if (frame.channels <= 2) {  // gray, or gray + alpha (alpha dropped)
    for (int level = 0; level < 256; ++level) {
      const auto v = static_cast<GifByteType>(level);
      colors[level] = {v, v, v};
    }
    for (std::size_t i = 0; i < pixels; ++i) out.indices[i] = frame.pixels[i * frame.channels];
  } else if (!index_exactly(frame, out, colors)) {
    std::vector<GifByteType> red(pixels), green(pixels), blue(pixels);
    for (std::size_t i = 0; i < pixels; ++i) {
      red[i] = frame.pixels[i * frame.channels];
      green[i] = frame.pixels[i * frame.channels + 1];
      blue[i] = frame.pixels[i * frame.channels + 2];
    }
    int size = 256;
    if (GifQuantizeBuffer(static_cast<unsigned>(frame.width), static_cast<unsigned>(frame.height),
                          &size, red.data(), green.data(), blue.data(), out.indices.data(),
                          colors) != GIF_OK) {
      throw RuntimeError("encode_gif: colour quantization failed");
    }
  }
  out.palette.reset(GifMakeMapObject(256, colors));
  if (!out.palette) throw RuntimeError("encode_gif: out of memory");
  return out;
}

[[noreturn]] void fail(const char* step, int code) {
  throw RuntimeError(std::string("encode_gif: ") + step + " failed: " + GifErrorString(code));
}

void check_frames(const std::vector<Image>& frames, const VideoOptions& options) {
  if (frames.empty()) throw InvalidArgument("encode_gif: no frames");
  if (!(options.fps > 0 && options.fps <= 100)) {
    throw InvalidArgument("encode_gif: fps is " + std::to_string(options.fps) +
                          ", must be in (0, 100]");
  }
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const Image& f = frames[i];
    validate_image(f, ("encode_gif: frame " + std::to_string(i)).c_str());
    if (f.width > 65535 || f.height > 65535)
      throw InvalidArgument("encode_gif: frames larger than 65535 pixels do not fit a GIF");
    if (f.width != frames[0].width || f.height != frames[0].height) {
      throw InvalidArgument("encode_gif: frame " + std::to_string(i) + " is " +
                            std::to_string(f.width) + "x" + std::to_string(f.height) +
                            ", frame 0 is " + std::to_string(frames[0].width) + "x" +
                            std::to_string(frames[0].height));
    }
  }
}

}  // namespace

std::string encode_gif(const std::vector<Image>& frames, const VideoOptions& options) {
  check_frames(frames, options);
  std::string out;
  int code = 0;
  GifFileType* gif = EGifOpen(&out, append_to_string, &code);
  if (!gif) fail("EGifOpen", code);
  // Closes the file on every path; EGifCloseFile frees it even when it reports an error.
  auto close = [&gif] {
    int ignored = 0;
    if (gif) EGifCloseFile(gif, &ignored);
    gif = nullptr;
  };
  try {
    const int width = frames[0].width, height = frames[0].height;
    EGifSetGifVersion(gif, true);
    if (EGifPutScreenDesc(gif, width, height, 8, 0, nullptr) != GIF_OK)
      fail("EGifPutScreenDesc", gif->Error);
    if (options.loop) {  // the NETSCAPE2.0 block: repeat forever
      GifByteType loop_forever[3] = {1, 0, 0};
      GifByteType app_name[] = "NETSCAPE2.0";
      if (EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE) != GIF_OK ||
          EGifPutExtensionBlock(gif, 11, app_name) != GIF_OK ||
          EGifPutExtensionBlock(gif, 3, loop_forever) != GIF_OK ||
          EGifPutExtensionTrailer(gif) != GIF_OK) {
        fail("the loop extension", gif->Error);
      }
    }
    GraphicsControlBlock timing{};
    timing.DisposalMode = DISPOSE_DO_NOT;
    timing.DelayTime = std::max(1, static_cast<int>(std::lround(100.0 / options.fps)));
    timing.TransparentColor = NO_TRANSPARENT_COLOR;
    GifByteType timing_block[4];
    const auto timing_size = EGifGCBToExtension(&timing, timing_block);
    for (const Image& frame : frames) {
      IndexedFrame indexed = index_frame(frame);
      if (EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, static_cast<int>(timing_size),
                           timing_block) != GIF_OK) {
        fail("EGifPutExtension", gif->Error);
      }
      if (EGifPutImageDesc(gif, 0, 0, width, height, false, indexed.palette.get()) != GIF_OK)
        fail("EGifPutImageDesc", gif->Error);
      for (int row = 0; row < height; ++row) {
        if (EGifPutLine(gif, indexed.indices.data() + static_cast<std::size_t>(row) * width,
                        width) != GIF_OK) {
          fail("EGifPutLine", gif->Error);
        }
      }
    }
    code = 0;
    const int closed = EGifCloseFile(gif, &code);
    gif = nullptr;
    if (closed != GIF_OK) fail("EGifCloseFile", code);
  } catch (...) {
    close();
    throw;
  }
  return out;
}

}  // namespace tblog
