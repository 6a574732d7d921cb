#include "text_format.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <cmath>

#include "tblog/text.hpp"

namespace tblog::cli {

std::string json_string(std::string_view text) {
  return json_quoted(text);
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string terminal_text(std::string_view text, std::size_t limit) {
  return printable_text(text, limit);
}

std::string message_text(std::string_view text) {
  return terminal_text(text, 2000);
}

std::string number(double value) {
  return number_text(value);
}

void append_number(fmt::memory_buffer& out, double value, bool null_for_non_finite) {
  if (null_for_non_finite && !std::isfinite(value)) {
    fmt::format_to(std::back_inserter(out), "null");
    return;
  }
  const auto as_float = static_cast<float>(value);
  if (static_cast<double>(as_float) == value || !std::isfinite(value)) {
    fmt::format_to(std::back_inserter(out), FMT_COMPILE("{}"), as_float);
  } else {
    fmt::format_to(std::back_inserter(out), FMT_COMPILE("{}"), value);
  }
}

std::string json_number(double value) {
  if (!std::isfinite(value)) return "null";
  return number(value);
}

std::string describe_graph(const Graph& graph) {
  std::size_t edges = 0, shaped = 0;
  for (const auto& node : graph.nodes) {
    edges += node.inputs.size();
    shaped += node.output_shapes.empty() ? 0 : 1;
  }
  return fmt::format("graph {} nodes, {} edges, {} with output shapes", graph.nodes.size(), edges,
                     shaped);
}

std::string describe_run_metadata(const std::vector<NodeStats>& stats) {
  std::int64_t micros = 0, bytes = 0;
  for (const auto& s : stats) {
    micros += s.duration_micros;
    bytes += s.memory_bytes;
  }
  return fmt::format("run metadata {} nodes, {} us compute, {} bytes", stats.size(), micros, bytes);
}

}  // namespace tblog::cli
