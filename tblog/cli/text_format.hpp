// Small formatting helpers shared by the subcommands.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

#include "tblog/reader.hpp"

namespace tblog::cli {

std::string json_string(std::string_view text);  // quoted and escaped
std::string number(double value);                // shortest form that reads back exactly
std::string json_number(double value);           // NaN/Inf become null (JSON has no such numbers)
// Appends number(value) to `out` without a temporary string (json: NaN/Inf as null).
void append_number(fmt::memory_buffer& out, double value, bool null_for_non_finite);
std::string short_text(std::string_view text, std::size_t limit);  // one line, shortened
std::string describe_value(const SummaryValue& value);             // "scalar 0.25", ...
std::string describe_graph(const Graph& graph);                    // "graph 12 nodes, ..."
std::string describe_run_metadata(const std::vector<NodeStats>& stats);

}  // namespace tblog::cli
