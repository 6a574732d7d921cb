// The audio plugin: add_audio (checked on the caller's thread, WAV-encoded on the writer's) and
// its event, a [1, 2] string tensor of the WAV file and its Markdown label; and reading clips
// back.
#include "tblog/audio.hpp"
#include "event_encoding_helpers.hpp"
#include "kind_codec.hpp"
#include "summary_writer_impl.hpp"
#include "tblog/plugins.pb.h"
#include "tblog/text.hpp"

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
  impl_->add_deferred({std::string(tag), std::move(encode)}, bytes, "add_audio", "audio");
}

}  // namespace tblog

// Reading: the clips as a blob sequence, their labels beside ([k, 2] pairs; TensorBoard's older
// [k] form has clips only).
namespace tblog::detail {
namespace {

void decode_audio(const pb::Summary::Value& value, SummaryValue& v) {
  if (value.value_case() != pb::Summary::Value::kTensor) return;
  const pb::TensorProto& t = value.tensor();
  const auto& shape = t.tensor_shape();
  const bool pairs = shape.dim_size() == 2 && shape.dim(1).size() == 2;
  BlobSequence clips;
  for (int i = 0; i < t.string_val_size(); i += pairs ? 2 : 1) {
    clips.blobs.push_back(t.string_val(i));
    v.labels.push_back(pairs && i + 1 < t.string_val_size() ? t.string_val(i + 1) : "");
  }
  v.data = std::move(clips);
}

std::size_t first_clip_bytes(const SummaryValue& v) {
  return v.blobs() && !v.blobs()->blobs.empty() ? v.blobs()->blobs[0].size() : 0;
}

std::string describe_audio(const SummaryValue& v) {
  std::string label;
  if (!v.labels.empty() && !v.labels[0].empty())
    label = " \"" + one_line_text(v.labels[0], 40) + "\"";
  return "audio " + std::to_string(v.blobs() ? v.blobs()->blobs.size() : 0) + " clip(s), " +
         std::to_string(first_clip_bytes(v)) + " bytes" + label;
}

std::string describe_audio_json(const SummaryValue& v) {
  std::string out = ",\"clips\":" + std::to_string(v.blobs() ? v.blobs()->blobs.size() : 0) +
                    ",\"bytes\":" + std::to_string(first_clip_bytes(v));
  if (!v.labels.empty()) out += ",\"label\":" + json_quoted(v.labels[0]);
  return out;
}

}  // namespace

extern const KindCodec kAudioCodec{"audio",      ValueKind::kAudio, "audio",
                                   decode_audio, describe_audio,    describe_audio_json};

}  // namespace tblog::detail
