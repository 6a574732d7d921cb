#include <gtest/gtest.h>

#include "tblog/error.hpp"
#include "tblog/image.hpp"

namespace tblog {
namespace {

TEST(ImageGrid, LayoutPaddingAndScale) {
  // 6 filters of 1x2x2 (like LeNet's first layer on gray input, smaller).
  std::vector<float> data(6 * 4);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<float>(i % 4);
  GridOptions opt;
  opt.columns = 3;
  opt.padding = 1;
  opt.scale = 2;
  opt.pad_value = 7;
  const Image grid = make_image_grid(data.data(), 6, 1, 2, 2, opt);
  EXPECT_EQ(grid.channels, 1);
  EXPECT_EQ(grid.width, 3 * (4 + 1) + 1);
  EXPECT_EQ(grid.height, 2 * (4 + 1) + 1);
  EXPECT_EQ(grid.pixels[0], 7);  // border
  // Tile 0 starts at (1,1); per-image normalisation maps 0..3 to 0..255; scale 2 repeats pixels.
  auto at = [&](int y, int x) { return grid.pixels[y * grid.width + x]; };
  EXPECT_EQ(at(1, 1), 0);
  EXPECT_EQ(at(1, 2), 0);
  EXPECT_EQ(at(1, 3), 85);   // value 1 of 0..3
  EXPECT_EQ(at(3, 4), 255);  // value 3
  EXPECT_EQ(at(1, 5), 7);    // padding column between tiles
}

TEST(ImageGrid, GlobalNormalisationKeepsRelativeMagnitudes) {
  std::vector<float> data = {0.f, 0.f, 0.f, 0.f, 10.f, 10.f, 10.f, 10.f};
  GridOptions opt;
  opt.normalize = GridNormalize::kGlobal;
  opt.padding = 0;
  opt.columns = 2;
  const Image grid = make_image_grid(data.data(), 2, 1, 2, 2, opt);
  EXPECT_EQ(grid.pixels[0], 0);
  EXPECT_EQ(grid.pixels[2], 255);
  opt.normalize = GridNormalize::kPerImage;  // constant tiles map to mid-gray
  const Image per = make_image_grid(data.data(), 2, 1, 2, 2, opt);
  EXPECT_EQ(per.pixels[0], 128);
}

TEST(ImageGrid, ColourFiltersKeepChannelsInterleaved) {
  // One 3x1x1 filter: R=1, G=0, B=0.5 with global normalisation -> (255, 0, 128).
  std::vector<float> data = {1.f, 0.f, 0.5f};
  GridOptions opt;
  opt.padding = 0;
  opt.normalize = GridNormalize::kGlobal;
  const Image grid = make_image_grid(data.data(), 1, 3, 1, 1, opt);
  ASSERT_EQ(grid.pixels.size(), 3u);
  EXPECT_EQ(grid.pixels[0], 255);
  EXPECT_EQ(grid.pixels[1], 0);
  EXPECT_EQ(grid.pixels[2], 128);
}

TEST(ImageGrid, BadShapesThrow) {
  float x = 0;
  EXPECT_THROW(make_image_grid(&x, 0, 1, 1, 1), InvalidArgument);
  EXPECT_THROW(make_image_grid(&x, 1, 2, 1, 1), InvalidArgument);
  EXPECT_THROW(make_image_grid(&x, 1, 1, 0, 1), InvalidArgument);
}

// A coloured separator no gray tile can show, and each tile's number in a strip above it.
TEST(ImageGrid, ColouredSeparatorsAndTileNumbers) {
  std::vector<float> tiles(12 * 2 * 2);
  for (std::size_t i = 0; i < tiles.size(); ++i) tiles[i] = static_cast<float>(i % 4);
  GridOptions opt;
  opt.columns = 12;
  opt.scale = 4;
  opt.padding = 2;
  opt.separator_color = {{40, 70, 130}};
  opt.label_tiles = true;
  const Image g = make_image_grid(tiles.data(), 12, 1, 2, 2, opt);
  ASSERT_EQ(g.channels, 3);
  EXPECT_EQ(g.width, 12 * (8 + 2) + 2);
  EXPECT_EQ(g.height, 14 + 8 + 2 + 2);  // label strip, tile, padding above and below
  auto px = [&](int y, int x, int c) { return g.pixels[(std::size_t(y) * g.width + x) * 3 + c]; };
  EXPECT_EQ(px(0, 0, 0), 40);  // separator
  EXPECT_EQ(px(0, 0, 2), 130);
  // Tile pixels are gray (r == g == b), so never the separator colour.
  const int tile_y = 2 + 14;
  for (int x = 2; x < 10; ++x) EXPECT_EQ(px(tile_y, x, 0), px(tile_y, x, 2));
  // Tile 11's label "11" puts white pixels in its strip; its tile's strip holds only them.
  int white = 0;
  const int x0 = 2 + 11 * 10;
  for (int y = 2; y < tile_y; ++y)
    for (int x = x0; x < x0 + 8; ++x) white += px(y, x, 0) == 255 && px(y, x, 2) == 255;
  EXPECT_GT(white, 10);
}

}  // namespace
}  // namespace tblog
