/// @file
/// Classifier diagnostics from one pass over the test set: the confusion matrix (as counts and as
/// a labelled image) and the test images the model gets most confidently wrong.
#pragma once

#include <ATen/core/Tensor.h>

#include <string>
#include <vector>

#include "tblog/image.hpp"
#include "tblog/torch/export.hpp"

namespace tblog {

/// counts[t][p]: test examples of true class t predicted as p (classes x classes, int64).
TBLOG_TORCH_API at::Tensor confusion_counts(const at::Tensor& predicted, const at::Tensor& labels,
                                            int classes);

/// The matrix as an image: a cell per (true, predicted) pair coloured by the share of its row
/// (white to dark blue), the count written in it, class names along both axes (true on the left,
/// predicted on top, read downwards).
TBLOG_TORCH_API Image confusion_matrix_image(const at::Tensor& counts,
                                             const std::vector<std::string>& class_names);

struct WrongPrediction {
  std::int64_t index = 0;  ///< in the test set
  int truth = 0, predicted = 0;
  double confidence = 0;  ///< the probability given to the wrong class
};

/// The k misclassified examples with the highest probability on their (wrong) prediction.
TBLOG_TORCH_API std::vector<WrongPrediction> most_wrong(const at::Tensor& probabilities,
                                                        const at::Tensor& labels, int k);

/// A grid of those images (uint8 N x C x H x W test images), each enlarged and captioned
/// "T:<true>" / "P:<predicted> <confidence>%".
TBLOG_TORCH_API Image most_wrong_grid(const at::Tensor& images,
                                      const std::vector<WrongPrediction>& wrong,
                                      const std::vector<std::string>& class_names);

}  // namespace tblog
