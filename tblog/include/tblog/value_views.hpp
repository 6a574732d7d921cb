/// @file
/// The built-in kinds' values as a program reading them back wants them: histogram buckets,
/// images with their size, the text of a text value, the mesh and part a mesh value holds. Each is
/// a view over SummaryValue::data, given by the kind's own file in tblog/src/kinds; a value of
/// another kind gives an empty view.
#pragma once

#include <string>
#include <vector>

#include "tblog/export.hpp"
#include "tblog/histogram.hpp"
#include "tblog/reader.hpp"

namespace tblog {

/// A histograms value's (left, right, count) rows.
TBLOG_API std::vector<HistogramBucket> histogram_buckets(const SummaryValue& value);

struct ImagesView {
  int width = 0;
  int height = 0;
  std::vector<std::string> encoded;  ///< each image's file (PNG, or GIF for a video)
};
/// An images value's size and encoded images.
TBLOG_API ImagesView images_of(const SummaryValue& value);

/// A text value's Markdown (a table's cells joined by newlines), or a custom-scalars layout's
/// serialized Layout.
TBLOG_API std::string text_of(const SummaryValue& value);

struct MeshPart {
  std::string mesh;  ///< the mesh's tag as written (values are "<mesh>_VERTEX"...)
  std::string part;  ///< "VERTEX", "FACE" or "COLOR"
};
/// The mesh and part a mesh value holds (its metadata's, else its tag's suffix).
TBLOG_API MeshPart mesh_part_of(const SummaryValue& value);

}  // namespace tblog
