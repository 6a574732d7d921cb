// A model of the test build only, to hold tbtrain to its count: a model is one file (this one)
// and one registry line (the last line here; a model of tbtrain's own has it in
// models/registry.cpp). tbtrain_with_test_model (tests/CMakeLists.txt) is tbtrain plus this file;
// check_test_model.py trains it through the subcommand, options, preset, defaults, sweep axis,
// HParams facts and checkpoint checks that its entry alone declares.
#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>

#include "models/classifier.hpp"

namespace trainers {
namespace {

const ModelOption<int> kWidth{"--width", 32};  // hidden units of the one hidden layer

// Images flattened, one hidden layer of ReLUs, logits.
class TinyMlp : public Classifier {
 public:
  explicit TinyMlp(const ModelConfig& c)
      : inputs_(c.in_channels * c.image_size * c.image_size),
        width_(kWidth.of(c)),
        classes_(c.classes) {
    hidden_ = holder_->register_module("hidden", torch::nn::Linear(inputs_, width_));
    out_ = holder_->register_module("out", torch::nn::Linear(width_, classes_));
  }

  torch::Tensor forward(const torch::Tensor& images) override {
    return out_->forward(features(images));
  }
  torch::Tensor features(const torch::Tensor& images) override {
    return torch::relu(hidden_->forward(images.flatten(1)));
  }
  torch::nn::Module& module() override { return *holder_; }
  std::vector<NamedTensor> summarized_parameters() override {
    return {
        {"W1", hidden_->weight}, {"b1", hidden_->bias}, {"W2", out_->weight}, {"b2", out_->bias}};
  }
  std::string describe() const override {
    return "TinyMlp(" + std::to_string(inputs_) + "-" + std::to_string(width_) + "-" +
           std::to_string(classes_) + ")";
  }
  tblog::Graph graph(int channels, int size) override {
    tblog::GraphBuilder g;
    g.add("images", "Input").output_shapes = {{-1, channels, size, size}};
    g.add("hidden", "Linear+ReLU", {"images"}).output_shapes = {{-1, width_}};
    g.add("out", "Linear", {"hidden"}).output_shapes = {{-1, classes_}};
    return g.graph();
  }

 private:
  std::int64_t inputs_;
  int width_, classes_;
  std::shared_ptr<torch::nn::Module> holder_ = std::make_shared<torch::nn::Module>();
  torch::nn::Linear hidden_{nullptr}, out_{nullptr};
};

ModelEntry tiny_mlp_entry() {
  ModelEntry e;
  e.name = "tiny_mlp";
  e.command = "mlp";
  e.about = "Train a one-hidden-layer perceptron (the test build's model)";
  e.settings = {model_setting(kWidth, "Hidden units", between(1, 4096), "width", "hidden_units",
                              ShownAs::kModelFact, OnResume::kMustKeep)};
  e.defaults = {{"--batch-size", "32"}};
  e.augment = {1, false};
  e.best = [](const ModelConfig&) {
    return std::vector<OptionText>{{"--optimizer", "momentum"}, {"--lr", "0.02"}};
  };
  e.make = [](const ModelConfig& c) { return std::make_unique<TinyMlp>(c); };
  e.facts = [](const ModelConfig& c) { return ModelFacts{"tiny_mlp", kWidth.of(c), 2, "relu"}; };
  return e;
}

[[maybe_unused]] const bool kRegistered = (register_model(tiny_mlp_entry()), true);

}  // namespace
}  // namespace trainers
