/// @file
/// Images for the IMAGES dashboard: an 8-bit HxWxC buffer, PNG encoding, and image grids.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>
#include "tblog/export.hpp"

namespace tblog {

/// An 8-bit image in row-major HxWxC order; C is 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA).
struct Image {
  int height = 0;
  int width = 0;
  int channels = 0;
  std::vector<std::uint8_t> pixels;
};

/// Throws InvalidArgument (naming `what`) unless the image is non-empty, has 1..4 channels and
/// exactly height*width*channels pixels.
TBLOG_API void validate_image(const Image& image, const char* what = "image");

/// Highest compression level encode_png takes (libdeflate's scale: 0 stores, 1 is fastest, 12 is
/// smallest).
inline constexpr int kMaxPngCompressionLevel = 12;

/// The level the writer's images use. On 32x32 photographs libdeflate's level 1 was within 1% of
/// level 6's size at half its time (docs/benchmarks.md).
inline constexpr int kDefaultPngCompressionLevel = 1;

/// Encodes as PNG: rows Sub-filtered, deflated at `compression_level` (0..12; throws
/// InvalidArgument outside).
TBLOG_API std::string encode_png(const Image& image,
                                 int compression_level = kDefaultPngCompressionLevel);

enum class GridNormalize {
  kPerImage,  ///< each tile stretched to its own min..max (shows every filter's structure)
  kGlobal,    ///< one min..max over all tiles (keeps their relative magnitudes comparable)
  kNone,      ///< values are taken as already in 0..1
};

struct GridOptions {
  int columns = 0;  ///< 0: a near-square layout
  int padding = 2;  ///< pixels between tiles and around the border
  int scale = 1;    ///< nearest-neighbour upscaling of each tile (e.g. 8 makes 5x5 filters 40x40)
  std::uint8_t pad_value = 0;
  GridNormalize normalize = GridNormalize::kPerImage;
  /// When set, the grid is RGB and padding takes this colour, which no gray tile can show, so a
  /// separator is never mistaken for a value (white gaps look like the largest weights).
  std::optional<std::array<std::uint8_t, 3>> separator_color;
  /// Numbers each tile (0, 1, ...) in a strip above it, in white on the padding colour.
  bool label_tiles = false;
};

/// Tiles `count` float images stored as NxCxHxW (PyTorch's layout, e.g. conv filters) into one
/// image. C must be 1 or 3. Throws InvalidArgument on a bad shape.
TBLOG_API Image make_image_grid(const float* data, int count, int channels, int height, int width,
                                const GridOptions& options = {});

}  // namespace tblog
