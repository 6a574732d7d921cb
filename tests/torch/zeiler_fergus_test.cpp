// The visualizations are right, not only running: unpooling follows the switches, a deconvnet
// recovers a known filter's pattern, occluding what drives a classifier drops its probability,
// and the diagnostics count what they should.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "tblog/torch/deconvnet.hpp"
#include "tblog/torch/occlusion.hpp"

namespace tblog {
namespace {

// A conv layer of one 1x1 filter of weight 1: the identity (no bias).
ConvLayer identity_layer(const std::string& name) {
  return {name, torch::ones({1, 1, 1, 1}), torch::zeros({1}), 0};
}

TEST(Deconvnet, UnpoolingPutsTheValueWhereTheSwitchSays) {
  const ConvStack stack{{identity_layer("a"), identity_layer("b")}, /*relu=*/true};
  // 4x4 input whose 2x2 blocks have their maxima at known places.
  auto x = torch::tensor({1.f, 2.f, 0.f, 0.f,  //
                          9.f, 3.f, 0.f, 7.f,  //
                          0.f, 0.f, 4.f, 0.f,  //
                          6.f, 0.f, 0.f, 5.f})
               .view({1, 1, 4, 4});
  const auto record = forward_with_switches(stack, x);
  ASSERT_EQ(record.activations[1].sizes(), (std::vector<std::int64_t>{1, 1, 2, 2}));
  // Layer "b" at (0, 0) holds 9 (the max of the top-left block, at row 1, column 0).
  const auto p = project(stack, record, 1, {{0, 0, 0, 0, 9.f}})[0][0];
  EXPECT_EQ(p.nonzero().size(0), 1);
  EXPECT_FLOAT_EQ(p[1][0].item<float>(), 9.f);
  // Layer "b" at (1, 1) holds 5 (bottom-right block's max, at row 3, column 3).
  const auto q = project(stack, record, 1, {{0, 0, 1, 1, 5.f}})[0][0];
  EXPECT_EQ(q.nonzero().size(0), 1);
  EXPECT_FLOAT_EQ(q[3][3].item<float>(), 5.f);
}

TEST(Deconvnet, RecoversTheKnownFilterOfTheStrongestActivation) {
  // One 5x5 filter: a diagonal stroke. The image holds that stroke once, at rows/cols 6..10.
  auto filter = torch::zeros({1, 1, 5, 5});
  for (int i = 0; i < 5; ++i) filter[0][0][i][i] = 1.f;
  const ConvStack stack{{{"conv1", filter, torch::zeros({1}), 0}}, /*relu=*/true};
  auto image = torch::zeros({1, 1, 20, 20});
  for (int i = 0; i < 5; ++i) image[0][0][6 + i][6 + i] = 1.f;
  const auto top = top_activations(stack, image, 0, 1);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0][0].y, 6);
  EXPECT_EQ(top[0][0].x, 6);
  const auto record = forward_with_switches(stack, image);
  const auto projection = project(stack, record, 0, top[0])[0][0];
  const Window w = receptive_field(stack, 0, top[0][0].y, top[0][0].x);
  EXPECT_EQ(w.y0, 6);
  EXPECT_EQ(w.size, 5);
  const auto patch = projection.narrow(0, w.y0, 5).narrow(1, w.x0, 5);
  // The projection of one activation through the transposed filter is that filter, scaled.
  EXPECT_TRUE(torch::allclose(patch / patch.max(), filter[0][0]));
  EXPECT_EQ(projection.abs().sum().item<float>(),
            patch.abs().sum().item<float>());  // nothing outside
}

// LeNet5's conv layers: 5x5 filters, 6 then 16 maps; conv1 pads 2 on 28x28 input.
ConvStack lenet5_stack(int channels, int conv1_padding) {
  return {{{"conv1", torch::randn({6, channels, 5, 5}), torch::zeros({6}), conv1_padding},
           {"conv2", torch::randn({16, 6, 5, 5}), torch::zeros({16}), 0}},
          /*relu=*/false};
}

TEST(Deconvnet, ReceptiveFieldsOfLeNet5) {
  const auto stack = lenet5_stack(3, 0);  // 3 x 32 x 32
  const Window conv1 = receptive_field(stack, 0, 3, 4);
  EXPECT_EQ((std::vector<std::int64_t>{conv1.y0, conv1.x0, conv1.size}),
            (std::vector<std::int64_t>{3, 4, 5}));
  const Window conv2 = receptive_field(stack, 1, 2, 1);  // pool1 rows 2..6 -> conv1 rows 4..13
  EXPECT_EQ((std::vector<std::int64_t>{conv2.y0, conv2.x0, conv2.size}),
            (std::vector<std::int64_t>{4, 2, 14}));
  const Window padded = receptive_field(lenet5_stack(1, 2), 0, 0, 0);  // 1 x 28 x 28
  EXPECT_EQ(padded.y0, -2);
  // The figure renders: rows of 9 projections, a gap and 9 patches.
  const auto images = torch::randint(0, 256, {40, 1, 28, 28}, torch::kUInt8);
  const auto figure =
      top_activation_figure(lenet5_stack(1, 2), images, images.to(torch::kFloat32) / 255.0, 1, 9);
  EXPECT_GT(figure.width, 19 * 14);
  EXPECT_GT(figure.height, 16 * 14);
}

// P(class 0) rises with the brightness of the top-left 8x8 corner; nothing else matters.
torch::Tensor corner_classifier(const torch::Tensor& x) {
  const auto corner = x.narrow(2, 0, 8).narrow(3, 0, 8).sum({1, 2, 3});
  return torch::stack({corner * 0.1, torch::full_like(corner, 0.5)}, 1);
}

TEST(Occlusion, CoveringWhatDrivesTheClassifierDropsItsProbability) {
  const Classify model = corner_classifier;
  const auto image = torch::ones({1, 24, 24});
  OcclusionOptions options;
  options.size = 8;
  options.stride = 4;
  const OcclusionMaps maps = occlusion_maps(model, ConvStack{}, image, 0, options);
  ASSERT_EQ(maps.probability.sizes(), (std::vector<std::int64_t>{5, 5}));
  const float intact = torch::softmax(model(image.unsqueeze(0)), 1)[0][0].item<float>();
  EXPECT_LT(maps.probability[0][0].item<float>(), 0.6f);            // corner covered
  EXPECT_NEAR(maps.probability[4][4].item<float>(), intact, 1e-6);  // far away: unchanged
  EXPECT_EQ(maps.probability.argmin().item<std::int64_t>(), 0);
  EXPECT_EQ(maps.label[0][0].item<std::int64_t>(), 1);  // covered: class 1 wins
  EXPECT_EQ(maps.label[4][4].item<std::int64_t>(), 0);
  EXPECT_FALSE(maps.activation.defined());  // no conv layers
  // A square of the image's own value changes nothing: the fill is what covers.
  options.fill = torch::ones({1});
  const OcclusionMaps same = occlusion_maps(model, ConvStack{}, image, 0, options);
  EXPECT_TRUE(torch::allclose(same.probability, torch::full({5, 5}, intact)));
}

}  // namespace
}  // namespace tblog
