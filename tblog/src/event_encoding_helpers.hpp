// Small protobuf-building steps shared by the event encoders. Internal to tblog.
//
// No data_class is set anywhere, as TensorBoard's own summaries set none: both loaders then apply
// their per-plugin migrations (e.g. the Python loader serves only the clips of an audio [k, 2]
// tensor after migrating it; with a data_class set it skips that and serves rows).
#pragma once

#include <string>
#include <string_view>

#include "tblog/event.pb.h"

namespace tblog::detail {

inline std::string serialize(const pb::Event& event) {
  std::string out;
  event.SerializeToString(&out);
  return out;
}

inline pb::Summary::Value* new_value(pb::Event& event, std::string_view tag, std::int64_t step,
                                     double wall_time) {
  event.set_wall_time(wall_time);
  event.set_step(step);
  auto* value = event.mutable_summary()->add_value();
  value->set_tag(std::string(tag));
  return value;
}

inline void set_metadata(pb::Summary::Value* value, const char* plugin, std::string content = {}) {
  auto* metadata = value->mutable_metadata();
  metadata->mutable_plugin_data()->set_plugin_name(plugin);
  if (!content.empty()) metadata->mutable_plugin_data()->set_content(std::move(content));
  metadata->set_display_name(value->tag());
}

inline void add_dim(pb::TensorProto* tensor, std::int64_t size) {
  tensor->mutable_tensor_shape()->add_dim()->set_size(size);
}

// Raw little-endian elements (x86/ARM hosts), as TensorFlow's make_tensor_proto stores them.
template <typename T>
void set_raw_content(pb::TensorProto* tensor, const T* values, std::size_t n) {
  tensor->set_tensor_content(std::string(reinterpret_cast<const char*>(values), n * sizeof(T)));
}

// The "null tensor" TensorBoard uses for values that carry only metadata.
inline void set_null_tensor(pb::Summary::Value* value) {
  auto* tensor = value->mutable_tensor();
  tensor->set_dtype(pb::DT_FLOAT);
  add_dim(tensor, 0);
}

}  // namespace tblog::detail
