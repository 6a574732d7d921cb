// The graphs plugin: add_graph (Event.graph_def, a GraphDef whose nodes carry their output shapes
// as the "_output_shapes" attribute) and add_run_metadata (Event.tagged_run_metadata: per-node
// timing and memory of one step), their checks and their events.
#include <unordered_set>
#include <utility>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "event_encoding_helpers.hpp"
#include "summary_writer_impl.hpp"
#include "tblog/error.hpp"
#include "tblog/graph.pb.h"
#include "wall_clock.hpp"

namespace tblog {
namespace {

// An input names a node, optionally as "^node" (control edge) or "node:k" (its k-th output).
std::string_view node_of_input(std::string_view input) {
  if (!input.empty() && input.front() == '^') input.remove_prefix(1);
  const auto colon = input.rfind(':');
  if (colon != std::string_view::npos && colon + 1 < input.size() &&
      input.find_first_not_of("0123456789", colon + 1) == std::string_view::npos) {
    input = input.substr(0, colon);
  }
  return input;
}

void check_graph(const Graph& graph, const std::string& what) {
  if (graph.nodes.empty()) throw InvalidArgument(what + ": the graph has no nodes");
  std::unordered_set<std::string_view> names;
  for (const GraphNode& node : graph.nodes) {
    if (node.name.empty()) throw InvalidArgument(what + ": a node has an empty name");
    if (node.op.empty()) throw InvalidArgument(what + ": node '" + node.name + "' has no op");
    if (!names.insert(node.name).second)
      throw InvalidArgument(what + ": two nodes are named '" + node.name + "'");
  }
  for (const GraphNode& node : graph.nodes) {
    for (const auto& input : node.inputs) {
      if (!names.count(node_of_input(input))) {
        std::string message = what;
        message.append(": node '").append(node.name).append("' has input '").append(input);
        throw InvalidArgument(message.append("', which names no node"));
      }
    }
  }
}

void check_node_stats(const std::vector<NodeStats>& stats, const std::string& what) {
  if (stats.empty()) throw InvalidArgument(what + ": no node statistics");
  for (const NodeStats& s : stats) {
    if (s.node_name.empty()) throw InvalidArgument(what + ": a node statistic has no node name");
    if (s.duration_micros < 0 || s.memory_bytes < 0)
      throw InvalidArgument(what + ": node '" + s.node_name + "' has a negative time or memory");
  }
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
      for (const auto& shape : node.output_shapes) {
        auto* dims = list->add_shape();
        for (const std::int64_t d : shape) dims->add_dim()->set_size(d);
      }
    }
  }
  // Deterministically: protobuf writes a map's entries (the attributes) in its hash table's
  // order otherwise, which differs from process to process, and the same model would give
  // different bytes in every run.
  std::string graph_def;
  {
    google::protobuf::io::StringOutputStream stream(&graph_def);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    def.SerializeToCodedStream(&coded);
  }
  pb::Event event;
  event.set_wall_time(wall_time);
  event.set_graph_def(std::move(graph_def));
  return detail::serialize(event);
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
  return detail::serialize(event);
}

}  // namespace

void SummaryWriter::add_graph(const Graph& graph) {
  check_graph(graph, "add_graph");
  impl_->add_prebuilt("__graph__", graph_event(graph, detail::now_seconds()), "add_graph");
}

void SummaryWriter::add_run_metadata(std::string_view tag, std::vector<NodeStats> stats,
                                     std::int64_t step) {
  detail::check_tag(tag, "add_run_metadata");
  check_node_stats(stats, detail::call_name("add_run_metadata", tag));
  const double wt = detail::now_seconds();
  auto encode = [stats = std::move(stats), step, wt](const std::string& stored_tag, bool) {
    return run_metadata_event(stored_tag, stats, step, wt);
  };
  impl_->add_deferred({std::string(tag), std::move(encode)}, 64, "add_run_metadata",
                      "graph_tagged_run_metadata");
}

}  // namespace tblog
