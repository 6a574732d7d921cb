// The --model-file model: a TorchScript module (defined and saved here, as torch.jit.save would)
// trained through the nn::Module the loop sees.
#include <gtest/gtest.h>
#include <torch/script.h>
#include <torch/torch.h>

#include "../test_util.hpp"
#include "models/classifier.hpp"
#include "usage_error.hpp"

namespace trainers {
namespace {

// A linear classifier of 1x4x4 images with a features() method and a buffer.
std::string save_linear_module(const tblog::test::TempDir& dir, int classes) {
  torch::jit::Module m("Linear");
  m.register_parameter("weight", (torch::randn({16, classes}) * 0.1).requires_grad_(), false);
  m.register_parameter("bias", torch::zeros({classes}).requires_grad_(), false);
  m.register_buffer("calls", torch::zeros({1}));
  m.define(
      "def features(self, x):\n"
      "    return x.flatten(1)\n"
      "def forward(self, x):\n"
      "    return torch.matmul(self.features(x), self.weight) + self.bias\n");
  const std::string path = dir.path() + "/linear.pt";
  m.save(path);
  return path;
}

ModelConfig config_for(const std::string& file) {
  ModelConfig c;
  c.name = "scripted";
  c.values["--model-file"] = file;
  c.in_channels = 1;
  c.image_size = 4;
  c.classes = 3;
  return c;
}

TEST(ScriptedModel, TrainsTheScriptModulesOwnTensors) {
  tblog::test::TempDir dir;
  const auto c = config_for(save_linear_module(dir, 3));
  auto model = make_model(c);
  auto& module = model->module();
  ASSERT_EQ(module.parameters().size(), 2u);
  EXPECT_EQ(module.buffers().size(), 1u);
  const auto named = model->summarized_parameters();
  ASSERT_EQ(named.size(), 2u);
  EXPECT_EQ(named[0].first, "weight");  // the module's own names, for the tags

  const auto x = torch::randn({5, 1, 4, 4});
  const auto before = model->forward(x).detach().clone();
  torch::optim::SGD sgd(module.parameters(), 0.5);
  torch::nn::functional::cross_entropy(model->forward(x), torch::tensor({0, 1, 2, 0, 1}))
      .backward();
  sgd.step();
  // The step on the loop's parameters moved the script module's output: the same tensors.
  EXPECT_FALSE(torch::allclose(model->forward(x), before));
  EXPECT_EQ(model->features(x).sizes(), (std::vector<std::int64_t>{5, 16}));
  EXPECT_FALSE(model->first_layer_filters().defined());  // no conv layer
  EXPECT_FALSE(model->reads_images_spatially());

  // Checkpoint-style save and load through the nn::Module reach the script module.
  torch::serialize::OutputArchive out;
  module.save(out);
  const auto trained = model->forward(x).detach().clone();
  auto fresh = make_model(c);
  torch::serialize::InputArchive in;
  std::stringstream bytes;
  out.save_to(bytes);
  in.load_from(bytes);
  fresh->module().load(in);
  EXPECT_TRUE(torch::equal(fresh->forward(x), trained));
}

TEST(ScriptedModel, FactsComeFromTheFile) {
  tblog::test::TempDir dir;
  const auto c = config_for(save_linear_module(dir, 3));
  const ModelFacts facts = model_facts(c);
  EXPECT_EQ(facts.label, "linear");
  EXPECT_EQ(facts.layers, 1);
  EXPECT_EQ(facts.hidden_units, 3);  // size(1) of the last weight (16 x 3 here)
  EXPECT_EQ(facts.activation, "scripted");
  EXPECT_NO_THROW(model_entry("scripted").check(c));
}

TEST(ScriptedModel, OutputsThatDoNotFitTheDataAreRefusedNamingTheFile) {
  tblog::test::TempDir dir;
  auto c = config_for(save_linear_module(dir, 5));  // 5 logits, 3 classes
  try {
    make_model(c);
    FAIL() << "5 logits for 3 classes accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("linear.pt"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("expected logits 2x3"), std::string::npos) << e.what();
  }
  c.values["--model-file"] = dir.path() + "/missing.pt";
  EXPECT_THROW(model_entry("scripted").check(c), UsageError);
  c.values["--model-file"] = std::string();
  EXPECT_THROW(model_entry("scripted").check(c), UsageError);
}

}  // namespace
}  // namespace trainers
