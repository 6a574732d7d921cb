// The scalar hot path, encoded by hand: protobuf's generic serializer costs several times more
// than these few stores, and scalars are most of what a training loop logs.
#include <cstring>

#include "event_encoding.hpp"
#include "little_endian.hpp"

namespace tblog::detail {
namespace {

std::size_t varint_size(std::uint64_t v) {
  std::size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

char* put_varint(char* p, std::uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}

std::size_t value_size(std::string_view tag) {  // Summary.Value: 0x0a len tag, 0x15 float
  return 1 + varint_size(tag.size()) + tag.size() + 5;
}

std::size_t summary_size(std::size_t value_len) {  // Summary: 0x0a len Value
  return 1 + varint_size(value_len) + value_len;
}

std::uint64_t bits_of(double wall_time) {
  std::uint64_t bits;
  std::memcpy(&bits, &wall_time, 8);
  return bits;
}

}  // namespace

std::size_t scalar_event_size(std::string_view tag, std::int64_t step, double wall_time) {
  const std::size_t summary_len = summary_size(value_size(tag));
  const auto step_bits = static_cast<std::uint64_t>(step);
  // proto3 leaves out fields at their default (all-zero bits), so must we to match it exactly.
  return (bits_of(wall_time) ? 9 : 0) + (step_bits ? 1 + varint_size(step_bits) : 0) + 1 +
         varint_size(summary_len) + summary_len;
}

void put_scalar_event(char* p, std::string_view tag, float value, std::int64_t step,
                      double wall_time) {
  const std::size_t value_len = value_size(tag);
  const std::uint64_t wall_bits = bits_of(wall_time);
  const auto step_bits = static_cast<std::uint64_t>(step);
  if (wall_bits) {
    *p++ = 0x09;  // field 1, fixed64
    store_le64(p, wall_bits);
    p += 8;
  }
  if (step_bits) {
    *p++ = 0x10;  // field 2, varint
    p = put_varint(p, step_bits);
  }
  *p++ = 0x2a;  // field 5 (summary), length-delimited
  p = put_varint(p, summary_size(value_len));
  *p++ = 0x0a;  // Summary.value
  p = put_varint(p, value_len);
  *p++ = 0x0a;  // Value.tag
  p = put_varint(p, tag.size());
  std::memcpy(p, tag.data(), tag.size());
  p += tag.size();
  *p++ = 0x15;  // Value.simple_value, fixed32
  std::uint32_t value_bits;
  std::memcpy(&value_bits, &value, 4);
  store_le32(p, value_bits);
}

void append_scalar_event(std::string& out, std::string_view tag, float value, std::int64_t step,
                         double wall_time) {
  const std::size_t start = out.size();
  out.resize(start + scalar_event_size(tag, step, wall_time));
  put_scalar_event(out.data() + start, tag, value, step, wall_time);
}

}  // namespace tblog::detail
