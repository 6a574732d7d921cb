// What a kind knows of reading: its plugin's name, how its values (legacy forms included) decode
// into a SummaryValue's data, and how they read to a person (`tblog cat`) and to a program (JSON).
// Each kind's file defines its codec beside its writing; registry.cpp lists them, and the reader
// and the CLI find them there by plugin name. A plugin no kind knows reads through other.cpp's
// codec: its tensor as written. Internal to tblog.
#pragma once

#include <string>
#include <string_view>

#include "numeric_tensor.hpp"
#include "tblog/event.pb.h"
#include "tblog/reader.hpp"

namespace tblog::detail {

struct KindCodec {
  std::string_view plugin;  // "scalars": the plugin name the kind writes
  ValueKind kind;
  std::string_view name;  // "scalar": the kind in descriptions and JSON
  // Fills v.data (audio: and v.labels) from `value`; v.tag, v.plugin and the metadata are set.
  // Throws Inconsistent (numeric_tensor.hpp) for a value inconsistent with itself.
  void (*decode)(const pb::Summary::Value& value, SummaryValue& v);
  // The rest of the line after the tag in `tblog cat`: "scalar 0.25".
  std::string (*describe)(const SummaryValue& v);
  // The JSON members after tag, kind and plugin, each with its leading comma ("" for none).
  std::string (*describe_json)(const SummaryValue& v);
};

// The codec of the kind writing `plugin`, or other.cpp's for a plugin no kind knows.
const KindCodec& codec_for_plugin(std::string_view plugin);

// The tensor of a value as written: numbers (every element stored, checked against the bytes
// present) or strings. Throws Inconsistent for dtypes it does not read and broken tensors.
SummaryTensor decode_summary_tensor(const pb::TensorProto& tensor, const SummaryValue& v);
// `text` on one line (line breaks as spaces) as a terminal may receive it, cut after `limit`
// code points: a text value or an audio label in `tblog cat`'s line.
std::string one_line_text(std::string_view text, std::size_t limit);
// The text of a number in JSON (NaN and infinities, which JSON lacks, as null).
std::string json_number(double value);
// "[2, 3]" (`separator` ", ") or "[2,3]" (",").
std::string shape_text(const std::vector<std::int64_t>& shape, const char* separator);
// The numbers as a JSON array.
std::string json_numbers(const std::vector<double>& numbers);

}  // namespace tblog::detail
