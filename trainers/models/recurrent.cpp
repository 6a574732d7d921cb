// RNN / LSTM / GRU classifier reading each image as a sequence of rows (28 steps of 28 pixels
// for MNIST), with a linear classifier on the last hidden state.
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/rnn.h>

#include <stdexcept>

#include "classifier.hpp"

namespace trainers {
namespace {

class Recurrent : public Classifier {
 public:
  explicit Recurrent(const ModelConfig& c) : config_(c) {
    const int input = c.in_channels * c.image_size;  // one row of every channel per time step
    if (c.hidden <= 0 || c.layers <= 0)
      throw std::invalid_argument("recurrent: hidden and layers must be positive");
    if (c.cell == "lstm") {
      lstm_ = torch::nn::LSTM(
          torch::nn::LSTMOptions(input, c.hidden).num_layers(c.layers).batch_first(true));
      holder_->register_module("rnn", lstm_);
    } else if (c.cell == "gru") {
      gru_ = torch::nn::GRU(
          torch::nn::GRUOptions(input, c.hidden).num_layers(c.layers).batch_first(true));
      holder_->register_module("rnn", gru_);
    } else if (c.cell == "rnn") {
      rnn_ = torch::nn::RNN(torch::nn::RNNOptions(input, c.hidden)
                                .num_layers(c.layers)
                                .nonlinearity(torch::kTanh)
                                .batch_first(true));
      holder_->register_module("rnn", rnn_);
    } else {
      throw std::invalid_argument("recurrent: cell must be rnn, lstm or gru, not '" + c.cell + "'");
    }
    out_ = torch::nn::Linear(c.hidden, c.classes);
    holder_->register_module("out", out_);
  }

  torch::Tensor forward(const torch::Tensor& images) override {
    return out_->forward(features(images));
  }

  // The last time step's hidden state of the top layer.
  torch::Tensor features(const torch::Tensor& images) override {
    // N x C x H x W -> N x H x (C*W): row y of every channel is time step y.
    const auto seq = images.permute({0, 2, 1, 3}).flatten(2);
    torch::Tensor outputs;
    if (lstm_) outputs = std::get<0>(lstm_->forward(seq));
    if (gru_) outputs = std::get<0>(gru_->forward(seq));
    if (rnn_) outputs = std::get<0>(rnn_->forward(seq));
    return outputs.select(1, -1);
  }

  tblog::Graph graph(int channels, int size) override {
    tblog::GraphBuilder g;
    auto& input = g.add("images", "Input");
    input.output_shapes = {{-1, channels, size, size}};
    g.add("rows", "PermuteFlatten", {"images"}).output_shapes = {{-1, size, channels * size}};
    std::int64_t rnn_parameters = 0, out_parameters = 0;
    for (const auto& p : holder_->named_parameters())
      (p.key().rfind("rnn.", 0) == 0 ? rnn_parameters : out_parameters) += p.value().numel();
    {
      auto cell = g.scope(config_.cell);
      auto& weights = g.add("weights", "Parameter");
      weights.attributes["parameters"] = rnn_parameters;
      auto& step = g.add(config_.cell,
                         config_.cell == "rnn"    ? "RNN(tanh)"
                         : config_.cell == "lstm" ? "LSTM"
                                                  : "GRU",
                         {"rows", config_.cell + "/weights"});
      step.output_shapes = {{-1, size, config_.hidden}};
      step.attributes["hidden"] = std::int64_t{config_.hidden};
      step.attributes["layers"] = std::int64_t{config_.layers};
      g.add("last_step", "Select", {config_.cell + "/" + config_.cell}).output_shapes = {
          {-1, config_.hidden}};
    }
    {
      auto out = g.scope("out");
      g.add("weights", "Parameter").attributes["parameters"] = out_parameters;
      g.add("linear", "Linear", {config_.cell + "/last_step", "out/weights"}).output_shapes = {
          {-1, config_.classes}};
    }
    return g.graph();
  }

  torch::nn::Module& module() override { return *holder_; }

  std::vector<NamedTensor> summarized_parameters() override {
    // The same names for every cell type, so runs overlay in one TensorBoard chart.
    std::vector<NamedTensor> out;
    for (const auto& p : holder_->named_parameters()) {
      const std::string& key = p.key();  // rnn.weight_ih_l0, out.weight, ...
      std::string name = key;
      if (key.rfind("rnn.", 0) == 0) name = key.substr(4);
      if (name == "out.weight") name = "W_out";
      if (name == "out.bias") name = "b_out";
      out.emplace_back(name, p.value());
    }
    return out;
  }

  std::string describe() const override {
    return config_.cell + "(" + std::to_string(config_.layers) + " x " +
           std::to_string(config_.hidden) + ") on " + std::to_string(config_.image_size) + " rows";
  }

 private:
  ModelConfig config_;
  std::shared_ptr<torch::nn::Module> holder_ = std::make_shared<torch::nn::Module>();
  torch::nn::LSTM lstm_{nullptr};
  torch::nn::GRU gru_{nullptr};
  torch::nn::RNN rnn_{nullptr};
  torch::nn::Linear out_{nullptr};
};

}  // namespace

ModelEntry recurrent_entry() {
  // The RNN cell is tanh; LSTM and GRU cells put their state through tanh too.
  return {[](const ModelConfig& c) { return std::make_unique<Recurrent>(c); },
          [](const ModelConfig& c) {
            return ModelFacts{c.cell, c.hidden, c.layers, "tanh"};
          },
          // --cell, --hidden and --layers are checked with every setting (loop/settings.cpp).
          [](const ModelConfig&) {}};
}

}  // namespace trainers
