#include "s3_xml.hpp"

#include <cstdlib>

namespace tblog::detail {

std::vector<std::string_view> xml_blocks(std::string_view xml, std::string_view name) {
  const std::string open = "<" + std::string(name) + ">", close = "</" + std::string(name) + ">";
  std::vector<std::string_view> blocks;
  std::size_t at = 0;
  for (;;) {
    const std::size_t start = xml.find(open, at);
    if (start == std::string_view::npos) break;
    const std::size_t end = xml.find(close, start + open.size());
    if (end == std::string_view::npos) break;
    blocks.push_back(xml.substr(start + open.size(), end - start - open.size()));
    at = end + close.size();
  }
  return blocks;
}

std::string xml_text(std::string_view xml, std::string_view name) {
  const auto blocks = xml_blocks(xml, name);
  return blocks.empty() ? std::string() : xml_unescape(blocks.front());
}

std::string xml_unescape(std::string_view text) {
  static constexpr std::pair<std::string_view, char> kNamed[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    bool decoded = false;
    for (const auto& [entity, character] : kNamed) {
      if (text.substr(i, entity.size()) == entity) {
        out += character;
        i += entity.size() - 1;
        decoded = true;
        break;
      }
    }
    const std::size_t semicolon = text.find(';', i);
    if (!decoded && text.substr(i, 2) == "&#" && semicolon != std::string_view::npos &&
        semicolon - i <= 8) {
      const bool hex = text.size() > i + 2 && (text[i + 2] == 'x' || text[i + 2] == 'X');
      const std::string digits(text.substr(i + (hex ? 3 : 2), semicolon - i - (hex ? 3 : 2)));
      char* end = nullptr;
      const long code = std::strtol(digits.c_str(), &end, hex ? 16 : 10);
      if (!digits.empty() && end && *end == '\0' && code > 0 && code < 128) {
        out += static_cast<char>(code);
        i = semicolon;
        decoded = true;
      }
    }
    if (!decoded) out += '&';
  }
  return out;
}

}  // namespace tblog::detail
