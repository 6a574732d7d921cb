/// @file
/// A summary's tensor without protobuf, as the reader gives it back (SummaryValue::data) and as
/// SummaryWriter::add_summary takes it: the primitive under every kind, for a plugin tblog has
/// no add_* call for.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tblog {

/// A tensor as TensorBoard stores one in a summary: numbers for numeric dtypes (held as double,
/// written in `dtype`), strings for string tensors; row-major, `shape` empty for rank 0.
struct SummaryTensor {
  enum class DType { kFloat, kDouble, kInt32, kInt64, kUInt8, kString };
  DType dtype = DType::kFloat;
  std::vector<std::int64_t> shape;
  std::vector<double> numbers;       ///< numeric dtypes
  std::vector<std::string> strings;  ///< kString
};

/// Any plugin's summary: the plugin's name and content (TensorBoard's
/// SummaryMetadata.plugin_data, e.g. a serialized proto of the plugin's own), and its tensor.
struct PluginSummary {
  std::string plugin_name;
  std::string content;
  SummaryTensor tensor;
};

}  // namespace tblog
