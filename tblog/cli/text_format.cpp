#include "text_format.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

#include "tblog/text.hpp"

namespace tblog::cli {

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size();) {
    const auto [cp, length] = utf8_code_point(text, i);
    const char c = text[i];
    if (cp < 0) {
      out += "\\ufffd";  // JSON is UTF-8: a byte that is not becomes the replacement character
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (cp < 0x20) {
      out += fmt::format("\\u{:04x}", cp);
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out + "\"";
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
  // Scalars travel as float32: print those with the shortest float form (0.9, not 0.89999997).
  const auto as_float = static_cast<float>(value);
  if (static_cast<double>(as_float) == value) return fmt::format("{}", as_float);
  return fmt::format("{}", value);
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

std::string short_text(std::string_view text, std::size_t limit) {
  std::string one_line(text);
  for (char& c : one_line) c = (c == '\n' || c == '\r') ? ' ' : c;
  return terminal_text(one_line, limit);
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

std::string describe_value(const SummaryValue& v) {
  switch (v.kind) {
    case ValueKind::kScalar:
      return "scalar " + number(v.scalar);
    case ValueKind::kHistogram: {
      double n = 0;
      for (const auto& b : v.histogram) n += b.count;
      const double lo = v.histogram.empty() ? 0 : v.histogram.front().left;
      const double hi = v.histogram.empty() ? 0 : v.histogram.back().right;
      return fmt::format("histogram {} buckets, {} values in [{}, {}]", v.histogram.size(), n, lo,
                         hi);
    }
    case ValueKind::kImage:
      return fmt::format("image {}x{} ({} encoded, {} bytes)", v.image_width, v.image_height,
                         v.images.size(), v.images.empty() ? 0 : v.images[0].size());
    case ValueKind::kText:
      return fmt::format("text \"{}\"", short_text(v.text, 60));
    case ValueKind::kHParams:
      return fmt::format("hparams ({} bytes)", v.plugin_content.size());
    case ValueKind::kCustomScalars:
      return "custom scalar layout";
    case ValueKind::kPrCurve: {
      // The threshold 0.5 sits in the middle column when the count is odd (201 by default).
      const std::size_t n =
          v.tensor_shape.size() == 2 ? static_cast<std::size_t>(v.tensor_shape[1]) : 0;
      if (n == 0) return "pr_curve (empty)";
      const std::size_t mid = (n - 1) / 2;
      return fmt::format("pr_curve {} thresholds, at {:.2f}: precision {:.4f} recall {:.4f}", n,
                         static_cast<double>(mid) / static_cast<double>(n - 1),
                         v.tensor[4 * n + mid], v.tensor[5 * n + mid]);
    }
    case ValueKind::kAudio:
      return fmt::format("audio {} clip(s), {} bytes{}", v.audio.size(),
                         v.audio.empty() ? 0 : v.audio[0].size(),
                         v.audio_labels.empty() || v.audio_labels[0].empty()
                             ? ""
                             : " \"" + short_text(v.audio_labels[0], 40) + "\"");
    case ValueKind::kMesh:
      return fmt::format("mesh '{}' {} [{}]", terminal_text(v.mesh_name, 60),
                         terminal_text(v.mesh_part, 20), fmt::join(v.tensor_shape, ", "));
    case ValueKind::kOther:
      return fmt::format("{} value", v.plugin.empty() ? "unknown" : terminal_text(v.plugin, 60));
  }
  return "?";
}

}  // namespace tblog::cli
