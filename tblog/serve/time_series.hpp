// What the data server holds of a logdir: runs, each a set of tags, each tag one time series of
// one data class (scalar, tensor or blob sequence, as TensorBoard's data providers see them),
// its summary metadata (from the tag's first value) and a reservoir of its points.
// Internal to tblog-data-server.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <variant>
#include <vector>

#include "reservoir.hpp"
#include "tblog/summary.pb.h"

namespace tblog::serve {

enum class DataClass { kUnknown = 0, kScalar = 1, kTensor = 2, kBlobSequence = 3 };

// Packed to 20 bytes (from 24): a 300-run logdir keeps 6 million of them. x86-64 and aarch64
// read the 4-aligned 8-byte fields at full speed.
#pragma pack(push, 4)
struct ScalarPoint {
  std::int64_t step;
  double wall_time;
  float value;  // TensorBoard keeps scalars as float32
};
#pragma pack(pop)
static_assert(sizeof(ScalarPoint) == 20);
struct TensorPoint {
  std::int64_t step;
  double wall_time;
  std::string tensor;  // a serialized TensorProto: smaller than the message, parsed when read
};
struct BlobSequencePoint {
  std::int64_t step;
  double wall_time;
  std::vector<std::string> blobs;
};

using ScalarReservoir = Reservoir<ScalarPoint>;
using TensorReservoir = Reservoir<TensorPoint>;
using BlobSequenceReservoir = Reservoir<BlobSequencePoint>;

struct TimeSeries {
  pb::SummaryMetadata metadata;  // as TensorBoard's data_compat completes the first value's
  std::string plugin_name;       // metadata.plugin_data.plugin_name
  DataClass data_class = DataClass::kUnknown;
  // Empty (monostate) for a data class TensorBoard does not serve: nothing of it is kept.
  std::variant<std::monostate, ScalarReservoir, TensorReservoir, BlobSequenceReservoir> points;
};

// One run's data, read by the service under a shared lock and updated by the loader under an
// exclusive one.
struct RunData {
  mutable std::shared_mutex mutex;
  std::optional<double> start_time;          // the earliest wall time of any event
  std::map<std::string, TimeSeries, std::less<>> series;  // by tag, in byte order
};

}  // namespace tblog::serve
