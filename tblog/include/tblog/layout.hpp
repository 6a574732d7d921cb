/// @file
/// Custom-scalar layouts (CUSTOM SCALARS dashboard): several tags or runs on one chart.
#pragma once

#include <string>
#include <vector>

namespace tblog {

struct MarginSeries {
  std::string value;  ///< exact scalar tags
  std::string lower;
  std::string upper;
};

struct LayoutChart {
  std::string title;
  /// A multiline chart: every scalar tag matching one of these regular expressions (anchored at
  /// the start, Python re.match) is drawn as a line, for every run.
  std::vector<std::string> multiline_tags;
  /// A margin chart (used instead when non-empty): a value line with a shaded lower..upper band.
  std::vector<MarginSeries> margin_series;
};

struct LayoutCategory {
  std::string title;
  std::vector<LayoutChart> charts;
  bool closed = false;
};

using Layout = std::vector<LayoutCategory>;

}  // namespace tblog
