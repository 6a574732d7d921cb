// The hand decoder of scalar events agrees with protobuf's parser on every scalar event, and
// hands everything else (or anything malformed) back to the full decoder.
#include "scalar_decoding.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "event_encoding.hpp"
#include "tblog/event.pb.h"

namespace tblog::detail {
namespace {

void expect_same_as_protobuf(const std::string& payload) {
  Event fast;
  ASSERT_TRUE(decode_scalar_event(payload, fast));
  pb::Event e;
  ASSERT_TRUE(e.ParseFromString(payload));
  EXPECT_TRUE(fast.wall_time == e.wall_time() ||
              (std::isnan(fast.wall_time) && std::isnan(e.wall_time())));
  EXPECT_EQ(fast.step, e.step());
  ASSERT_EQ(fast.values.size(), static_cast<std::size_t>(e.summary().value_size()));
  for (int i = 0; i < e.summary().value_size(); ++i) {
    const auto& v = fast.values[static_cast<std::size_t>(i)];
    EXPECT_EQ(v.tag, e.summary().value(i).tag());
    EXPECT_EQ(v.kind, ValueKind::kScalar);
    EXPECT_EQ(v.plugin, "scalars");
    const float expected = e.summary().value(i).simple_value();
    if (std::isnan(expected)) {
      EXPECT_TRUE(std::isnan(v.scalar()));
    } else {
      EXPECT_EQ(v.scalar(), static_cast<double>(expected));
    }
  }
}

TEST(ScalarDecoding, AgreesWithProtobufOnScalarEvents) {
  const std::string long_tag(300, 'x');  // a two-byte length
  for (const std::string tag : {"loss", "", "Epoch/test_accuracy", long_tag.c_str()}) {
    for (const std::int64_t step : {std::int64_t{0}, std::int64_t{1}, std::int64_t{300},
                                    std::int64_t{-5}, std::numeric_limits<std::int64_t>::max()}) {
      for (const float value : {0.f, -1.5f, 3e38f, std::numeric_limits<float>::quiet_NaN()}) {
        for (const double wall : {0.0, 1.7e9, -1.0}) {
          std::string payload;
          append_scalar_event(payload, tag, value, step, wall);
          expect_same_as_protobuf(payload);
        }
      }
    }
  }
}

TEST(ScalarDecoding, SeveralValuesAndFieldOrderFromOtherWriters) {
  pb::Event e;
  e.set_step(7);
  e.set_wall_time(12.5);
  for (const char* tag : {"a", "b", "c"}) {
    auto* v = e.mutable_summary()->add_value();
    v->set_tag(tag);
    v->set_simple_value(0.25f);
  }
  expect_same_as_protobuf(e.SerializeAsString());
  // Summary first, then step, then wall time: protobuf accepts any order, and so does this.
  std::string reordered;
  std::string payload;
  append_scalar_event(payload, "t", 1.f, 9, 3.0);
  // payload = [wall 9 bytes][step 2 bytes][summary...]
  reordered = payload.substr(11) + payload.substr(9, 2) + payload.substr(0, 9);
  expect_same_as_protobuf(reordered);
}

TEST(ScalarDecoding, LeavesEverythingElseToTheFullDecoder) {
  Event event;
  pb::Event e;
  e.set_file_version("brain.Event:2");
  EXPECT_FALSE(decode_scalar_event(e.SerializeAsString(), event));
  pb::Event with_metadata;
  auto* v = with_metadata.mutable_summary()->add_value();
  v->set_tag("x");
  v->set_simple_value(1.f);
  v->mutable_metadata()->set_display_name("x");
  EXPECT_FALSE(decode_scalar_event(with_metadata.SerializeAsString(), event));
  pb::Event no_values;
  no_values.mutable_summary();
  no_values.set_step(1);
  EXPECT_FALSE(decode_scalar_event(no_values.SerializeAsString(), event));
  // Every truncation of a scalar event and random bytes: never a crash, never a wrong "yes".
  std::string payload;
  append_scalar_event(payload, "a/tag", 2.f, 12345, 1.7e9);
  for (std::size_t n = 0; n < payload.size(); ++n) {
    const std::string cut = payload.substr(0, n);
    pb::Event parsed;
    if (decode_scalar_event(cut, event)) {
      ASSERT_TRUE(parsed.ParseFromString(cut)) << n;
      expect_same_as_protobuf(cut);
    }
  }
  std::mt19937 rng(1);
  for (int i = 0; i < 20000; ++i) {
    std::string bytes = payload;
    bytes[rng() % bytes.size()] = static_cast<char>(rng());
    if (rng() % 2) bytes.resize(rng() % bytes.size());
    pb::Event parsed;
    if (decode_scalar_event(bytes, event)) {
      ASSERT_TRUE(parsed.ParseFromString(bytes)) << i;
      expect_same_as_protobuf(bytes);
    }
  }
}

}  // namespace
}  // namespace tblog::detail
