// Run and tag names as TensorBoard's gRPC messages carry them: proto3 `string`s, which must be
// UTF-8 (a Python client refuses the whole answer otherwise). Internal to tblog-data-server.
#pragma once

#include <string>
#include <string_view>

namespace tblog::serve {

// `bytes` with every byte that does not begin a valid UTF-8 sequence replaced by U+FFFD.
std::string valid_utf8(std::string_view bytes);

}  // namespace tblog::serve
