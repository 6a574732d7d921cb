// Small generated data sets for trainer tests: each class draws a bright bar at its own place,
// so a model that learns anything beats chance quickly.
#pragma once

#include <torch/torch.h>

#include <string>

#include "data/datasets.hpp"

namespace trainers::test {

inline Dataset bars(std::int64_t n, int channels, int size, std::uint64_t seed) {
  torch::manual_seed(seed);
  auto labels = torch::randint(0, 10, {n}, torch::kInt64);
  auto images = (torch::rand({n, channels, size, size}) * 60).to(torch::kUInt8);
  auto acc = images.accessor<std::uint8_t, 4>();
  auto lab = labels.accessor<std::int64_t, 1>();
  for (std::int64_t i = 0; i < n; ++i) {
    const int row = static_cast<int>(2 + lab[i] * (size - 4) / 10);
    for (int c = 0; c < channels; ++c) {
      for (int x = 0; x < size; ++x) acc[i][c][row][x] = 250;
    }
  }
  return {images, labels};
}

inline DataSplit bars_split(int channels, int size, std::int64_t train = 512,
                            std::int64_t test = 256) {
  DataSplit s;
  s.name = "bars";
  s.train = bars(train, channels, size, 1);
  s.test = bars(test, channels, size, 2);
  for (int i = 0; i < 10; ++i) s.class_names.push_back(std::to_string(i));
  return s;
}

}  // namespace trainers::test
