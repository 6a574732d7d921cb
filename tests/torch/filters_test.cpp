// tblog/torch/filters.hpp: a grid tile per filter (per input channel when not RGB).
#include "tblog/torch/filters.hpp"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace tblog {
namespace {

TEST(FilterGrid, GrayTilesPerChannelColourTilesForRgbAndBadShapesRefused) {
  // LeNet5's conv1: 6 filters of one channel, 5x5, each tile scaled to 40 pixels.
  const Image gray = filter_grid(torch::randn({6, 1, 5, 5}));
  EXPECT_EQ(gray.channels, 3);  // RGB for the dark blue separators
  EXPECT_GE(gray.width, 3 * 40);
  EXPECT_GE(gray.height, 2 * 40);
  // 2 filters of 2 channels: 4 gray tiles; 2 RGB filters: 2 colour tiles.
  const Image four = filter_grid(torch::randn({2, 2, 5, 5}));
  const Image two = filter_grid(torch::randn({2, 3, 5, 5}));
  EXPECT_GT(four.width * four.height, two.width * two.height);
  // Separators are dark blue, not a gray level.
  EXPECT_EQ(gray.pixels[0], 40);
  EXPECT_EQ(gray.pixels[1], 70);
  EXPECT_EQ(gray.pixels[2], 130);
  try {
    filter_grid(torch::zeros({6, 5, 5}));
    ADD_FAILURE() << "a 3-d tensor was taken";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("[6, 5, 5]"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace tblog
