// tblog/torch/tensors.hpp: every kind from tensors, read back and compared with the core's own
// results for the same values; shapes and dtypes the layer must refuse.
#include "tblog/torch/tensors.hpp"
#include "tblog/value_views.hpp"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "../test_util.hpp"
#include "read_back.hpp"

namespace tblog {
namespace {

using test::read_back;
using test::TempDir;

void expect_same_buckets(const Histogram& got, const Histogram& want) {
  ASSERT_EQ(got.buckets.size(), want.buckets.size());
  for (std::size_t i = 0; i < got.buckets.size(); ++i) {
    EXPECT_DOUBLE_EQ(got.buckets[i].left, want.buckets[i].left) << i;
    EXPECT_DOUBLE_EQ(got.buckets[i].right, want.buckets[i].right) << i;
    EXPECT_DOUBLE_EQ(got.buckets[i].count, want.buckets[i].count) << i;
  }
  EXPECT_DOUBLE_EQ(got.stats.min, want.stats.min);
  EXPECT_DOUBLE_EQ(got.stats.max, want.stats.max);
  EXPECT_DOUBLE_EQ(got.stats.count, want.stats.count);
  EXPECT_NEAR(got.stats.sum, want.stats.sum, 1e-9 * (1 + std::abs(want.stats.sum)));
  EXPECT_NEAR(got.stats.sum_squares, want.stats.sum_squares, 1e-9 * want.stats.sum_squares);
  EXPECT_EQ(got.stats.non_finite, want.stats.non_finite);
}

std::vector<float> floats_of(const torch::Tensor& t) {
  const auto c = t.detach().to(torch::kFloat).contiguous().reshape({-1});
  return {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()};
}

// The message of the std::invalid_argument `f` throws ("" when it throws nothing).
template <typename F>
std::string invalid_argument_of(F&& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(TensorScalars, ZeroDimAndOneElementTensorsOfAnyRealDtype) {
  TempDir dir;
  SummaryWriter writer(dir.path());
  add_scalar(writer, "loss", torch::tensor(0.25), 1);
  add_scalar(writer, "count", torch::tensor({7}, torch::kInt64), 2);
  add_scalar(writer, "flag", torch::tensor(true), 3);
  add_scalar(writer, "grad", torch::tensor(1.5, torch::requires_grad()) * 2, 4);
  add_scalar(writer, "nan", torch::tensor(std::numeric_limits<float>::quiet_NaN()), 5);
  const auto logged = read_back(writer);
  EXPECT_DOUBLE_EQ(logged.at("loss")[0].value.scalar(), 0.25);
  EXPECT_DOUBLE_EQ(logged.at("count")[0].value.scalar(), 7);
  EXPECT_DOUBLE_EQ(logged.at("flag")[0].value.scalar(), 1);
  EXPECT_DOUBLE_EQ(logged.at("grad")[0].value.scalar(), 3);
  EXPECT_TRUE(std::isnan(logged.at("nan")[0].value.scalar()));
  EXPECT_EQ(logged.at("grad")[0].step, 4);
}

TEST(TensorScalars, MoreThanOneElementIsRefusedNamingCallTagAndShape) {
  TempDir dir;
  SummaryWriter writer(dir.path());
  const std::string message = invalid_argument_of([&] {
    add_scalar(writer, "loss", torch::zeros({2, 5}), 0);
  });
  EXPECT_NE(message.find("add_scalar('loss')"), std::string::npos) << message;
  EXPECT_NE(message.find("[2, 5]"), std::string::npos) << message;
  EXPECT_NE(invalid_argument_of([&] {
              add_scalar(writer, "c", torch::complex(torch::ones({}), torch::ones({})), 0);
            }),
            "");
}

TEST(TensorHistograms, EqualTheCoreBucketingForFloatsWithNanAndInf) {
  torch::manual_seed(3);
  auto values = torch::randn({1000}) * 5;
  values[3] = std::numeric_limits<float>::quiet_NaN();
  values[7] = std::numeric_limits<float>::infinity();
  values[9] = 0;
  const auto v = floats_of(values);
  expect_same_buckets(histogram_of(values), make_histogram(v.data(), v.size()));
}

TEST(TensorHistograms, HalfBfloatIntegerStridedAndGradTensors) {
  torch::manual_seed(4);
  const auto base = torch::randn({40, 30});
  for (const auto& t : {base.to(torch::kHalf), base.to(torch::kBFloat16), base.t(),
                        (base * 100).to(torch::kInt32), base.clone().requires_grad_(true)}) {
    const auto v = floats_of(t);
    SCOPED_TRACE(std::string(c10::toString(t.scalar_type())));
    expect_same_buckets(histogram_of(t), make_histogram(v.data(), v.size()));
  }
}

// Above 2^53 a double holds every other integer or fewer: through double, 2^60 - 1 became 2^60 and
// counted in the bucket starting there, and the extremes and sum came out of rounded values.
TEST(TensorHistograms, Int64ValuesAbove2To53AreExact) {
  const std::int64_t big = std::int64_t{1} << 60;
  const auto values = torch::tensor(
      std::vector<std::int64_t>{big - 1, big - 1, 3, std::numeric_limits<std::int64_t>::min()},
      torch::kLong);
  const BucketEdges edges = {0, static_cast<double>(big), 2 * static_cast<double>(big)};
  const auto h = histogram_of(values, edges);
  ASSERT_EQ(h.buckets.size(), 2U);
  EXPECT_EQ(h.buckets[0].count, 4);  // INT64_MIN below the first edge counts in the first bucket
  EXPECT_EQ(h.buckets[1].count, 0);
  EXPECT_EQ(h.stats.min, -std::ldexp(1.0, 63));
  EXPECT_EQ(h.stats.max, static_cast<double>(big - 1));  // the rounding of the true maximum
  EXPECT_EQ(h.stats.count, 4);
  // The sum's exact value, rounded once: 2 * (2^60 - 1) + 3 - 2^63 = -3 * 2^61 + 1.
  EXPECT_EQ(h.stats.sum, static_cast<double>(-3 * (std::int64_t{1} << 61) + 1));

  // The default layout: a value just under one of its limits counts in the bucket ending there.
  const auto& limits = default_bucket_limits();
  const auto limit = std::find_if(limits.begin(), limits.end(), [](double l) { return l > 1e17; });
  ASSERT_NE(limit, limits.end());
  const auto just_under = static_cast<std::int64_t>(*limit) - 1;
  const auto d = histogram_of(torch::tensor(std::vector<std::int64_t>{just_under}, torch::kLong));
  ASSERT_EQ(d.buckets.size(), 1U);
  EXPECT_EQ(d.buckets[0].count, 1);
  EXPECT_LE(d.buckets[0].right, *limit);
  // The same value as uint8/int32 counts the same way as the core's bucketing of floats.
  const auto small = torch::tensor(std::vector<std::int64_t>{-7, 0, 5, 200}, torch::kLong);
  for (const auto type : {torch::kInt32, torch::kInt16, torch::kLong}) {
    const auto v = floats_of(small.to(type));
    expect_same_buckets(histogram_of(small.to(type)), make_histogram(v.data(), v.size()));
  }
}

TEST(TensorHistograms, CallerGivenEdgesEqualTheCore) {
  const auto values = torch::linspace(-3, 3, 61);
  const BucketEdges edges = {-1, 0, 0.5, 2};
  const auto v = floats_of(values);
  expect_same_buckets(histogram_of(values, edges), make_histogram(v.data(), v.size(), edges));
}

TEST(TensorHistograms, WrittenThroughTheWriterEitherWay) {
  TempDir dir;
  SummaryWriter writer(dir.path());
  const auto values = torch::randn({500});
  add_histogram(writer, "float32", values, 1);                   // handed to the writer
  add_histogram(writer, "float16", values.to(torch::kHalf), 1);  // reduced by torch ops
  const auto logged = read_back(writer);
  const auto want32 = floats_of(values);
  const auto want16 = floats_of(values.to(torch::kHalf));
  const auto h32 = make_histogram(want32.data(), want32.size());
  const auto h16 = make_histogram(want16.data(), want16.size());
  const auto& got32 = histogram_buckets(logged.at("float32")[0].value);
  const auto& got16 = histogram_buckets(logged.at("float16")[0].value);
  ASSERT_EQ(got32.size(), h32.buckets.size());
  ASSERT_EQ(got16.size(), h16.buckets.size());
  for (std::size_t i = 0; i < got16.size(); ++i)
    EXPECT_DOUBLE_EQ(got16[i].count, h16.buckets[i].count);
  const std::string message = invalid_argument_of([&] {
    add_histogram(writer, "w", torch::zeros({0, 3}), 0);
  });
  EXPECT_NE(message.find("add_histogram('w')"), std::string::npos) << message;
}

TEST(TensorImages, ChwHwcAndGrayConvertToBytes) {
  auto chw = torch::zeros({3, 2, 4});
  chw[0][0][0] = 1.0;                                      // red at (0, 0)
  chw[1][1][3] = 0.5;                                      // half green at (1, 3)
  chw[2][1][2] = std::numeric_limits<float>::quiet_NaN();  // NaN shows as 0
  chw[2][0][1] = 7;                                        // clamped to 255
  const Image image = to_image(chw);
  EXPECT_EQ(image.height, 2);
  EXPECT_EQ(image.width, 4);
  EXPECT_EQ(image.channels, 3);
  const auto at = [&](int y, int x, int c) { return image.pixels[(y * 4 + x) * 3 + c]; };
  EXPECT_EQ(at(0, 0, 0), 255);
  EXPECT_EQ(at(1, 3, 1), 128);
  EXPECT_EQ(at(1, 2, 2), 0);
  EXPECT_EQ(at(0, 1, 2), 255);
  const Image same = to_image(chw.permute({1, 2, 0}), ImageLayout::kHWC);  // strided HWC view
  EXPECT_EQ(same.pixels, image.pixels);
  const Image gray = to_image(torch::full({5, 6}, 200, torch::kUInt8));
  EXPECT_EQ(gray.channels, 1);
  EXPECT_EQ(gray.pixels, std::vector<std::uint8_t>(30, 200));
  const std::string message = invalid_argument_of([] { to_image(torch::zeros({5, 2, 2})); });
  EXPECT_NE(message.find("[5, 2, 2]"), std::string::npos) << message;
  EXPECT_NE(invalid_argument_of([] { to_image(torch::zeros({3, 2, 2}, torch::kInt32)); }), "");
}

TEST(TensorImages, GridIsTheCoreGridOfTheSameValues) {
  torch::manual_seed(5);
  const auto batch = torch::rand({5, 3, 4, 4});
  const auto host = batch.contiguous();
  const Image want =
      make_image_grid(host.data_ptr<float>(), 5, 3, 4, 4, torchvision_grid_options());
  const Image got = make_grid(batch);
  EXPECT_EQ(got.width, want.width);
  EXPECT_EQ(got.height, want.height);
  EXPECT_EQ(got.pixels, want.pixels);
  // uint8 batches are the same picture as their values / 255.
  const auto bytes = (batch * 255).round().to(torch::kUInt8);
  EXPECT_EQ(make_grid(bytes).pixels, make_grid(bytes.to(torch::kFloat) / 255).pixels);
}

TEST(TensorImages, ImageGridImagesAndVideoReadBack) {
  TempDir dir;
  SummaryWriter writer(dir.path());
  add_image(writer, "one", torch::rand({3, 8, 8}), 0);
  add_image(writer, "batch", torch::rand({4, 1, 8, 8}), 0);
  add_images(writer, "slider", torch::rand({3, 3, 6, 6}), 0);
  add_video(writer, "clip", torch::rand({2, 5, 3, 6, 6}), 0);
  const std::string message = invalid_argument_of([&] {
    add_video(writer, "bad", torch::rand({5, 3, 6, 6}), 0);
  });
  EXPECT_NE(message.find("add_video('bad')"), std::string::npos) << message;
  const auto logged = read_back(writer);
  EXPECT_EQ(images_of(logged.at("one")[0].value).width, 8);
  EXPECT_EQ(images_of(logged.at("batch")[0].value).encoded.size(), 1u);
  EXPECT_EQ(images_of(logged.at("slider")[0].value).encoded.size(), 3u);
  EXPECT_EQ(images_of(logged.at("clip")[0].value).encoded[0].substr(0, 6), "GIF89a");
}

TEST(TensorMedia, AudioInterleavesChannels) {
  TempDir dir;
  SummaryWriter writer(dir.path());
  add_audio(writer, "stereo", torch::stack({torch::full({100}, 0.5), torch::full({100}, -0.5)}),
            8000, 0);
  add_audio(writer, "mono", torch::zeros({50}, torch::kDouble), 8000, 0, "*quiet*");
  EXPECT_NE(invalid_argument_of([&] {
              add_audio(writer, "x", torch::zeros({2, 2, 2}), 8000, 0);
            }),
            "");
  const auto logged = read_back(writer);
  const std::string& wav = logged.at("stereo")[0].value.blobs()->blobs.at(0);
  ASSERT_GT(wav.size(), 48u);
  EXPECT_EQ(static_cast<unsigned char>(wav[22]), 2);  // channel count in the fmt chunk
  // The first frame: left +0.5, right -0.5 (16-bit little-endian after the 44-byte header).
  const auto sample = [&](int i) {
    return static_cast<std::int16_t>(static_cast<unsigned char>(wav[44 + 2 * i]) |
                                     (static_cast<unsigned char>(wav[45 + 2 * i]) << 8));
  };
  EXPECT_GT(sample(0), 16000);
  EXPECT_LT(sample(1), -16000);
  EXPECT_EQ(logged.at("mono")[0].value.labels.at(0), "*quiet*");
}

TEST(TensorMedia, EmbeddingWithLabelsAndThumbnails) {
  TempDir dir;
  {
    SummaryWriter writer(dir.path());
    EmbeddingTensors extras;
    extras.labels = torch::tensor({0, 1, 1, 0});
    extras.class_names = {"cat", "dog"};
    extras.thumbnails = torch::rand({4, 3, 5, 5});
    add_embedding(writer, "features", torch::randn({4, 6}).to(torch::kHalf), 7, extras);
    EmbeddingTensors bad;
    bad.labels = torch::tensor({0, 2, 1, 0});
    bad.class_names = {"cat", "dog"};
    const std::string message = invalid_argument_of([&] {
      make_embedding(torch::randn({4, 6}), bad);
    });
    EXPECT_NE(message.find("found 2"), std::string::npos) << message;
  }
  const auto stored = read_embeddings(dir.path());
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].embedding.rows, 4);
  EXPECT_EQ(stored[0].embedding.dims, 6);
  ASSERT_EQ(stored[0].embedding.metadata.size(), 1u);
  EXPECT_EQ(stored[0].embedding.metadata[0].values,
            (std::vector<std::string>{"cat", "dog", "dog", "cat"}));
  EXPECT_FALSE(stored[0].sprite_png.empty());
}

// Predictions add a "predicted" column, and beside labels a "correct" one; they are checked as
// labels are.
TEST(TensorMedia, EmbeddingWithPredictions) {
  EmbeddingTensors extras;
  extras.labels = torch::tensor({0, 1, 1, 0});
  extras.predictions = torch::tensor({0, 0, 1, 1});
  extras.class_names = {"cat", "dog"};
  const Embedding e = make_embedding(torch::randn({4, 2}), extras);
  ASSERT_EQ(e.metadata.size(), 3u);
  EXPECT_EQ(e.metadata[1].name, "predicted");
  EXPECT_EQ(e.metadata[1].values, (std::vector<std::string>{"cat", "cat", "dog", "dog"}));
  EXPECT_EQ(e.metadata[2].name, "correct");
  EXPECT_EQ(e.metadata[2].values, (std::vector<std::string>{"yes", "no", "yes", "no"}));
  EmbeddingTensors guesses_only;
  guesses_only.predictions = torch::tensor({2, 0});
  const Embedding g = make_embedding(torch::randn({2, 2}), guesses_only);
  ASSERT_EQ(g.metadata.size(), 1u);
  EXPECT_EQ(g.metadata[0].values, (std::vector<std::string>{"2", "0"}));
  guesses_only.class_names = {"cat", "dog"};
  const std::string message = invalid_argument_of([&] {
    make_embedding(torch::randn({2, 2}), guesses_only);
  });
  EXPECT_NE(message.find("found 2"), std::string::npos) << message;
}

TEST(TensorMedia, PrCurvesEqualTheCoreOnes) {
  TempDir dir;
  SummaryWriter writer(dir.path());
  const auto probabilities = torch::tensor({0.1, 0.4, 0.35, 0.8});
  const auto labels = torch::tensor({false, false, true, true});
  add_pr_curve(writer, "binary", probabilities, labels, 0);
  add_pr_curves(writer, "classes", torch::softmax(torch::randn({6, 3}), 1),
                torch::tensor({0, 1, 2, 2, 1, 0}), {"a", "b", "c"}, 0);
  EXPECT_NE(invalid_argument_of([&] {
              add_pr_curve(writer, "x", probabilities, torch::tensor({0, 2, 1, 1}), 0);
            }),
            "");
  EXPECT_NE(invalid_argument_of([&] {
              add_pr_curves(writer, "y", torch::rand({6, 2}), torch::tensor({0, 1, 2, 2, 1, 0}),
                            {"a", "b", "c"}, 0);
            }),
            "");
  const auto logged = read_back(writer);
  const PrCurveData want = compute_pr_curve({0.1f, 0.4f, 0.35f, 0.8f}, {false, false, true, true});
  const auto& got = logged.at("binary")[0].value.tensor()->numbers;
  ASSERT_EQ(got.size(), 6 * want.precision.size());
  for (std::size_t i = 0; i < want.true_positives.size(); ++i)
    EXPECT_DOUBLE_EQ(got[i], want.true_positives[i]);
  EXPECT_EQ(logged.count("classes/c"), 1u);
}

TEST(TensorMedia, MeshFromVerticesColoursAndFaces) {
  TempDir dir;
  SummaryWriter writer(dir.path());
  const auto vertices =
      torch::tensor({0.f, 0.f, 0.f, 1.f, 0.f, 0.f, 0.f, 1.f, 0.f}).reshape({1, 3, 3});
  add_mesh(writer, "triangle", vertices, 0, torch::ones({3, 3}), torch::tensor({{0, 1, 2}}));
  EXPECT_NE(invalid_argument_of([&] { add_mesh(writer, "bad", torch::zeros({3, 2}), 0); }), "");
  const auto logged = read_back(writer);
  std::size_t parts = 0;
  for (const auto& [tag, values] : logged) parts += values[0].value.kind == ValueKind::kMesh;
  EXPECT_EQ(parts, 3u);  // vertices, faces, colours
}

}  // namespace
}  // namespace tblog
