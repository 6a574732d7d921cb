// The reading side of the scalar hot path: an Event that is nothing but scalars
// (Event{wall_time, step, summary{value{tag, simple_value}...}}, what tblog, TensorBoard's and
// PyTorch's writers write for add_scalar) decoded by hand, without building a protobuf message.
// Anything else, or anything malformed, is left to the protobuf path. Internal to tblog.
#pragma once

#include <string_view>

#include "tblog/reader.hpp"

namespace tblog::detail {

// Clears every field of `event` that is not a summary value (file version, session log, graph,
// run metadata), keeping their memory: both decoders start each event with it.
void clear_event_fields(Event& event);

// True when `payload` is such an Event: then `event` holds it (its values reused, no other
// field set). False leaves `event` in an unspecified state for the full decoder to overwrite.
// Never reads outside `payload`.
bool decode_scalar_event(std::string_view payload, Event& event);

}  // namespace tblog::detail
