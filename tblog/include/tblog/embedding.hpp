/// @file
/// Embeddings for the PROJECTOR: points in D dimensions, with labels and thumbnails.
#pragma once

#include <string>
#include <vector>

#include "tblog/image.hpp"

namespace tblog {

struct EmbeddingColumn {
  std::string name;  ///< header of the column; may be empty when it is the only column
  std::vector<std::string> values;  ///< one per point; no tabs or line breaks
};

struct Embedding {
  int rows = 0;               ///< points
  int dims = 0;               ///< dimensions of each point
  std::vector<float> values;  ///< rows x dims, row-major
  /// Optional labels: one column (e.g. the class) or several named ones (class, prediction...).
  std::vector<EmbeddingColumn> metadata;
  /// Optional thumbnails, one per point, all of one size: tiled into the projector's sprite.
  std::vector<Image> thumbnails;
};

}  // namespace tblog
