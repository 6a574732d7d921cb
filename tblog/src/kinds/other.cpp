// Plugins no kind knows (someone else's, or one logged with add_summary): the value's tensor as
// written, when it is one tblog can read; nothing else is said of it. Also the tensor decoding
// and JSON pieces the kinds share.
#include <cmath>
#include <cstring>

#include "kind_codec.hpp"
#include "number_text.hpp"
#include "tblog/text.hpp"

namespace tblog::detail {

namespace {

// Every element as a double, one dtype switch per tensor rather than per element (histograms'
// rows were 15% slower to read through NumericTensor::at).
template <typename T, typename Repeated>
void append_numbers(const pb::TensorProto& tensor, const Repeated& typed, std::uint64_t count,
                    std::vector<double>& out) {
  const std::string& raw = tensor.tensor_content();
  if (!raw.empty()) {
    for (std::uint64_t i = 0; i < count; ++i) {
      T value;
      std::memcpy(&value, raw.data() + i * sizeof value, sizeof value);
      out.push_back(static_cast<double>(value));
    }
  } else {
    for (const auto value : typed) out.push_back(static_cast<double>(static_cast<T>(value)));
  }
}

}  // namespace

SummaryTensor decode_summary_tensor(const pb::TensorProto& tensor, const SummaryValue& v) {
  SummaryTensor out;
  out.shape.reserve(static_cast<std::size_t>(tensor.tensor_shape().dim_size()));
  for (const auto& d : tensor.tensor_shape().dim()) out.shape.push_back(d.size());
  if (tensor.dtype() == pb::DT_STRING) {
    out.dtype = SummaryTensor::DType::kString;
    out.strings.assign(tensor.string_val().begin(), tensor.string_val().end());
    return out;
  }
  // Checks the element count against the bytes present (NumericTensor's invariants).
  const NumericTensor n(tensor, v);
  if (!n.fully_stored()) inconsistent(v, "tensor stores one value for many");
  out.numbers.reserve(n.count());  // backed by bytes present (fully_stored)
  switch (tensor.dtype()) {
    case pb::DT_DOUBLE:
      out.dtype = SummaryTensor::DType::kDouble;
      append_numbers<double>(tensor, tensor.double_val(), n.count(), out.numbers);
      break;
    case pb::DT_INT32:
      out.dtype = SummaryTensor::DType::kInt32;
      append_numbers<std::int32_t>(tensor, tensor.int_val(), n.count(), out.numbers);
      break;
    case pb::DT_INT64:
      out.dtype = SummaryTensor::DType::kInt64;
      append_numbers<std::int64_t>(tensor, tensor.int64_val(), n.count(), out.numbers);
      break;
    case pb::DT_UINT8:  // typed values travel in int_val
      out.dtype = SummaryTensor::DType::kUInt8;
      append_numbers<std::uint8_t>(tensor, tensor.int_val(), n.count(), out.numbers);
      break;
    default:  // DT_FLOAT: NumericTensor refused every other dtype
      out.dtype = SummaryTensor::DType::kFloat;
      append_numbers<float>(tensor, tensor.float_val(), n.count(), out.numbers);
  }
  return out;
}

std::string one_line_text(std::string_view text, std::size_t limit) {
  std::string one_line(text);
  for (char& c : one_line) c = (c == '\n' || c == '\r') ? ' ' : c;
  return printable_text(one_line, limit);
}

std::string json_number(double value) {
  return std::isfinite(value) ? number_text(value) : "null";
}

std::string shape_text(const std::vector<std::int64_t>& shape, const char* separator) {
  std::string out = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) out += separator;
    out += std::to_string(shape[i]);
  }
  return out + "]";
}

std::string json_numbers(const std::vector<double>& numbers) {
  std::string out = "[";
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    if (i) out += ',';
    out += json_number(numbers[i]);
  }
  return out + "]";
}

namespace {

void decode_other(const pb::Summary::Value& value, SummaryValue& v) {
  if (value.value_case() != pb::Summary::Value::kTensor) return;
  // Someone else's plugin may use dtypes or shapes tblog does not read: it is then left
  // undecoded, not called corrupt.
  try {
    v.data = decode_summary_tensor(value.tensor(), v);
  } catch (const Inconsistent&) {
    v.data = std::monostate{};
  }
}

std::string describe_other(const SummaryValue& v) {
  return (v.plugin.empty() ? std::string("unknown") : printable_text(v.plugin, 60)) + " value";
}

std::string describe_other_json(const SummaryValue&) {
  return {};
}

}  // namespace

extern const KindCodec kOtherCodec{"",           ValueKind::kOther, "other",
                                   decode_other, describe_other,    describe_other_json};

}  // namespace tblog::detail
