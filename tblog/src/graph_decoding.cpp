#include "graph_decoding.hpp"

#include "tblog/graph.pb.h"

namespace tblog::detail {
namespace {

GraphAttribute from_attr(const pb::AttrValue& a) {
  switch (a.value_case()) {
    case pb::AttrValue::kI:
      return a.i();
    case pb::AttrValue::kF:
      return static_cast<double>(a.f());
    case pb::AttrValue::kB:
      return a.b();
    case pb::AttrValue::kS:
      return a.s();
    case pb::AttrValue::kList:
      return std::vector<std::int64_t>(a.list().i().begin(), a.list().i().end());
    default:
      return std::string();
  }
}

}  // namespace

bool decode_graph(const std::string& bytes, Graph& graph) {
  pb::GraphDef def;
  if (!def.ParseFromString(bytes)) return false;
  graph.nodes.clear();
  for (const auto& n : def.node()) {
    GraphNode& node = graph.nodes.emplace_back();
    node.name = n.name();
    node.op = n.op();
    node.inputs.assign(n.input().begin(), n.input().end());
    node.device = n.device();
    for (const auto& [name, attr] : n.attr()) {
      if (name == "_output_shapes" && attr.has_list()) {
        for (const auto& shape : attr.list().shape()) {
          auto& dims = node.output_shapes.emplace_back();
          for (const auto& d : shape.dim()) dims.push_back(d.size());
        }
      } else {
        node.attributes[name] = from_attr(attr);
      }
    }
  }
  return true;
}

bool decode_run_metadata(const pb::TaggedRunMetadata& tagged, Event& event) {
  pb::RunMetadata metadata;
  if (!metadata.ParseFromString(tagged.run_metadata())) return false;
  event.run_metadata_tag = tagged.tag();
  for (const auto& device : metadata.step_stats().dev_stats()) {
    for (const auto& n : device.node_stats()) {
      NodeStats s;
      s.node_name = n.node_name();
      s.device = device.device();
      s.start_micros = n.all_start_micros();
      s.duration_micros = n.op_end_rel_micros();
      for (const auto& m : n.memory()) s.memory_bytes += m.total_bytes();
      event.run_metadata.push_back(std::move(s));
    }
  }
  return true;
}

}  // namespace tblog::detail
