// tblog/torch/model_summary.hpp: every series a ModelSummary writes, against the same numbers
// computed here with plain torch ops.
#include "tblog/torch/model_summary.hpp"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <limits>

#include "../test_util.hpp"
#include "read_back.hpp"

namespace tblog {
namespace {

using test::read_back;
using test::TempDir;

struct NetImpl : torch::nn::Module {
  NetImpl() {
    conv1 = register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 2, 3)));
    fc = register_module("fc", torch::nn::Linear(8, 3));
  }
  torch::Tensor forward(torch::Tensor x) {
    x = torch::relu(conv1->forward(x));  // 1x4x4 -> 2x2x2
    return fc->forward(x.flatten(1));
  }
  torch::nn::Conv2d conv1{nullptr};
  torch::nn::Linear fc{nullptr};
};
TORCH_MODULE(Net);

double last_value(const std::map<std::string, std::vector<test::Logged>>& logged,
                  const std::string& tag) {
  const auto it = logged.find(tag);
  if (it == logged.end()) {
    ADD_FAILURE() << "no " << tag;
    return NAN;
  }
  return it->second.back().value.scalar();
}

TEST(ModelSummary, StatisticsHistogramsGradientNormsAndUpdateRatio) {
  torch::manual_seed(1);
  Net net;
  torch::optim::SGD sgd(net->parameters(), 0.1);
  TempDir dir;
  SummaryWriter writer(dir.path());
  ModelSummary summary(writer, *net);
  EXPECT_EQ(summary.names(),
            (std::vector<std::string>{"conv1.weight", "conv1.bias", "fc.weight", "fc.bias"}));
  const auto loss = net->forward(torch::randn({5, 1, 4, 4})).pow(2).mean();
  loss.backward();
  const auto w_before = net->fc->weight.detach().clone();
  summary.before_optimizer_step();
  sgd.step();
  summary.log(10);
  const auto w = net->fc->weight.detach();
  const auto grad = net->fc->weight.grad();
  double global = 0;
  for (const auto& p : net->parameters())
    global += p.grad().norm().item<double>() * p.grad().norm().item<double>();
  const auto logged = read_back(writer);
  EXPECT_NEAR(last_value(logged, "fc.weight_SUMMARY/max"), w.max().item<double>(), 1e-6);
  EXPECT_NEAR(last_value(logged, "fc.weight_SUMMARY/mean"), w.mean().item<double>(), 1e-6);
  EXPECT_NEAR(last_value(logged, "fc.weight_SUMMARY/min"), w.min().item<double>(), 1e-6);
  EXPECT_NEAR(last_value(logged, "fc.weight_SUMMARY/std"), w.std().item<double>(), 1e-6);
  EXPECT_NEAR(last_value(logged, "fc.weight_SUMMARY/variance"), w.var().item<double>(), 1e-6);
  EXPECT_NEAR(last_value(logged, "gradients/norm/fc.weight"), grad.norm().item<double>(), 1e-6);
  EXPECT_NEAR(last_value(logged, "gradients/global_norm"), std::sqrt(global), 1e-5);
  EXPECT_NEAR(last_value(logged, "updates/log10_ratio/fc.weight"),
              std::log10(((w - w_before).std() / w.std()).item<double>()), 1e-5);
  EXPECT_EQ(last_value(logged, "non_finite/parameters"), 0);
  EXPECT_EQ(last_value(logged, "non_finite/gradients"), 0);
  EXPECT_EQ(logged.at("histograms/conv1.weight")[0].value.kind, ValueKind::kHistogram);
  EXPECT_EQ(logged.at("fc.bias_SUMMARY/max")[0].step, 10);
  EXPECT_EQ(logged.count("gradients/histograms/fc.weight"), 0u);  // opt-in
}

TEST(ModelSummary, RenameIncludeExcludeAndNonFiniteCounts) {
  torch::manual_seed(2);
  Net net;
  {
    torch::NoGradGuard no_grad;
    net->fc->weight[0][0] = std::numeric_limits<float>::quiet_NaN();
    net->fc->weight[1][1] = std::numeric_limits<float>::infinity();
  }
  TempDir dir;
  SummaryWriter writer(dir.path());
  ModelSummaryOptions options;
  options.exclude = "bias$";
  options.rename = [](const std::string& name) { return name == "conv1.weight" ? "W1" : name; };
  options.gradient_histograms = true;
  ModelSummary summary(writer, *net, options);
  EXPECT_EQ(summary.names(), (std::vector<std::string>{"W1", "fc.weight"}));
  net->forward(torch::randn({2, 1, 4, 4})).sum().backward();
  summary.log(3);
  const auto logged = read_back(writer);
  EXPECT_EQ(logged.count("W1_SUMMARY/max"), 1u);
  EXPECT_EQ(logged.count("conv1.bias_SUMMARY/max"), 0u);
  EXPECT_EQ(last_value(logged, "non_finite/parameters"), 2);
  EXPECT_EQ(logged.count("gradients/histograms/W1"), 1u);
  EXPECT_EQ(logged.count("updates/log10_ratio/W1"), 0u);  // no before_optimizer_step

  ModelSummaryOptions only_fc;
  only_fc.include = "^fc\\.";
  TempDir other;
  SummaryWriter second(other.path());
  EXPECT_EQ(ModelSummary(second, *net, only_fc).names(),
            (std::vector<std::string>{"fc.weight", "fc.bias"}));
}

}  // namespace
}  // namespace tblog
