#include "event_decoding.hpp"

#include <cstring>

#include "tblog/event.pb.h"

namespace tblog::detail {
namespace {

// Element i of a tensor stored either as raw little-endian `T`s in tensor_content or in the
// typed *_val field; a single typed value broadcasts, as in TensorBoard's make_ndarray.
template <typename T, typename Repeated>
double element(const std::string& raw, const Repeated& typed, int i) {
  if (!raw.empty()) {
    T v{};
    if (raw.size() >= (i + 1) * sizeof v) std::memcpy(&v, raw.data() + i * sizeof v, sizeof v);
    return static_cast<double>(v);
  }
  if (typed.empty()) return 0;
  return static_cast<double>(typed.Get(typed.size() == 1 ? 0 : i));
}

double tensor_number(const pb::TensorProto& t, int i) {
  const std::string& raw = t.tensor_content();
  switch (t.dtype()) {
    case pb::DT_FLOAT:
      return element<float>(raw, t.float_val(), i);
    case pb::DT_DOUBLE:
      return element<double>(raw, t.double_val(), i);
    case pb::DT_INT32:
      return element<std::int32_t>(raw, t.int_val(), i);
    case pb::DT_INT64:
      return element<std::int64_t>(raw, t.int64_val(), i);
    default:
      return 0;
  }
}

int element_count(const pb::TensorProto& t) {
  long long n = 1;
  for (const auto& d : t.tensor_shape().dim()) n *= d.size();
  return static_cast<int>(n);
}

void decode_legacy_histogram(const pb::HistogramProto& h, SummaryValue& v) {
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
  return ValueKind::kOther;
}

void decode_tensor(const pb::TensorProto& t, SummaryValue& v) {
  switch (v.kind) {
    case ValueKind::kScalar:
      v.scalar = tensor_number(t, 0);
      break;
    case ValueKind::kHistogram: {
      const int rows = element_count(t) / 3;
      for (int r = 0; r < rows; ++r) {
        v.histogram.push_back(
            {tensor_number(t, 3 * r), tensor_number(t, 3 * r + 1), tensor_number(t, 3 * r + 2)});
      }
      break;
    }
    case ValueKind::kImage:
      if (t.string_val_size() >= 2) {
        v.image_width = std::atoi(t.string_val(0).c_str());
        v.image_height = std::atoi(t.string_val(1).c_str());
        for (int i = 2; i < t.string_val_size(); ++i) v.images.push_back(t.string_val(i));
      }
      break;
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

}  // namespace

bool decode_event(const std::string& payload, std::map<std::string, std::string>& plugin_of_tag,
                  Event& event) {
  pb::Event e;
  if (!e.ParseFromString(payload)) return false;
  event = Event{};
  event.wall_time = e.wall_time();
  event.step = e.step();
  if (e.has_file_version()) event.file_version = e.file_version();
  if (e.has_session_log()) event.session_log_status = e.session_log().status();
  if (!e.has_summary()) return true;
  for (const auto& value : e.summary().value()) {
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
    event.values.push_back(std::move(v));
  }
  return true;
}

}  // namespace tblog::detail
