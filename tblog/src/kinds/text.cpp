// The text plugin: add_text and its event (a rank-0 string tensor of Markdown).
#include "event_encoding_helpers.hpp"
#include "summary_writer_impl.hpp"

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
  impl_->add_deferred({std::string(tag), std::move(encode)}, bytes, "add_text");
}

}  // namespace tblog
