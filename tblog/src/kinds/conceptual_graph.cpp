// The conceptual graph (plugin graph_keras_model): add_conceptual_graph writes a model's layers as
// the Keras model description TensorBoard's GRAPHS dashboard draws (a rank-0 string tensor of
// JSON, plugin content "1", as TensorFlow's keras_model summary writes it), and reading it back.
//
// The JSON is the subset TensorBoard's keras_util reads: nested {"class_name", "config": {"name",
// "dtype", "layers"}}, and a layer's explicit inputs as Keras 3's "inbound_nodes" (args whose
// keras_history names the feeding layer). Layers without inbound nodes chain in walk order.
#include <unordered_map>

#include "event_encoding_helpers.hpp"
#include "kind_codec.hpp"
#include "summary_writer_impl.hpp"
#include "tblog/error.hpp"
#include "tblog/text.hpp"

namespace tblog {
namespace {

constexpr const char* kPlugin = "graph_keras_model";
constexpr const char* kVersion = "1";  // the only version TensorBoard's graphs plugin reads

bool is_model(const ModelLayer& layer) {
  return !layer.layers.empty();
}

// TensorBoard draws an input that names a model as an edge from the model's last layer; a model
// ending in a model would leave that edge pointing at a scope, so such an input is refused.
void check_input_target(const ModelLayer& target, const ModelLayer& reader,
                        const std::string& what) {
  if (is_model(target) && is_model(target.layers.back())) {
    throw InvalidArgument(what + ": layer '" + reader.name + "' reads model '" + target.name +
                          "', whose last layer is a model, not one layer");
  }
}

void check_model(const ModelLayer& model, const std::string& what) {
  std::unordered_map<std::string_view, const ModelLayer*> earlier;
  for (const ModelLayer& layer : model.layers) {
    if (layer.name.empty())
      throw InvalidArgument(what + ": a layer of '" + model.name + "' has an empty name");
    if (layer.name.find('/') != std::string::npos)
      throw InvalidArgument(what + ": layer name '" + layer.name + "' holds '/'");
    if (is_model(layer) && layer.inputs.size() > 1)
      throw InvalidArgument(what + ": model '" + layer.name + "' has " +
                            std::to_string(layer.inputs.size()) + " inputs; a model takes one");
    for (const std::string& input : layer.inputs) {
      const auto found = earlier.find(input);
      if (found == earlier.end()) {
        std::string message = what;
        message.append(": layer '").append(layer.name).append("' has input '").append(input);
        throw InvalidArgument(
            message.append("', which names no earlier layer of '").append(model.name).append("'"));
      }
      if (is_model(layer) && is_model(*found->second)) {
        std::string message = what;
        message.append(": model '").append(layer.name).append("' reads model '").append(input);
        throw InvalidArgument(message.append("'; a model's input names a layer"));
      }
      check_input_target(*found->second, layer, what);
    }
    if (!earlier.emplace(layer.name, &layer).second)
      throw InvalidArgument(what + ": two layers of '" + model.name + "' are named '" + layer.name +
                            "'");
    if (is_model(layer)) check_model(layer, what);
  }
}

void check_root(const ModelLayer& model, const std::string& what) {
  if (model.name.empty()) throw InvalidArgument(what + ": the model has an empty name");
  if (model.name.find('/') != std::string::npos)
    throw InvalidArgument(what + ": model name '" + model.name + "' holds '/'");
  if (!is_model(model)) throw InvalidArgument(what + ": model '" + model.name + "' has no layers");
  // Nothing precedes the root: TensorBoard would draw an edge from a node that is not there.
  if (!model.inputs.empty())
    throw InvalidArgument(what + ": model '" + model.name + "' is the root and reads no inputs");
  check_model(model, what);
}

void append_layer_json(const ModelLayer& layer, std::string& out) {
  const bool model = is_model(layer);
  out += "{\"class_name\":";
  out += json_quoted(model && layer.class_name.empty() ? "Sequential" : layer.class_name);
  out += ",\"config\":{\"name\":";
  out += json_quoted(layer.name);
  if (!layer.dtype.empty()) out += ",\"dtype\":" + json_quoted(layer.dtype);
  if (model) {
    out += ",\"layers\":[";
    for (std::size_t i = 0; i < layer.layers.size(); ++i) {
      if (i) out += ',';
      append_layer_json(layer.layers[i], out);
    }
    out += ']';
  }
  out += '}';
  if (!layer.inputs.empty()) {
    out += ",\"inbound_nodes\":[{\"args\":[";
    for (std::size_t i = 0; i < layer.inputs.size(); ++i) {
      if (i) out += ',';
      out += "{\"config\":{\"keras_history\":[" + json_quoted(layer.inputs[i]) + ",0,0]}}";
    }
    out += "]}]";
  }
  out += '}';
}

std::string conceptual_graph_event(std::string_view tag, const std::string& json, std::int64_t step,
                                   double wall_time, bool with_metadata) {
  pb::Event event;
  auto* value = detail::new_value(event, tag, step, wall_time);
  // TensorBoard's graphs plugin reads the version from the series' first metadata.
  if (with_metadata) detail::set_metadata(value, kPlugin, kVersion);
  auto* tensor = value->mutable_tensor();
  tensor->set_dtype(pb::DT_STRING);
  tensor->mutable_tensor_shape();  // rank 0: one JSON document
  tensor->add_string_val(json);
  return detail::serialize(event);
}

}  // namespace

void SummaryWriter::add_conceptual_graph(std::string_view tag, const ModelLayer& model,
                                         std::int64_t step, std::optional<double> wall_time) {
  detail::check_tag(tag, "add_conceptual_graph");
  check_root(model, detail::call_name("add_conceptual_graph", tag));
  const double wt = detail::resolve_wall_time(wall_time, "add_conceptual_graph");
  std::string json;
  append_layer_json(model, json);
  const std::size_t bytes = json.size();
  auto encode = [json = std::move(json), step, wt](const std::string& stored_tag, bool first) {
    return conceptual_graph_event(stored_tag, json, step, wt, first);
  };
  impl_->add_deferred({std::string(tag), std::move(encode)}, bytes, "add_conceptual_graph",
                      kPlugin);
}

}  // namespace tblog

