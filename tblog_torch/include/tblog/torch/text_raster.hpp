/// @file
/// Labels drawn into 8-bit RGB images (class names on a confusion matrix, "T:CAT P:DOG 97%" under
/// a test image): a 3x5 pixel font of upper-case letters, digits and a little punctuation, so the
/// images explain themselves without any font library.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "tblog/image.hpp"
#include "tblog/torch/export.hpp"

namespace tblog {

using Rgb = std::array<std::uint8_t, 3>;

/// Pixels a text of n characters takes at `scale` (each font pixel scale x scale).
TBLOG_TORCH_API int text_width(std::string_view text, int scale);
TBLOG_TORCH_API int text_height(int scale);

/// Draws `text` (lower case is drawn as upper case; unknown characters as blanks) with its top
/// left corner at (x, y), clipped to the image. `image` must be RGB.
TBLOG_TORCH_API void draw_text(Image& image, int x, int y, std::string_view text, Rgb color,
                               int scale);

/// Fills a rectangle, clipped to the image (RGB).
TBLOG_TORCH_API void fill_rect(Image& image, int x, int y, int width, int height, Rgb color);

}  // namespace tblog
