// Eval mode for a scope, when the training knows its module: the plugins that run the model to
// draw (ConvVisualizations, Embeddings) do so with dropout off and batch norm's running
// statistics, then give the module back as it was.
#pragma once

#include <torch/nn/module.h>

namespace tblog::torch_detail {

class EvalScope {
 public:
  explicit EvalScope(torch::nn::Module* module) : module_(module) {
    if (module_) {
      was_training_ = module_->is_training();
      module_->eval();
    }
  }
  ~EvalScope() {
    if (module_) module_->train(was_training_);
  }
  EvalScope(const EvalScope&) = delete;
  EvalScope& operator=(const EvalScope&) = delete;

 private:
  torch::nn::Module* module_;
  bool was_training_ = true;
};

}  // namespace tblog::torch_detail
