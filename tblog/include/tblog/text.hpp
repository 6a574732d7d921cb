/// @file
/// Text from outside (a file's tag, a server's error message) made safe to print: one place that
/// decides what a terminal, a log line or a JSON document may receive, used by tblog's own
/// messages, its value descriptions and its CLI; and numbers written as their shortest text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "tblog/export.hpp"

namespace tblog {

/// The code point starting at `text[i]` and its length in bytes, or -1 (and length 1) for a byte
/// that does not start a valid UTF-8 sequence (overlong forms, surrogates and values past
/// U+10FFFF included). `i` must be below `text.size()`.
TBLOG_API std::pair<long, std::size_t> utf8_code_point(std::string_view text, std::size_t i);

/// `text` with control characters, escape sequences and bytes that are not UTF-8 made visible
/// (ESC becomes \\x1b, NEL \\u0085), cut after `max_code_points` with "...": what a terminal
/// or a one-line log may receive from an untrusted source.
TBLOG_API std::string printable_text(std::string_view text,
                                     std::size_t max_code_points = std::string_view::npos);

/// The shortest text that reads back as exactly `value` ("0.1", "1e-05", "100000", "nan"); a
/// value that a float holds exactly is written as that float (0.9f gives "0.9", not
/// "0.8999999761581421"): summaries store float32. The same text as fmt's "{}".
TBLOG_API std::string number_text(double value);

/// `text` as a JSON string: quoted, escaped, and valid UTF-8 (a byte that is not UTF-8 becomes
/// U+FFFD).
TBLOG_API std::string json_quoted(std::string_view text);

}  // namespace tblog
