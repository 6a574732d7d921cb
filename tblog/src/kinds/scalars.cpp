// The scalars plugin: add_scalar and add_scalars, and reading scalars back. Scalars are encoded by
// hand on the writer thread, straight into its output (scalar_encoding.cpp, the hot path).
#include "kind_codec.hpp"
#include "summary_writer_impl.hpp"
#include "tblog/error.hpp"
#include "tblog/text.hpp"

namespace tblog {
namespace {

// Python's re.escape for the characters that mean something in a regular expression: the
// custom-scalars plugin matches chart tags as regexes.
std::string escape_regex(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

void SummaryWriter::add_scalar(std::string_view tag, double value, std::int64_t step,
                               std::optional<double> wall_time) {
  detail::check_tag(tag, "add_scalar");
  if (!wall_time) return impl_->add_scalar_now(tag, static_cast<float>(value), step);
  impl_->add_scalar(tag, static_cast<float>(value), step,
                    detail::resolve_wall_time(wall_time, "add_scalar"));
}

// Each value is the scalar "<main_tag>/<name>"; the first call of a main tag adds a chart of all
// of them to the custom-scalar layout, so that the values are drawn on one chart.
void SummaryWriter::add_scalars(std::string_view main_tag,
                                const std::vector<std::pair<std::string, double>>& values,
                                std::int64_t step, std::optional<double> wall_time) {
  detail::check_tag(main_tag, "add_scalars");
  const std::string what = detail::call_name("add_scalars", main_tag);
  if (values.empty()) throw InvalidArgument(what + ": no values");
  for (const auto& [name, value] : values) {
    if (name.empty()) throw InvalidArgument(what + ": a value has an empty name");
  }
  const double wt = detail::resolve_wall_time(wall_time, "add_scalars");
  if (impl_->layouts().first_scalar_group(main_tag)) {
    LayoutChart chart{std::string(main_tag), {"^" + escape_regex(main_tag) + "/"}, {}};
    add_custom_scalar_layout({LayoutCategory{std::string(main_tag), {chart}, false}});
  }
  std::string tag;
  for (const auto& [name, value] : values) {
    tag.assign(main_tag).append("/").append(name);
    impl_->add_scalar(tag, static_cast<float>(value), step, wt);
  }
}

}  // namespace tblog

// Reading: a legacy simple_value, or a tensor of one number.
namespace tblog::detail {
namespace {

void decode_scalar(const pb::Summary::Value& value, SummaryValue& v) {
  if (value.value_case() == pb::Summary::Value::kSimpleValue) {
    v.data = static_cast<double>(value.simple_value());
  } else if (value.value_case() == pb::Summary::Value::kTensor) {
    const NumericTensor n(value.tensor(), v);
    if (n.count() != 1)
      inconsistent(v, "scalar tensor with " + std::to_string(n.count()) + " values");
    v.data = n.at(0);
  }
}

std::string describe_scalar(const SummaryValue& v) {
  return "scalar " + number_text(v.scalar());
}

std::string describe_scalar_json(const SummaryValue& v) {
  return ",\"value\":" + json_number(v.scalar());
}

}  // namespace

extern const KindCodec kScalarsCodec{"scalars",     ValueKind::kScalar, "scalar",
                                     decode_scalar, describe_scalar,    describe_scalar_json};

}  // namespace tblog::detail
