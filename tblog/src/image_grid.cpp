// Tiling many small float images (e.g. conv filters) into one 8-bit image.
#include <algorithm>
#include <cmath>

#include "tblog/error.hpp"
#include "tblog/image.hpp"

namespace tblog {
namespace {

struct Range {
  float lo, hi;
};

Range value_range(const float* data, std::size_t n) {
  Range r{INFINITY, -INFINITY};
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(data[i])) continue;
    r.lo = std::min(r.lo, data[i]);
    r.hi = std::max(r.hi, data[i]);
  }
  if (r.lo > r.hi) r = {0.f, 1.f};
  return r;
}

std::uint8_t to_byte(float v, Range r) {
  float unit = r.hi > r.lo ? (v - r.lo) / (r.hi - r.lo) : 0.5f;
  if (!std::isfinite(unit)) unit = 0.f;
  unit = std::clamp(unit, 0.f, 1.f);
  return static_cast<std::uint8_t>(std::lround(unit * 255.f));
}

}  // namespace

Image make_image_grid(const float* data, int count, int channels, int height, int width,
                      const GridOptions& options) {
  if (count <= 0 || height <= 0 || width <= 0) {
    throw InvalidArgument("image grid: empty input (" + std::to_string(count) + " images of " +
                          std::to_string(height) + "x" + std::to_string(width) + ")");
  }
  if (channels != 1 && channels != 3) {
    throw InvalidArgument("image grid: " + std::to_string(channels) +
                          " channels per image; expected 1 or 3");
  }
  if (options.scale < 1 || options.padding < 0 || options.columns < 0) {
    throw InvalidArgument("image grid: scale must be >= 1, padding and columns >= 0");
  }
  const int columns = options.columns > 0
                          ? std::min(options.columns, count)
                          : static_cast<int>(std::ceil(std::sqrt(static_cast<double>(count))));
  const int rows = (count + columns - 1) / columns;
  const int tile_h = height * options.scale, tile_w = width * options.scale;
  const int pad = options.padding;

  Image grid;
  grid.channels = channels;
  grid.height = rows * (tile_h + pad) + pad;
  grid.width = columns * (tile_w + pad) + pad;
  grid.pixels.assign(std::size_t(grid.height) * grid.width * channels, options.pad_value);

  const std::size_t plane = std::size_t(height) * width;
  const std::size_t per_image = plane * channels;
  const Range global = value_range(data, per_image * count);
  for (int i = 0; i < count; ++i) {
    const float* img = data + per_image * i;
    Range r{0.f, 1.f};
    if (options.normalize == GridNormalize::kGlobal) r = global;
    if (options.normalize == GridNormalize::kPerImage) r = value_range(img, per_image);
    const int y0 = pad + (i / columns) * (tile_h + pad);
    const int x0 = pad + (i % columns) * (tile_w + pad);
    for (int y = 0; y < tile_h; ++y) {
      for (int x = 0; x < tile_w; ++x) {
        const std::size_t src = std::size_t(y / options.scale) * width + x / options.scale;
        std::uint8_t* dst = &grid.pixels[(std::size_t(y0 + y) * grid.width + (x0 + x)) * channels];
        for (int c = 0; c < channels; ++c) dst[c] = to_byte(img[c * plane + src], r);
      }
    }
  }
  return grid;
}

}  // namespace tblog
