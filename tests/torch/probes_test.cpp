// tblog/torch/probes.hpp: probes record on sampled steps only, with the statistics torch gives.
#include "tblog/torch/probes.hpp"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "../test_util.hpp"
#include "read_back.hpp"

namespace tblog {
namespace {

using test::read_back;
using test::TempDir;

TEST(Probes, RecordOnlyOnSampledSteps) {
  TempDir dir;
  SummaryWriter writer(dir.path());
  Probes probes(writer, {/*every=*/3});
  const auto a = torch::tensor({0.f, 0.f, 0.5f, 1.f, -0.995f, 2.f});
  for (std::int64_t step = 0; step < 7; ++step) {
    probes.set_step(step);
    probes("relu1", a);
    // An undefined tensor would throw if a probe looked at it on a step it does not sample.
    if (!probes.sampling()) probes("ignored", torch::Tensor());
  }
  probes.enable(false);
  probes.set_step(9);
  probes("relu1", a);
  ASSERT_EQ(probes.last().size(), 1u);
  const ActivationStatistics& s = probes.last()[0];
  EXPECT_NEAR(s.mean, a.mean().item<double>(), 1e-6);
  EXPECT_NEAR(s.std, a.std().item<double>(), 1e-6);
  EXPECT_NEAR(s.fraction_zero, 2.0 / 6, 1e-6);
  EXPECT_NEAR(s.fraction_saturated, 3.0 / 6, 1e-6);  // |a| > 0.99: 1, -0.995, 2
  const auto logged = read_back(writer);
  std::vector<std::int64_t> steps;
  for (const auto& point : logged.at("activations/relu1/mean")) steps.push_back(point.step);
  EXPECT_EQ(steps, (std::vector<std::int64_t>{0, 3, 6}));
  EXPECT_EQ(logged.at("activations/relu1/histogram").size(), 3u);
  EXPECT_EQ(logged.count("activations/relu1/fraction_saturated"), 1u);
}

TEST(Probes, BadSettingsAndTensorsAreRefused) {
  TempDir dir;
  SummaryWriter writer(dir.path());
  EXPECT_THROW(Probes(writer, {/*every=*/0}), std::invalid_argument);
  Probes probes(writer);
  probes.set_step(0);
  EXPECT_THROW(probes("empty", torch::zeros({0})), std::invalid_argument);
}

}  // namespace
}  // namespace tblog
