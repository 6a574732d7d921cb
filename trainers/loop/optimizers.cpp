#include "optimizers.hpp"

#include <torch/optim.h>

#include <stdexcept>

namespace trainers {

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const std::string& name,
                                                        std::vector<torch::Tensor> params,
                                                        double lr, double momentum,
                                                        double weight_decay) {
  using namespace torch::optim;
  if (name == "sgd")
    return std::make_unique<SGD>(params, SGDOptions(lr).weight_decay(weight_decay));
  if (name == "momentum") {
    return std::make_unique<SGD>(params,
                                 SGDOptions(lr).momentum(momentum).weight_decay(weight_decay));
  }
  if (name == "adam")
    return std::make_unique<Adam>(params, AdamOptions(lr).weight_decay(weight_decay));
  if (name == "adagrad") {
    return std::make_unique<Adagrad>(params, AdagradOptions(lr).weight_decay(weight_decay));
  }
  if (name == "rmsprop") {
    return std::make_unique<RMSprop>(params, RMSpropOptions(lr).weight_decay(weight_decay));
  }
  throw std::invalid_argument("unknown optimizer '" + name +
                              "' (expected sgd, momentum, adam, adagrad or rmsprop)");
}

void set_learning_rate(torch::optim::Optimizer& optimizer, double lr) {
  for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
}

}  // namespace trainers
