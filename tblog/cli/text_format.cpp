#include "text_format.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

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
    case ValueKind::kOther:
      return fmt::format("{} value", v.plugin.empty() ? "unknown" : v.plugin);
  }
  return "?";
}

}  // namespace tblog::cli
