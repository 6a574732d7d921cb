// The hand-encoded scalar event must be byte-identical to protobuf's serialization.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <limits>
#include <random>

#include "event_encoding.hpp"
#include "tblog/event.pb.h"

namespace tblog {
namespace {

std::string reference(const std::string& tag, float value, std::int64_t step, double wall) {
  pb::Event e;
  e.set_wall_time(wall);
  e.set_step(step);
  auto* v = e.mutable_summary()->add_value();
  v->set_tag(tag);
  v->set_simple_value(value);
  return e.SerializeAsString();
}

TEST(ScalarEncoding, MatchesProtobufOnEdgeCases) {
  const std::string long_tag(300, 't');  // tag length needs a 2-byte varint
  const std::int64_t steps[] = {0,
                                1,
                                127,
                                128,
                                1LL << 40,
                                -1,
                                std::numeric_limits<std::int64_t>::max(),
                                std::numeric_limits<std::int64_t>::min()};
  const double walls[] = {0.0, 1599759586.0, 1.7e9 + 0.123456, -0.0};
  const float values[] = {0.f, -0.f, 1.f, -3.5f, FLT_MAX, INFINITY, NAN};
  for (const std::string& tag : {std::string("a"), std::string("loss/train"), long_tag}) {
    for (auto step : steps) {
      for (auto wall : walls) {
        for (auto value : values) {
          std::string out;
          detail::append_scalar_event(out, tag, value, step, wall);
          ASSERT_EQ(out, reference(tag, value, step, wall))
              << tag.size() << " " << step << " " << wall << " " << value;
        }
      }
    }
  }
}

TEST(ScalarEncoding, MatchesProtobufOnRandomInputs) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 20000; ++i) {
    std::string tag(rng() % 200 + 1, 'x');
    for (char& c : tag) c = static_cast<char>('a' + rng() % 26);
    const float value =
        std::ldexp(static_cast<float>(rng() % 100000) - 50000.f, int(rng() % 40) - 20);
    const auto step = static_cast<std::int64_t>(rng() >> (rng() % 64));
    const double wall = 1.6e9 + static_cast<double>(rng() % 1000000000) * 1e-6;
    std::string out;
    detail::append_scalar_event(out, tag, value, step, wall);
    ASSERT_EQ(out, reference(tag, value, step, wall));
  }
}

TEST(ScalarEncoding, AppendsWithoutDisturbingExistingBytes) {
  std::string out = "prefix";
  detail::append_scalar_event(out, "x", 1.f, 2, 3.0);
  EXPECT_EQ(out.substr(0, 6), "prefix");
  EXPECT_EQ(out.substr(6), reference("x", 1.f, 2, 3.0));
}

}  // namespace
}  // namespace tblog
