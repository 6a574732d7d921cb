// What the shared training loop needs from a model. A new model is one file implementing
// Classifier and defining its ModelEntry (model_entry.hpp), plus its line in registry.cpp.
#pragma once

#include <torch/nn/module.h>
#include <torch/types.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "model_entry.hpp"
#include "tblog/graph.hpp"
#include "tblog/torch/deconvnet.hpp"
#include "tblog/torch/graph.hpp"

namespace trainers {

// The conv layers the deconvnet walks (tblog/torch/deconvnet.hpp).
using tblog::ConvLayer;
using tblog::ConvStack;

// A named parameter whose summaries are logged (e.g. "W1" for the first conv layer's weights).
using NamedTensor = std::pair<std::string, torch::Tensor>;

class Classifier {
 public:
  virtual ~Classifier() = default;
  // Standardised images (N x C x H x W) -> logits (N x classes).
  virtual torch::Tensor forward(const torch::Tensor& images) = 0;
  virtual torch::nn::Module& module() = 0;
  // Weights and biases to summarise, in layer order.
  virtual std::vector<NamedTensor> summarized_parameters() = 0;
  // Output of every conv layer (after its activation) for these images; empty if none.
  virtual std::vector<NamedTensor> conv_activations(const torch::Tensor& images) {
    (void)images;
    return {};
  }
  // First-layer filters as out x in x kh x kw; undefined if the model has no conv layer.
  virtual torch::Tensor first_layer_filters() { return {}; }
  virtual std::string describe() const = 0;
  // Its conv layers for the deconvnet; empty for models without any.
  virtual ConvStack conv_stack() { return {}; }
  // Whether occlusion maps mean something for a model without a ConvStack (a user's conv net
  // reads images as 2-d pictures; a recurrent one reads rows).
  virtual bool reads_images_spatially() const { return false; }
  // The penultimate representation (the input of the last linear layer), N x D: what the
  // PROJECTOR shows. Undefined when the model has none to offer.
  virtual torch::Tensor features(const torch::Tensor& images) = 0;
  // Its layers, shapes and parameter counts for the GRAPHS dashboard, for inputs of
  // channels x size x size.
  virtual tblog::Graph graph(int channels, int size) = 0;
  // Its layers for the GRAPHS dashboard's conceptual graph: by default the module's children in
  // registration order (tblog/torch/graph.hpp).
  virtual tblog::ModelLayer layers() { return tblog::conceptual_graph(module()); }
};

// Builds the model of `config` through its registry entry.
std::unique_ptr<Classifier> make_model(const ModelConfig& config);

}  // namespace trainers
