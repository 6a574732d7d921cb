#include "event_encoding_kinds.hpp"

#include <cstring>

#include "event_encoding_helpers.hpp"
#include "tblog/graph.pb.h"
#include "tblog/plugins.pb.h"

namespace tblog::detail {
namespace {

template <typename T>
void set_raw_content(pb::TensorProto* tensor, const T* values, std::size_t n) {
  // Raw little-endian elements (x86/ARM hosts), as TensorFlow's make_tensor_proto stores them.
  tensor->set_tensor_content(std::string(reinterpret_cast<const char*>(values), n * sizeof(T)));
}

void set_shape(pb::TensorShapeProto* shape, const std::vector<std::int64_t>& dims) {
  for (const std::int64_t d : dims) shape->add_dim()->set_size(d);
}

pb::AttrValue to_attr(const GraphAttribute& attribute) {
  pb::AttrValue out;
  if (const auto* i = std::get_if<std::int64_t>(&attribute)) out.set_i(*i);
  if (const auto* d = std::get_if<double>(&attribute)) out.set_f(static_cast<float>(*d));
  if (const auto* b = std::get_if<bool>(&attribute)) out.set_b(*b);
  if (const auto* s = std::get_if<std::string>(&attribute)) out.set_s(*s);
  if (const auto* list = std::get_if<std::vector<std::int64_t>>(&attribute)) {
    for (const std::int64_t i : *list) out.mutable_list()->add_i(i);
  }
  return out;
}

}  // namespace

// No data_class is set anywhere here, as TensorBoard's own summaries set none: both loaders
// then apply their per-plugin migrations (e.g. the Python loader serves only the clips of an
// audio [k, 2] tensor after migrating it; with a data_class set it skips that and serves rows).

std::string images_event(std::string_view tag, int width, int height,
                         const std::vector<std::string>& encoded, std::int64_t step,
                         double wall_time, bool with_metadata) {
  pb::Event event;
  auto* value = new_value(event, tag, step, wall_time);
  if (with_metadata) set_metadata(value, "images", pb::ImagePluginData().SerializeAsString());
  auto* tensor = value->mutable_tensor();
  tensor->set_dtype(pb::DT_STRING);
  add_dim(tensor, static_cast<std::int64_t>(encoded.size() + 2));
  tensor->add_string_val(std::to_string(width));
  tensor->add_string_val(std::to_string(height));
  for (const auto& image : encoded) tensor->add_string_val(image);
  return serialize(event);
}

std::string pr_curve_event(std::string_view tag, const PrCurveData& curve, std::int64_t step,
                           double wall_time, bool with_metadata) {
  const std::size_t n = curve.precision.size();
  pb::Event event;
  auto* value = new_value(event, tag, step, wall_time);
  if (with_metadata) {
    pb::PrCurvePluginData data;
    data.set_num_thresholds(static_cast<std::uint32_t>(n));
    set_metadata(value, "pr_curves", data.SerializeAsString());
  }
  std::vector<float> rows;
  rows.reserve(6 * n);
  for (const auto* row : {&curve.true_positives, &curve.false_positives, &curve.true_negatives,
                          &curve.false_negatives, &curve.precision, &curve.recall}) {
    for (const double x : *row) rows.push_back(static_cast<float>(x));
  }
  auto* tensor = value->mutable_tensor();
  tensor->set_dtype(pb::DT_FLOAT);
  add_dim(tensor, 6);
  add_dim(tensor, static_cast<std::int64_t>(n));
  set_raw_content(tensor, rows.data(), rows.size());
  return serialize(event);
}

std::string audio_event(std::string_view tag, const std::string& wav, std::string_view label,
                        std::int64_t step, double wall_time, bool with_metadata) {
  pb::Event event;
  auto* value = new_value(event, tag, step, wall_time);
  if (with_metadata) {
    pb::AudioPluginData data;
    data.set_encoding(pb::AudioPluginData::WAV);
    set_metadata(value, "audio", data.SerializeAsString());
  }
  auto* tensor = value->mutable_tensor();
  tensor->set_dtype(pb::DT_STRING);
  add_dim(tensor, 1);
  add_dim(tensor, 2);
  tensor->add_string_val(wav);
  tensor->add_string_val(std::string(label));
  return serialize(event);
}

std::string mesh_event(std::string_view tag, const Mesh& mesh, std::int64_t step,
                       double wall_time) {
  struct Part {
    pb::MeshPluginData::ContentType type;
    const char* suffix;
    std::size_t rows;
  };
  std::vector<Part> parts = {{pb::MeshPluginData::VERTEX, "_VERTEX", mesh.vertices.size() / 3}};
  if (!mesh.faces.empty())
    parts.push_back({pb::MeshPluginData::FACE, "_FACE", mesh.faces.size() / 3});
  if (!mesh.colors.empty())
    parts.push_back({pb::MeshPluginData::COLOR, "_COLOR", mesh.colors.size() / 3});
  std::uint32_t components = 0;
  for (const Part& part : parts) components |= 1u << part.type;

  pb::Event event;
  event.set_wall_time(wall_time);
  event.set_step(step);
  for (const Part& part : parts) {
    auto* value = event.mutable_summary()->add_value();
    value->set_tag(std::string(tag) + part.suffix);
    // Every mesh event carries its metadata: the plugin needs the part type of each value.
    pb::MeshPluginData data;
    data.set_name(std::string(tag));
    data.set_content_type(part.type);
    data.set_components(components);
    data.set_json_config(mesh.config_json);
    data.add_shape(1);
    data.add_shape(static_cast<std::int32_t>(part.rows));
    data.add_shape(3);
    set_metadata(value, "mesh", data.SerializeAsString());
    value->mutable_metadata()->set_display_name(std::string(tag));
    auto* tensor = value->mutable_tensor();
    add_dim(tensor, 1);
    add_dim(tensor, static_cast<std::int64_t>(part.rows));
    add_dim(tensor, 3);
    switch (part.type) {
      case pb::MeshPluginData::VERTEX:
        tensor->set_dtype(pb::DT_FLOAT);
        set_raw_content(tensor, mesh.vertices.data(), mesh.vertices.size());
        break;
      case pb::MeshPluginData::FACE:
        tensor->set_dtype(pb::DT_INT32);
        set_raw_content(tensor, mesh.faces.data(), mesh.faces.size());
        break;
      default:
        tensor->set_dtype(pb::DT_UINT8);
        set_raw_content(tensor, mesh.colors.data(), mesh.colors.size());
        break;
    }
  }
  return serialize(event);
}

std::string graph_event(const Graph& graph, double wall_time) {
  pb::GraphDef def;
  def.mutable_versions()->set_producer(22);  // what PyTorch's writer declares; the UI ignores it
  for (const GraphNode& node : graph.nodes) {
    auto* out = def.add_node();
    out->set_name(node.name);
    out->set_op(node.op);
    for (const auto& input : node.inputs) out->add_input(input);
    out->set_device(node.device);
    auto& attributes = *out->mutable_attr();
    for (const auto& [name, attribute] : node.attributes) attributes[name] = to_attr(attribute);
    if (!node.output_shapes.empty()) {
      auto* list = attributes["_output_shapes"].mutable_list();
      for (const auto& shape : node.output_shapes) set_shape(list->add_shape(), shape);
    }
  }
  pb::Event event;
  event.set_wall_time(wall_time);
  event.set_graph_def(def.SerializeAsString());
  return serialize(event);
}

std::string run_metadata_event(std::string_view tag, const std::vector<NodeStats>& stats,
                               std::int64_t step, double wall_time) {
  pb::RunMetadata metadata;
  auto* step_stats = metadata.mutable_step_stats();
  for (const NodeStats& s : stats) {
    pb::DeviceStepStats* device = nullptr;
    for (auto& d : *step_stats->mutable_dev_stats()) {
      if (d.device() == s.device) device = &d;
    }
    if (!device) {
      device = step_stats->add_dev_stats();
      device->set_device(s.device);
    }
    auto* node = device->add_node_stats();
    node->set_node_name(s.node_name);
    node->set_all_start_micros(s.start_micros);
    node->set_op_end_rel_micros(s.duration_micros);
    node->set_all_end_rel_micros(s.duration_micros);
    if (s.memory_bytes > 0) {
      auto* memory = node->add_memory();
      memory->set_allocator_name("cpu");
      memory->set_total_bytes(s.memory_bytes);
      memory->set_peak_bytes(s.memory_bytes);
    }
  }
  pb::Event event;
  event.set_wall_time(wall_time);
  event.set_step(step);
  event.mutable_tagged_run_metadata()->set_tag(std::string(tag));
  event.mutable_tagged_run_metadata()->set_run_metadata(metadata.SerializeAsString());
  return serialize(event);
}

}  // namespace tblog::detail
