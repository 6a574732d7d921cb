// Batched tensor transforms: normalisation, augmentation, grayscale conversion, subsets.
#pragma once

#include "datasets.hpp"

namespace trainers {

// Per-channel standardisation with statistics of the training set.
struct Normalizer {
  torch::Tensor mean, std;  // 1 x C x 1 x 1
  static Normalizer fit(const Dataset& train);
  torch::Tensor operator()(const torch::Tensor& images_uint8) const;  // -> float, standardised
};

// Random crop with `pad` pixels of zero padding, and random horizontal flips, of a whole
// float batch at once (no per-image loop).
torch::Tensor augment_batch(const torch::Tensor& batch, int pad, bool flip);

// Grayscale (ITU-R 601 luma) and bilinear resize to size x size, for "CIFAR-10 as 28x28 gray".
DataSplit to_grayscale(const DataSplit& split, int size);

// The first n examples of each part (0 = all).
DataSplit take_subset(const DataSplit& split, std::int64_t train_n, std::int64_t test_n);

}  // namespace trainers
