// Turns a serialized Event into tblog's public Event struct. Internal to tblog.
#pragma once

#include <map>
#include <string>

#include "tblog/reader.hpp"

namespace tblog::detail {

// Tensor values without metadata inherit the plugin of the tag's first value in the same file;
// `plugin_of_tag` carries that memory between calls. Returns "" on success, else why `payload`
// is not a valid Event (not a protobuf Event, or a summary inconsistent with itself, such as a
// tensor whose shape claims more values than it stores). Never reads past what is present.
std::string decode_event(const std::string& payload,
                         std::map<std::string, std::string>& plugin_of_tag, Event& event);

}  // namespace tblog::detail
