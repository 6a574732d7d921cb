#include "data_compat.hpp"

#include <cstring>
#include <utility>

#include "tblog/plugins.pb.h"
#include "tblog/tensor.pb.h"

namespace tblog::serve {
namespace {

// Plugin names as TensorBoard's plugins write them (tensorboard/plugins/*/metadata.py).
constexpr const char* kScalars = "scalars";
constexpr const char* kImages = "images";
constexpr const char* kAudio = "audio";
constexpr const char* kHistograms = "histograms";
constexpr const char* kGraphs = "graphs";
constexpr const char* kGraphTaggedRunMetadata = "graph_tagged_run_metadata";
constexpr const char* kGraphRunMetadata = "graph_run_metadata";
constexpr const char* kGraphRunMetadataWithGraph = "graph_run_metadata_graph";
constexpr const char* kGraphKerasModel = "graph_keras_model";

pb::SummaryMetadata blank(const char* plugin_name, DataClass data_class, std::string content = {}) {
  pb::SummaryMetadata metadata;
  metadata.mutable_plugin_data()->set_plugin_name(plugin_name);
  metadata.mutable_plugin_data()->set_content(std::move(content));
  metadata.set_data_class(static_cast<pb::DataClass>(data_class));
  return metadata;
}

DataClass class_of_plugin(const std::string& name) {
  if (name == kScalars) return DataClass::kScalar;
  for (const char* tensor_plugin :
       {kHistograms, "text", "hparams", "pr_curves", "mesh", "custom_scalars"}) {
    if (name == tensor_plugin) return DataClass::kTensor;
  }
  for (const char* blob_plugin :
       {kImages, kAudio, kGraphRunMetadata, kGraphRunMetadataWithGraph, kGraphKerasModel}) {
    if (name == blob_plugin) return DataClass::kBlobSequence;
  }
  return DataClass::kUnknown;
}

bool is_rank_zero(const pb::TensorProto& tensor) {
  return !tensor.has_tensor_shape() || tensor.tensor_shape().dim_size() == 0;
}

void append_le_double(std::string& out, double value) {
  char bytes[sizeof value];
  std::memcpy(bytes, &value, sizeof value);  // x86-64 and aarch64 are little-endian
  out.append(bytes, sizeof bytes);
}

}  // namespace

pb::SummaryMetadata initial_metadata(const pb::Summary::Value& value) {
  if (value.has_metadata() && value.metadata().data_class() != pb::DATA_CLASS_UNKNOWN) {
    return value.metadata();  // metadata that names its data class is taken as it is
  }
  switch (value.value_case()) {
    case pb::Summary::Value::kSimpleValue:
      return blank(kScalars, DataClass::kScalar);
    case pb::Summary::Value::kImage: {
      pb::ImagePluginData content;
      content.set_converted_to_tensor(true);
      return blank(kImages, DataClass::kBlobSequence, content.SerializeAsString());
    }
    case pb::Summary::Value::kAudio: {
      pb::AudioPluginData content;
      content.set_converted_to_tensor(true);
      return blank(kAudio, DataClass::kBlobSequence, content.SerializeAsString());
    }
    case pb::Summary::Value::kHisto:
      return blank(kHistograms, DataClass::kTensor);
    default:
      break;
  }
  if (!value.has_metadata()) return {};
  pb::SummaryMetadata metadata = value.metadata();
  metadata.set_data_class(
      static_cast<pb::DataClass>(class_of_plugin(metadata.plugin_data().plugin_name())));
  return metadata;
}

pb::SummaryMetadata graph_metadata() {
  return blank(kGraphs, DataClass::kBlobSequence);
}

pb::SummaryMetadata tagged_run_metadata_metadata() {
  return blank(kGraphTaggedRunMetadata, DataClass::kBlobSequence);
}

DataClass data_class_of(const pb::SummaryMetadata& metadata) {
  switch (metadata.data_class()) {
    case pb::DATA_CLASS_SCALAR:
      return DataClass::kScalar;
    case pb::DATA_CLASS_TENSOR:
      return DataClass::kTensor;
    case pb::DATA_CLASS_BLOB_SEQUENCE:
      return DataClass::kBlobSequence;
    default:
      return DataClass::kUnknown;
  }
}

// A simple_value, or a rank-0 float32 tensor holding exactly one value (as TensorBoard reads it).
std::optional<float> to_scalar(const pb::Summary::Value& value) {
  if (value.value_case() == pb::Summary::Value::kSimpleValue) return value.simple_value();
  if (value.value_case() != pb::Summary::Value::kTensor) return std::nullopt;
  const pb::TensorProto& tensor = value.tensor();
  if (!is_rank_zero(tensor) || tensor.dtype() != pb::DT_FLOAT) return std::nullopt;
  if (tensor.float_val_size() > 0) {
    if (tensor.float_val_size() != 1) return std::nullopt;
    return tensor.float_val(0);
  }
  if (tensor.tensor_content().size() != sizeof(float)) return std::nullopt;
  float f;
  std::memcpy(&f, tensor.tensor_content().data(), sizeof f);
  return f;
}

std::optional<std::string> to_tensor(const pb::Summary::Value& value) {
  if (value.value_case() == pb::Summary::Value::kTensor) return value.tensor().SerializeAsString();
  if (value.value_case() != pb::Summary::Value::kHisto) return std::nullopt;
  // A legacy histogram as TensorBoard converts it: rows (left, right, count), the first left
  // edge the histogram's min and the last right edge its max (not -DBL_MAX and the last limit).
  const pb::HistogramProto& histo = value.histo();
  const int buckets = histo.bucket_size();
  if (buckets != histo.bucket_limit_size()) return std::nullopt;
  pb::TensorProto tensor;
  tensor.set_dtype(pb::DT_DOUBLE);
  tensor.mutable_tensor_shape()->add_dim()->set_size(buckets);
  tensor.mutable_tensor_shape()->add_dim()->set_size(3);
  std::string content;
  content.reserve(static_cast<std::size_t>(buckets) * 3 * sizeof(double));
  for (int i = 0; i < buckets; ++i) {
    append_le_double(content, i == 0 ? histo.min() : histo.bucket_limit(i - 1));
    append_le_double(content, i == buckets - 1 ? histo.max() : histo.bucket_limit(i));
    append_le_double(content, histo.bucket(i));
  }
  tensor.set_tensor_content(std::move(content));
  return tensor.SerializeAsString();
}

std::optional<std::vector<std::string>> to_blob_sequence(pb::Summary::Value& value,
                                                         const std::string& plugin_name) {
  switch (value.value_case()) {
    case pb::Summary::Value::kImage: {
      pb::Summary::Image& image = *value.mutable_image();
      return std::vector<std::string>{std::to_string(image.width()), std::to_string(image.height()),
                                      std::move(*image.mutable_encoded_image_string())};
    }
    case pb::Summary::Value::kAudio:
      return std::vector<std::string>{
          std::move(*value.mutable_audio()->mutable_encoded_audio_string())};
    case pb::Summary::Value::kTensor:
      break;
    default:
      return std::nullopt;
  }
  pb::TensorProto& tensor = *value.mutable_tensor();
  if (tensor.dtype() != pb::DT_STRING) return std::nullopt;
  const auto& dims = tensor.tensor_shape().dim();
  auto& strings = *tensor.mutable_string_val();
  std::vector<std::string> blobs;
  if (dims.size() == 1) {
    blobs.reserve(static_cast<std::size_t>(strings.size()));
    for (std::string& s : strings) blobs.push_back(std::move(s));
    return blobs;
  }
  if (dims.size() == 2 && dims[1].size() == 2 && plugin_name == kAudio) {
    // [k, 2]: clips and their labels; the labels are left out, as TensorBoard does.
    for (int i = 0; i + 1 < strings.size(); i += 2) blobs.push_back(std::move(strings[i]));
    return blobs;
  }
  if (dims.empty() && strings.size() == 1 &&
      (plugin_name == kGraphRunMetadata || plugin_name == kGraphRunMetadataWithGraph ||
       plugin_name == kGraphKerasModel)) {
    blobs.push_back(std::move(strings[0]));
    return blobs;
  }
  return std::nullopt;
}

}  // namespace tblog::serve
