#include "event_decoding.hpp"

#include <cstring>
#include <limits>
#include <optional>

#include "graph_decoding.hpp"
#include "numeric_tensor.hpp"
#include "scalar_decoding.hpp"
#include "tblog/event.pb.h"
#include "tblog/plugins.pb.h"

namespace tblog::detail {
namespace {

void decode_legacy_histogram(const pb::HistogramProto& h, SummaryValue& v) {
  if (h.bucket_limit_size() != h.bucket_size()) {
    inconsistent(v, "histogram with " + std::to_string(h.bucket_size()) + " buckets but " +
                        std::to_string(h.bucket_limit_size()) + " bucket limits");
  }
  // As TensorBoard converts it: drop empty buckets at both ends; the outer edges are min/max.
  int first = 0, last = h.bucket_size() - 1;
  while (first <= last && h.bucket(first) == 0) ++first;
  while (last >= first && h.bucket(last) == 0) --last;
  for (int i = first; i <= last; ++i) {
    const double left = i == first ? h.min() : h.bucket_limit(i - 1);
    const double right = i == last ? h.max() : h.bucket_limit(i);
    v.histogram.push_back({left, right, h.bucket(i)});
  }
}

ValueKind kind_of_plugin(const std::string& plugin) {
  if (plugin == "scalars") return ValueKind::kScalar;
  if (plugin == "histograms") return ValueKind::kHistogram;
  if (plugin == "images") return ValueKind::kImage;
  if (plugin == "text") return ValueKind::kText;
  if (plugin == "hparams") return ValueKind::kHParams;
  if (plugin == "custom_scalars") return ValueKind::kCustomScalars;
  if (plugin == "pr_curves") return ValueKind::kPrCurve;
  if (plugin == "audio") return ValueKind::kAudio;
  if (plugin == "mesh") return ValueKind::kMesh;
  return ValueKind::kOther;
}

std::optional<int> parse_dimension(const std::string& s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  int n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

void decode_tensor(const pb::TensorProto& t, SummaryValue& v) {
  switch (v.kind) {
    case ValueKind::kScalar: {
      const NumericTensor n(t, v);
      if (n.count() != 1)
        inconsistent(v, "scalar tensor with " + std::to_string(n.count()) + " values");
      v.scalar = n.at(0);
      break;
    }
    case ValueKind::kHistogram: {
      const NumericTensor n(t, v);
      const auto& shape = n.shape();
      const bool rows_of_three = shape.dim_size() == 2 && shape.dim(1).size() == 3;
      if (n.count() != 0 && !rows_of_three)
        inconsistent(v, "histogram tensor is not of shape [k, 3]");
      if (!n.fully_stored()) inconsistent(v, "histogram tensor stores one value for many");
      v.histogram.reserve(n.count() / 3);  // backed by bytes present (fully_stored)
      for (std::uint64_t r = 0; r < n.count() / 3; ++r)
        v.histogram.push_back({n.at(3 * r), n.at(3 * r + 1), n.at(3 * r + 2)});
      break;
    }
    case ValueKind::kImage: {
      if (t.string_val_size() < 2) inconsistent(v, "image tensor without width and height");
      const auto width = parse_dimension(t.string_val(0));
      const auto height = parse_dimension(t.string_val(1));
      if (!width || !height) inconsistent(v, "image width/height are not numbers");
      v.image_width = *width;
      v.image_height = *height;
      for (int i = 2; i < t.string_val_size(); ++i) v.images.push_back(t.string_val(i));
      break;
    }
    case ValueKind::kPrCurve:
    case ValueKind::kMesh: {
      const NumericTensor n(t, v);
      if (!n.fully_stored()) inconsistent(v, "tensor stores one value for many");
      const auto& shape = n.shape();
      const bool pr_rows = shape.dim_size() == 2 && shape.dim(0).size() == 6;
      const bool triples = shape.dim_size() == 3 && shape.dim(2).size() == 3;
      if (v.kind == ValueKind::kPrCurve ? !pr_rows : !triples)
        inconsistent(v, v.kind == ValueKind::kPrCurve ? "PR curve tensor is not of shape [6, n]"
                                                      : "mesh tensor is not of shape [b, n, 3]");
      for (const auto& d : shape.dim()) v.tensor_shape.push_back(d.size());
      v.tensor.reserve(n.count());  // backed by bytes present (fully_stored)
      for (std::uint64_t i = 0; i < n.count(); ++i) v.tensor.push_back(n.at(i));
      break;
    }
    case ValueKind::kAudio: {
      // [k, 2]: (clip, label) pairs; TensorBoard's older [k] form has clips only.
      const auto& shape = t.tensor_shape();
      const bool pairs = shape.dim_size() == 2 && shape.dim(1).size() == 2;
      for (int i = 0; i < t.string_val_size(); i += pairs ? 2 : 1) {
        v.audio.push_back(t.string_val(i));
        v.audio_labels.push_back(pairs && i + 1 < t.string_val_size() ? t.string_val(i + 1) : "");
      }
      break;
    }
    case ValueKind::kText:
    case ValueKind::kCustomScalars:
      for (int i = 0; i < t.string_val_size(); ++i) {
        if (i) v.text += '\n';
        v.text += t.string_val(i);
      }
      break;
    default:
      break;
  }
}

// The mesh and part a value holds: from its metadata when present, else from the tag's suffix.
void name_mesh_part(SummaryValue& v) {
  pb::MeshPluginData data;
  if (v.has_metadata && data.ParseFromString(v.plugin_content) && !data.name().empty()) {
    v.mesh_name = data.name();
    v.mesh_part = pb::MeshPluginData::ContentType_Name(data.content_type());
    return;
  }
  for (const char* part : {"VERTEX", "FACE", "COLOR"}) {
    const std::string suffix = std::string("_") + part;
    if (v.tag.size() > suffix.size() &&
        v.tag.compare(v.tag.size() - suffix.size(), suffix.size(), suffix) == 0) {
      v.mesh_name = v.tag.substr(0, v.tag.size() - suffix.size());
      v.mesh_part = part;
    }
  }
}

SummaryValue decode_value(const pb::Summary::Value& value,
                          std::map<std::string, std::string>& plugin_of_tag) {
  SummaryValue v;
  v.tag = value.tag().empty() ? value.node_name() : value.tag();
  if (value.has_metadata()) {
    v.has_metadata = true;
    v.plugin = value.metadata().plugin_data().plugin_name();
    v.plugin_content = value.metadata().plugin_data().content();
  }
  switch (value.value_case()) {
    case pb::Summary::Value::kSimpleValue:
      v.plugin = "scalars";
      v.scalar = value.simple_value();
      break;
    case pb::Summary::Value::kHisto:
      v.plugin = "histograms";
      break;
    case pb::Summary::Value::kImage:
      v.plugin = "images";
      break;
    default:
      break;
  }
  if (v.plugin.empty()) {
    auto it = plugin_of_tag.find(v.tag);
    if (it != plugin_of_tag.end()) v.plugin = it->second;
  } else {
    plugin_of_tag.emplace(v.tag, v.plugin);
  }
  v.kind = kind_of_plugin(v.plugin);
  if (v.kind == ValueKind::kMesh) name_mesh_part(v);
  switch (value.value_case()) {
    case pb::Summary::Value::kHisto:
      decode_legacy_histogram(value.histo(), v);
      break;
    case pb::Summary::Value::kImage:
      v.image_width = value.image().width();
      v.image_height = value.image().height();
      v.images.push_back(value.image().encoded_image_string());
      break;
    case pb::Summary::Value::kTensor:
      decode_tensor(value.tensor(), v);
      break;
    default:
      break;
  }
  return v;
}

}  // namespace

std::string decode_event(const std::string& payload,
                         std::map<std::string, std::string>& plugin_of_tag, Event& event) {
  // One parse target per thread, reused: Clear() (inside ParseFromString) keeps the memory of its
  // sub-messages and strings, so reading a file does not allocate them anew for every event.
  if (decode_scalar_event(payload, event)) {
    // The same memory of plugins as the full path keeps (a scalar's plugin is "scalars").
    for (const auto& v : event.values) {
      if (plugin_of_tag.find(v.tag) == plugin_of_tag.end()) plugin_of_tag.emplace(v.tag, v.plugin);
    }
    return {};
  }
  thread_local pb::Event e;
  if (!e.ParseFromString(payload)) return "record is not a valid Event";
  // Reset field by field: values.clear() keeps the vector's capacity across events.
  event.values.clear();
  clear_event_fields(event);
  event.wall_time = e.wall_time();
  event.step = e.step();
  if (e.has_file_version()) event.file_version = e.file_version();
  if (e.has_session_log()) event.session_log_status = e.session_log().status();
  if (e.has_graph_def()) {
    if (!decode_graph(e.graph_def(), event.graph)) return "graph_def is not a valid GraphDef";
    event.has_graph = true;
  }
  if (e.has_tagged_run_metadata() && !decode_run_metadata(e.tagged_run_metadata(), event))
    return "tagged_run_metadata is not a valid RunMetadata";
  if (!e.has_summary()) return {};
  try {
    for (const auto& value : e.summary().value())
      event.values.push_back(decode_value(value, plugin_of_tag));
  } catch (const Inconsistent& bad) {
    event.values.clear();
    return "inconsistent summary: " + bad.why;
  }
  return {};
}

}  // namespace tblog::detail
