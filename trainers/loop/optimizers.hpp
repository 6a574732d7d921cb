// Builds a LibTorch optimizer by name.
#pragma once

#include <torch/optim/optimizer.h>

#include <memory>
#include <string>
#include <vector>

namespace trainers {

// sgd | momentum (SGD with momentum) | adam | adagrad | rmsprop. Throws std::invalid_argument.
std::unique_ptr<torch::optim::Optimizer> make_optimizer(const std::string& name,
                                                        std::vector<torch::Tensor> parameters,
                                                        double lr, double momentum,
                                                        double weight_decay);
void set_learning_rate(torch::optim::Optimizer& optimizer, double lr);

}  // namespace trainers