// Reading: the one JSON document, as a one-blob sequence (TensorBoard's data class for it), from a
// rank-0 tensor (TensorFlow's form) or a rank-1 tensor of one string (after TensorBoard's
// migration).
namespace tblog::detail {
namespace {

void decode_conceptual_graph(const pb::Summary::Value& value, SummaryValue& v) {
  if (value.value_case() != pb::Summary::Value::kTensor) return;
  SummaryTensor tensor = decode_summary_tensor(value.tensor(), v);
  const bool one_string = tensor.dtype == SummaryTensor::DType::kString &&
                          tensor.strings.size() == 1 &&
                          (tensor.shape.empty() || tensor.shape == std::vector<std::int64_t>{1});
  if (!one_string) inconsistent(v, "conceptual graph tensor is not one string");
  v.data = BlobSequence{{std::move(tensor.strings.front())}};
}

std::string_view model_json(const SummaryValue& v) {
  return v.blobs() && !v.blobs()->blobs.empty() ? std::string_view(v.blobs()->blobs.front())
                                                : std::string_view();
}

std::string describe_conceptual_graph(const SummaryValue& v) {
  return "conceptual_graph (Keras model JSON, " + std::to_string(model_json(v).size()) + " bytes)";
}

std::string describe_conceptual_graph_json(const SummaryValue& v) {
  return ",\"model_json\":" + json_quoted(model_json(v));
}

}  // namespace

extern const KindCodec kConceptualGraphCodec{kPlugin,
                                             ValueKind::kConceptualGraph,
                                             "conceptual_graph",
                                             decode_conceptual_graph,
                                             describe_conceptual_graph,
                                             describe_conceptual_graph_json};

}  // namespace tblog::detail
