// The writer's own events as serialized payloads (the bytes inside one record): scalars, by hand
// (scalar_encoding.cpp), and the file's head. Each kind's events are in kinds/. Internal to tblog.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tblog::detail {

// Hand-encoded fast path: Event{wall_time, step, summary{value{tag, simple_value}}}, byte for
// byte what protobuf serialization of the same message gives. Appends to `out`.
void append_scalar_event(std::string& out, std::string_view tag, float value, std::int64_t step,
                         double wall_time);
// The same in two steps, for the writer thread, which encodes straight into its output buffer:
// the event's size, then the event written at `at` (exactly that many bytes).
std::size_t scalar_event_size(std::string_view tag, std::int64_t step, double wall_time);
void put_scalar_event(char* at, std::string_view tag, float value, std::int64_t step,
                      double wall_time);

std::string file_version_event(double wall_time);
std::string session_start_event(std::int64_t step, double wall_time);

}  // namespace tblog::detail
