// The whole "visualize a CNN on CIFAR-10 / RNN, LSTM, GRU on MNIST" study in one call.
#pragma once

#include <string>

namespace trainers {

struct AssignmentOptions {
  std::string logdir = "runs";
  std::string cifar_dir;  // CIFAR-10 binary; empty: Fashion-MNIST as 28x28 gray stands in
  std::string mnist_dir;  // MNIST IDX; empty: Fashion-MNIST
  bool quick = false;     // subsets and one epoch: minutes on 2 cores
  int parallel = 1;
  std::string device = "cpu";
};

// Returns the markdown summary it also writes to TensorBoard and prints.
std::string run_assignment(const AssignmentOptions& options);

}  // namespace trainers
