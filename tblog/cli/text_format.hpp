// Small formatting helpers shared by the subcommands.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

#include "tblog/reader.hpp"

namespace tblog::cli {

// One escaping layer per output format:
// JSON: quoted, escaped, always valid UTF-8 (a byte that is not UTF-8 becomes U+FFFD).
std::string json_string(std::string_view text);
// CSV (RFC 4180): quoted when it holds a comma, quote or line break; quotes doubled.
std::string csv_field(std::string_view text);
// A terminal: control characters, escape sequences and bytes that are not UTF-8 made visible
// (\x1b, \u0085), and cut after `limit` code points with "...".
std::string terminal_text(std::string_view text, std::size_t limit = std::string_view::npos);
// An error message for stderr: terminal_text cut at 2,000 characters (a server's 100 KB answer
// stays one readable line).
std::string message_text(std::string_view text);
std::string number(double value);       // shortest form that reads back exactly
std::string json_number(double value);  // NaN/Inf become null (JSON has no such numbers)
// Appends number(value) to `out` without a temporary string (json: NaN/Inf as null).
void append_number(fmt::memory_buffer& out, double value, bool null_for_non_finite);
std::string describe_graph(const Graph& graph);                    // "graph 12 nodes, ..."
std::string describe_run_metadata(const std::vector<NodeStats>& stats);

}  // namespace tblog::cli
