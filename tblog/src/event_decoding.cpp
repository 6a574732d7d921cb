#include "event_decoding.hpp"

#include "graph_decoding.hpp"
#include "kinds/kind_codec.hpp"
#include "scalar_decoding.hpp"
#include "tblog/event.pb.h"

namespace tblog::detail {
namespace {

// What every kind shares: the tag, the metadata, the plugin (legacy values name theirs; a tensor
// without metadata inherits its tag's first plugin in the file). The kind decodes the rest.
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
  const KindCodec& codec = codec_for_plugin(v.plugin);
  v.kind = codec.kind;
  codec.decode(value, v);
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
