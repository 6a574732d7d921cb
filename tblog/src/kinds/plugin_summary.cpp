// add_summary: any plugin's summary (name, content, tensor), checked and encoded like the kinds'
// own: the plugin data on the tag's first value in each file, the tensor as written.
#include <cmath>

#include "event_encoding_helpers.hpp"
#include "summary_writer_impl.hpp"
#include "tblog/error.hpp"
#include "tblog/text.hpp"

namespace tblog {
namespace {

void check_summary(const PluginSummary& summary, const std::string& what) {
  if (summary.plugin_name.empty()) throw InvalidArgument(what + ": no plugin name");
  std::uint64_t count = 1;
  for (const std::int64_t d : summary.tensor.shape) {
    if (d < 0) throw InvalidArgument(what + ": a dimension of size " + std::to_string(d));
    // A product past what any vector holds cannot match the values given.
    count = d != 0 && count > (std::uint64_t(1) << 62) / static_cast<std::uint64_t>(d)
                ? std::uint64_t(1) << 62
                : count * static_cast<std::uint64_t>(d);
  }
  const bool strings = summary.tensor.dtype == SummaryTensor::DType::kString;
  const std::size_t given = strings ? summary.tensor.strings.size() : summary.tensor.numbers.size();
  if (count != given) {
    throw InvalidArgument(what + ": the shape holds " + std::to_string(count) + " elements but " +
                          std::to_string(given) + (strings ? " strings" : " numbers") +
                          " are given");
  }
  // Integers are given as doubles: each must be one the dtype holds (a cast would be undefined).
  double low = 0, high = 0;
  switch (summary.tensor.dtype) {
    case SummaryTensor::DType::kInt32:
      low = -2147483648.0, high = 2147483647.0;
      break;
    case SummaryTensor::DType::kInt64:
      low = -9223372036854775808.0, high = 9223372036854774784.0;  // the doubles an int64 holds
      break;
    case SummaryTensor::DType::kUInt8:
      low = 0, high = 255;
      break;
    default:
      return;
  }
  for (std::size_t i = 0; i < summary.tensor.numbers.size(); ++i) {
    const double x = summary.tensor.numbers[i];
    if (!(x >= low && x <= high) || std::trunc(x) != x)
      throw InvalidArgument(what + ": element " + std::to_string(i) + " (" + number_text(x) +
                            ") is not an integer its dtype holds");
  }
}

template <typename T>
void put_numbers(pb::TensorProto* tensor, const std::vector<double>& numbers) {
  std::vector<T> raw(numbers.begin(), numbers.end());
  detail::set_raw_content(tensor, raw.data(), raw.size());
}

std::string summary_event(std::string_view tag, const PluginSummary& summary, std::int64_t step,
                          double wall_time, bool with_metadata) {
  pb::Event event;
  auto* value = detail::new_value(event, tag, step, wall_time);
  if (with_metadata) detail::set_metadata(value, summary.plugin_name.c_str(), summary.content);
  auto* tensor = value->mutable_tensor();
  tensor->mutable_tensor_shape();  // present even for rank 0
  for (const std::int64_t d : summary.tensor.shape) detail::add_dim(tensor, d);
  const std::vector<double>& n = summary.tensor.numbers;
  switch (summary.tensor.dtype) {
    case SummaryTensor::DType::kString:
      tensor->set_dtype(pb::DT_STRING);
      for (const std::string& s : summary.tensor.strings) tensor->add_string_val(s);
      break;
    case SummaryTensor::DType::kDouble:
      tensor->set_dtype(pb::DT_DOUBLE);
      put_numbers<double>(tensor, n);
      break;
    case SummaryTensor::DType::kInt32:
      tensor->set_dtype(pb::DT_INT32);
      put_numbers<std::int32_t>(tensor, n);
      break;
    case SummaryTensor::DType::kInt64:
      tensor->set_dtype(pb::DT_INT64);
      put_numbers<std::int64_t>(tensor, n);
      break;
    case SummaryTensor::DType::kUInt8:
      tensor->set_dtype(pb::DT_UINT8);
      put_numbers<std::uint8_t>(tensor, n);
      break;
    case SummaryTensor::DType::kFloat:
      tensor->set_dtype(pb::DT_FLOAT);
      put_numbers<float>(tensor, n);
      break;
  }
  return detail::serialize(event);
}

}  // namespace

void SummaryWriter::add_summary(std::string_view tag, PluginSummary summary, std::int64_t step,
                                std::optional<double> wall_time) {
  detail::check_tag(tag, "add_summary");
  check_summary(summary, detail::call_name("add_summary", tag));
  const double wt = detail::resolve_wall_time(wall_time, "add_summary");
  std::size_t bytes =
      sizeof summary + summary.content.size() + summary.tensor.numbers.size() * sizeof(double);
  for (const std::string& s : summary.tensor.strings) bytes += s.size();
  const std::string plugin = summary.plugin_name;
  auto encode = [summary = std::move(summary), step, wt](const std::string& stored_tag,
                                                         bool first) {
    return summary_event(stored_tag, summary, step, wt, first);
  };
  impl_->add_deferred({std::string(tag), std::move(encode)}, bytes, "add_summary", plugin);
}

}  // namespace tblog
