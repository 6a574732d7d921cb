// Event.graph_def and Event.tagged_run_metadata back into tblog's Graph and NodeStats. Internal
// to tblog (event_decoding.cpp).
#pragma once

#include <string>

#include "tblog/event.pb.h"
#include "tblog/reader.hpp"

namespace tblog::detail {

// GraphDef bytes -> nodes. False when they do not parse.
bool decode_graph(const std::string& bytes, Graph& graph);
// The step's node statistics into `event`. False when the RunMetadata does not parse.
bool decode_run_metadata(const pb::TaggedRunMetadata& tagged, Event& event);

}  // namespace tblog::detail
