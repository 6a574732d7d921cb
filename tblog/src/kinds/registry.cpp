// The kinds tblog reads, found by plugin name: a kind that can be read back is its file (with its
// KindCodec) and its two lines here. Also the public descriptions of a value, and the name of a
// ValueKind, which the kinds give.
#include "kind_codec.hpp"
#include "tblog/text.hpp"

namespace tblog::detail {

extern const KindCodec kScalarsCodec;
extern const KindCodec kHistogramsCodec;
extern const KindCodec kImagesCodec;
extern const KindCodec kTextCodec;
extern const KindCodec kHParamsCodec;
extern const KindCodec kCustomScalarsCodec;
extern const KindCodec kPrCurvesCodec;
extern const KindCodec kAudioCodec;
extern const KindCodec kMeshCodec;
extern const KindCodec kConceptualGraphCodec;
extern const KindCodec kOtherCodec;

namespace {

// Most values are scalars, then histograms and images: the order the lookup tries them. One kind
// a line, its size counted from the list: a new kind is its two lines in this file.
// clang-format off
const KindCodec* const kKinds[] = {
    &kScalarsCodec,
    &kHistogramsCodec,
    &kImagesCodec,
    &kTextCodec,
    &kHParamsCodec,
    &kCustomScalarsCodec,
    &kPrCurvesCodec,
    &kAudioCodec,
    &kMeshCodec,
    &kConceptualGraphCodec,
};
// clang-format on

}  // namespace

const KindCodec& codec_for_plugin(std::string_view plugin) {
  for (const KindCodec* codec : kKinds) {
    if (codec->plugin == plugin) return *codec;
  }
  return kOtherCodec;
}

}  // namespace tblog::detail

namespace tblog {

const char* to_string(ValueKind kind) {
  for (const detail::KindCodec* codec : detail::kKinds) {
    if (codec->kind == kind) return codec->name.data();  // a literal: NUL-terminated
  }
  return detail::kOtherCodec.name.data();
}

std::string describe(const SummaryValue& value) {
  return detail::codec_for_plugin(value.plugin).describe(value);
}

std::string describe_json(const SummaryValue& value) {
  const detail::KindCodec& codec = detail::codec_for_plugin(value.plugin);
  return "{\"tag\":" + json_quoted(value.tag) + ",\"kind\":\"" + std::string(codec.name) +
         "\",\"plugin\":" + json_quoted(value.plugin) + codec.describe_json(value) + "}";
}

}  // namespace tblog
