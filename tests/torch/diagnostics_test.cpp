// tblog/torch/diagnostics.hpp: confusion counts, the most confident mistakes and their pictures.
#include "tblog/torch/diagnostics.hpp"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace tblog {
namespace {

TEST(Diagnostics, ConfusionCountsAndMostWrong) {
  const auto labels = torch::tensor({0, 0, 1, 2, 2, 2}, torch::kInt64);
  const auto probabilities = torch::tensor({{0.9f, 0.1f, 0.0f},    // right
                                            {0.2f, 0.7f, 0.1f},    // 0 -> 1 at 0.7
                                            {0.1f, 0.8f, 0.1f},    // right
                                            {0.05f, 0.05f, 0.9f},  // right
                                            {0.95f, 0.0f, 0.05f},  // 2 -> 0 at 0.95
                                            {0.3f, 0.6f, 0.1f}});  // 2 -> 1 at 0.6
  const auto counts = confusion_counts(probabilities.argmax(1), labels, 3);
  EXPECT_TRUE(
      torch::equal(counts, torch::tensor({{1, 1, 0}, {0, 1, 0}, {1, 1, 1}}, torch::kInt64)));
  const auto wrong = most_wrong(probabilities, labels, 2);
  ASSERT_EQ(wrong.size(), 2u);
  EXPECT_EQ(wrong[0].index, 4);
  EXPECT_EQ(wrong[0].predicted, 0);
  EXPECT_FLOAT_EQ(static_cast<float>(wrong[0].confidence), 0.95f);
  EXPECT_EQ(wrong[1].index, 1);
  const auto image = confusion_matrix_image(counts, {"a", "bb", "ccc"});
  EXPECT_EQ(image.channels, 3);
  EXPECT_GT(image.width, 3 * 40);
  const auto grid =
      most_wrong_grid(torch::zeros({6, 1, 8, 8}, torch::kUInt8), wrong, {"a", "bb", "ccc"});
  EXPECT_GT(grid.width, 0);
}

}  // namespace
}  // namespace tblog
