// The text plugin: add_text and its event (a rank-0 string tensor of Markdown), and reading
// text back.
#include "tblog/text.hpp"
#include "event_encoding_helpers.hpp"
#include "kind_codec.hpp"
#include "summary_writer_impl.hpp"
#include "tblog/value_views.hpp"

namespace tblog {
namespace {

std::string text_event(std::string_view tag, std::string_view markdown, std::int64_t step,
                       double wall_time, bool with_metadata) {
  pb::Event event;
  auto* value = detail::new_value(event, tag, step, wall_time);
  if (with_metadata) detail::set_metadata(value, "text");
  auto* tensor = value->mutable_tensor();
  tensor->set_dtype(pb::DT_STRING);
  tensor->mutable_tensor_shape();  // present and empty: rank 0, one markdown document
  tensor->add_string_val(std::string(markdown));
  return detail::serialize(event);
}

}  // namespace

void SummaryWriter::add_text(std::string_view tag, std::string_view markdown, std::int64_t step,
                             std::optional<double> wall_time) {
  detail::check_tag(tag, "add_text");
  const double wt = detail::resolve_wall_time(wall_time, "add_text");
  std::string text(markdown);
  const std::size_t bytes = text.size();
  auto encode = [text = std::move(text), step, wt](const std::string& stored_tag, bool first) {
    return text_event(stored_tag, text, step, wt, first);
  };
  impl_->add_deferred({std::string(tag), std::move(encode)}, bytes, "add_text", "text");
}

}  // namespace tblog

// Reading: the string tensor of Markdown (one document, or a table's cells).
namespace tblog::detail {
namespace {

void decode_strings(const pb::Summary::Value& value, SummaryValue& v) {
  if (value.value_case() == pb::Summary::Value::kTensor)
    v.data = decode_summary_tensor(value.tensor(), v);
}

std::string describe_text(const SummaryValue& v) {
  return "text \"" + one_line_text(text_of(v), 60) + "\"";
}

std::string describe_text_json(const SummaryValue& v) {
  return ",\"text\":" + json_quoted(text_of(v));
}

}  // namespace

extern const KindCodec kTextCodec{"text",         ValueKind::kText, "text",
                                  decode_strings, describe_text,    describe_text_json};

}  // namespace tblog::detail

std::string tblog::text_of(const SummaryValue& value) {
  std::string text;
  if (!value.tensor()) return text;
  for (std::size_t i = 0; i < value.tensor()->strings.size(); ++i) {
    if (i) text += '\n';
    text += value.tensor()->strings[i];
  }
  return text;
}
