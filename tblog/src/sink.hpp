// The writer's sinks implement the public Sink (tblog/sink.hpp): the local event file
// (event_file.hpp) and the object-storage uploader (remote/uploading_sink.hpp). Internal to tblog.
#pragma once

#include "tblog/sink.hpp"

namespace tblog::detail {

using tblog::Sink;

}  // namespace tblog::detail
