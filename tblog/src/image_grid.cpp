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

// 3x5 pixel digits, one row of three bits per line (MSB left): the tile numbers.
constexpr std::uint8_t kDigitRows[10][5] = {
    {7, 5, 5, 5, 7}, {2, 6, 2, 2, 7}, {7, 1, 7, 4, 7}, {7, 1, 7, 1, 7}, {5, 5, 7, 1, 1},
    {7, 4, 7, 1, 7}, {7, 4, 7, 5, 7}, {7, 1, 1, 1, 1}, {7, 5, 7, 5, 7}, {7, 5, 7, 1, 7}};
constexpr int kGlyphScale = 2;                    // each font pixel is 2x2 image pixels
constexpr int kGlyphWidth = 3 * kGlyphScale + 2;  // with a 2-pixel gap
constexpr int kLabelHeight = 5 * kGlyphScale + 4;

// Writes `number` in white with its top-left corner at (x0, y0), clipped to `max_x`.
void draw_number(Image& image, int number, int x0, int y0, int max_x) {
  const std::string digits = std::to_string(number);
  for (std::size_t d = 0; d < digits.size(); ++d) {
    const auto& rows = kDigitRows[digits[d] - '0'];
    for (int row = 0; row < 5 * kGlyphScale; ++row) {
      for (int col = 0; col < 3 * kGlyphScale; ++col) {
        const int x = x0 + static_cast<int>(d) * kGlyphWidth + col;
        if (x >= max_x || !(rows[row / kGlyphScale] & (4 >> (col / kGlyphScale)))) continue;
        std::uint8_t* px =
            &image.pixels[(std::size_t(y0 + row) * image.width + x) * image.channels];
        for (int c = 0; c < image.channels; ++c) px[c] = 255;
      }
    }
  }
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
  const int label = options.label_tiles ? kLabelHeight : 0;  // strip above each tile

  Image grid;
  grid.channels = options.separator_color ? 3 : channels;
  grid.height = rows * (label + tile_h + pad) + pad;
  grid.width = columns * (tile_w + pad) + pad;
  grid.pixels.assign(std::size_t(grid.height) * grid.width * grid.channels, options.pad_value);
  if (options.separator_color) {
    for (std::size_t p = 0; p < grid.pixels.size(); p += 3)
      std::copy(options.separator_color->begin(), options.separator_color->end(), &grid.pixels[p]);
  }

  const std::size_t plane = std::size_t(height) * width;
  const std::size_t per_image = plane * channels;
  const Range global = value_range(data, per_image * count);
  for (int i = 0; i < count; ++i) {
    const float* img = data + per_image * i;
    Range r{0.f, 1.f};
    if (options.normalize == GridNormalize::kGlobal) r = global;
    if (options.normalize == GridNormalize::kPerImage) r = value_range(img, per_image);
    const int y0 = pad + (i / columns) * (label + tile_h + pad) + label;
    const int x0 = pad + (i % columns) * (tile_w + pad);
    if (label) draw_number(grid, i, x0, y0 - label + 2, x0 + tile_w);
    for (int y = 0; y < tile_h; ++y) {
      for (int x = 0; x < tile_w; ++x) {
        const std::size_t src = std::size_t(y / options.scale) * width + x / options.scale;
        std::uint8_t* dst =
            &grid.pixels[(std::size_t(y0 + y) * grid.width + (x0 + x)) * grid.channels];
        for (int c = 0; c < grid.channels; ++c)
          dst[c] = to_byte(img[(channels == 1 ? 0 : c) * plane + src], r);
      }
    }
  }
  return grid;
}

}  // namespace tblog
