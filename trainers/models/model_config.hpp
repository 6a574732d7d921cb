// What builds a model: the registry key and its shape. No LibTorch here.
#pragma once

#include <string>

namespace trainers {

struct ModelConfig {
  std::string name = "lenet5";  // registry key
  int in_channels = 1;
  int image_size = 28;
  int classes = 10;
  // LeNet5
  std::string activation = "tanh";  // tanh | relu
  int fc1 = 120;
  // Recurrent classifier
  std::string cell = "lstm";  // rnn | lstm | gru
  int hidden = 128;
  int layers = 1;
  // A TorchScript module (scripted.cpp)
  std::string file;
};

}  // namespace trainers
