// TensorBoard's meaning of a summary value, as its data providers see it: which plugin and data
// class a tag belongs to (legacy simple_value, histo, image and audio values get the metadata
// TensorBoard gives them; known plugin names get their data class), and each value converted to
// its data class: a float scalar, a tensor (a legacy histogram becomes TensorBoard's [k, 3]
// tensor), or a blob sequence (an image's width, height and bytes; audio clips; graphs).
// A value that does not fit its series' data class converts to nothing (data loss: left out).
// Internal to tblog-data-server.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tblog/summary.pb.h"
#include "time_series.hpp"

namespace tblog::serve {

inline constexpr const char* kRunGraphTag = "__run_graph__";  // a run's GraphDef (graph plugin)

// The metadata of a series whose first value is `value` (carrying `metadata`, or none).
pb::SummaryMetadata initial_metadata(const pb::Summary::Value& value);
// A GraphDef event's series, and a tagged RunMetadata event's.
pb::SummaryMetadata graph_metadata();
pb::SummaryMetadata tagged_run_metadata_metadata();

DataClass data_class_of(const pb::SummaryMetadata& metadata);

std::optional<float> to_scalar(const pb::Summary::Value& value);
// A serialized TensorProto.
std::optional<std::string> to_tensor(const pb::Summary::Value& value);
// `value` is moved from where it holds the blobs.
std::optional<std::vector<std::string>> to_blob_sequence(pb::Summary::Value& value,
                                                         const std::string& plugin_name);

}  // namespace tblog::serve
