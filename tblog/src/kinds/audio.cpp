// The audio plugin: add_audio (checked on the caller's thread, WAV-encoded on the writer's) and
// its event, a [1, 2] string tensor of the WAV file and its Markdown label.
#include "tblog/audio.hpp"
#include "event_encoding_helpers.hpp"
#include "summary_writer_impl.hpp"
#include "tblog/plugins.pb.h"

namespace tblog {
namespace {

std::string audio_event(std::string_view tag, const std::string& wav, std::string_view label,
                        std::int64_t step, double wall_time, bool with_metadata) {
  pb::Event event;
  auto* value = detail::new_value(event, tag, step, wall_time);
  if (with_metadata) {
    pb::AudioPluginData data;
    data.set_encoding(pb::AudioPluginData::WAV);
    detail::set_metadata(value, "audio", data.SerializeAsString());
  }
  auto* tensor = value->mutable_tensor();
  tensor->set_dtype(pb::DT_STRING);
  detail::add_dim(tensor, 1);
  detail::add_dim(tensor, 2);
  tensor->add_string_val(wav);
  tensor->add_string_val(std::string(label));
  return detail::serialize(event);
}

}  // namespace

void SummaryWriter::add_audio(std::string_view tag, Audio audio, std::int64_t step,
                              std::string_view label_markdown, std::optional<double> wall_time) {
  detail::check_tag(tag, "add_audio");
  validate_audio(audio, detail::call_name("add_audio", tag).c_str());
  const double wt = detail::resolve_wall_time(wall_time, "add_audio");
  const std::size_t bytes = audio.samples.size() * sizeof(float);
  auto encode = [audio = std::move(audio), label = std::string(label_markdown), step, wt](
                    const std::string& stored_tag, bool first) {
    return audio_event(stored_tag, encode_wav(audio), label, step, wt, first);
  };
  impl_->add_deferred({std::string(tag), std::move(encode)}, bytes, "add_audio");
}

}  // namespace tblog
