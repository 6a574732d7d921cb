#include "text_format.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

namespace tblog::cli {

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<int>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
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
  std::string out;
  for (char c : text) out += (c == '\n' || c == '\r') ? ' ' : c;
  if (out.size() > limit) out = out.substr(0, limit) + "...";
  return out;
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
      return fmt::format("mesh '{}' {} [{}]", v.mesh_name, v.mesh_part,
                         fmt::join(v.tensor_shape, ", "));
    case ValueKind::kOther:
      return fmt::format("{} value", v.plugin.empty() ? "unknown" : v.plugin);
  }
  return "?";
}

}  // namespace tblog::cli
