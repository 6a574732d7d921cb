// decode_event (event_decoding.hpp) on its own: Events built with protobuf's own classes come back
// as tblog::Event; bytes that are not an Event, or a summary inconsistent with itself, are an
// error that says why, never a read past what is present.
#include "event_decoding.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>

#include "tblog/event.pb.h"

namespace tblog::detail {
namespace {

std::string decode(const pb::Event& proto, std::map<std::string, std::string>& plugins,
                   Event& event) {
  return decode_event(proto.SerializeAsString(), plugins, event);
}

// A float tensor value under `tag`, with the plugin's metadata when `plugin` is non-empty.
pb::Event tensor_event(const std::string& tag, const std::string& plugin,
                       const std::vector<float>& values, std::vector<std::int64_t> shape) {
  pb::Event e;
  e.set_step(3);
  auto* v = e.mutable_summary()->add_value();
  v->set_tag(tag);
  if (!plugin.empty()) v->mutable_metadata()->mutable_plugin_data()->set_plugin_name(plugin);
  auto* t = v->mutable_tensor();
  t->set_dtype(pb::DT_FLOAT);
  for (const auto d : shape) t->mutable_tensor_shape()->add_dim()->set_size(d);
  for (const float x : values) t->add_float_val(x);
  return e;
}

TEST(EventDecoding, ScalarsFileVersionAndStepComeBack) {
  std::map<std::string, std::string> plugins;
  pb::Event version;
  version.set_wall_time(12.5);
  version.set_file_version("brain.Event:2");
  Event event;
  ASSERT_EQ(decode(version, plugins, event), "");
  EXPECT_EQ(event.file_version, "brain.Event:2");
  EXPECT_EQ(event.wall_time, 12.5);

  pb::Event scalar;
  scalar.set_step(42);
  auto* v = scalar.mutable_summary()->add_value();
  v->set_tag("loss");
  v->set_simple_value(0.25f);
  event = {};
  ASSERT_EQ(decode(scalar, plugins, event), "");
  ASSERT_EQ(event.values.size(), 1u);
  EXPECT_EQ(event.step, 42);
  EXPECT_EQ(event.values[0].tag, "loss");
  EXPECT_EQ(event.values[0].kind, ValueKind::kScalar);
  EXPECT_EQ(event.values[0].scalar(), 0.25);
}

TEST(EventDecoding, ATensorWithoutMetadataInheritsItsTagsFirstPlugin) {
  std::map<std::string, std::string> plugins;
  Event first, later;
  ASSERT_EQ(decode(tensor_event("acc", "scalars", {0.5f}, {}), plugins, first), "");
  EXPECT_EQ(first.values.at(0).plugin, "scalars");
  EXPECT_TRUE(first.values.at(0).has_metadata);
  ASSERT_EQ(decode(tensor_event("acc", "", {0.75f}, {}), plugins, later), "");
  EXPECT_EQ(later.values.at(0).plugin, "scalars");
  EXPECT_FALSE(later.values.at(0).has_metadata);
  EXPECT_EQ(later.values.at(0).kind, ValueKind::kScalar);
  EXPECT_EQ(later.values.at(0).scalar(), 0.75);
  // Another reader's memory (a new file) knows nothing of the tag.
  std::map<std::string, std::string> fresh;
  Event unknown;
  ASSERT_EQ(decode(tensor_event("acc", "", {0.75f}, {}), fresh, unknown), "");
  EXPECT_NE(unknown.values.at(0).kind, ValueKind::kScalar);
}

TEST(EventDecoding, BytesThatAreNotAnEventAreAnErrorSayingSo) {
  std::map<std::string, std::string> plugins;
  Event event;
  EXPECT_NE(decode_event(std::string("\xff\xff\xff\xff\x0f", 5), plugins, event), "");
  // A length-delimited field (the summary) claiming more bytes than there are.
  EXPECT_NE(decode_event(std::string("\x2a\x7f\x01", 3), plugins, event), "");
  EXPECT_EQ(decode_event("", plugins, event), "");  // an empty Event is a valid one
}

TEST(EventDecoding, ATensorWhoseShapeClaimsMoreValuesThanItStoresIsRefused) {
  std::map<std::string, std::string> plugins;
  Event event;
  // A PR curve's tensor is [6, thresholds]: its shape says 6 x 1000, it stores 6.
  const std::string why =
      decode(tensor_event("pr", "pr_curves", {1, 2, 3, 4, 5, 6}, {6, 1000}), plugins, event);
  EXPECT_NE(why, "");
  // The same tensor told the truth about its shape is read.
  event = {};
  EXPECT_EQ(decode(tensor_event("pr", "pr_curves", {1, 2, 3, 4, 5, 6}, {6, 1}), plugins, event),
            "");
  ASSERT_EQ(event.values.size(), 1u);
  EXPECT_EQ(event.values[0].kind, ValueKind::kPrCurve);
  EXPECT_EQ(event.values[0].tensor()->numbers.size(), 6u);
}

// A ValueKind's name is its kind's (the codec's), as `tblog cat --json` says it.
TEST(EventDecoding, EachValueKindIsNamedByItsKind) {
  const std::vector<std::pair<ValueKind, std::string>> names = {
      {ValueKind::kScalar, "scalar"},    {ValueKind::kHistogram, "histogram"},
      {ValueKind::kImage, "image"},      {ValueKind::kText, "text"},
      {ValueKind::kHParams, "hparams"},  {ValueKind::kCustomScalars, "custom_scalars"},
      {ValueKind::kPrCurve, "pr_curve"}, {ValueKind::kAudio, "audio"},
      {ValueKind::kMesh, "mesh"},        {ValueKind::kOther, "other"}};
  for (const auto& [kind, name] : names) EXPECT_EQ(to_string(kind), name);
}

}  // namespace
}  // namespace tblog::detail
