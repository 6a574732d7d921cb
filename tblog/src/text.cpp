#include "tblog/text.hpp"

#include <cstdio>

namespace tblog {

std::pair<long, std::size_t> utf8_code_point(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return {b0, 1};
  std::size_t length = 0;
  long cp = 0, minimum = 0;
  if ((b0 & 0xe0) == 0xc0) {
    length = 2, cp = b0 & 0x1f, minimum = 0x80;
  } else if ((b0 & 0xf0) == 0xe0) {
    length = 3, cp = b0 & 0x0f, minimum = 0x800;
  } else if ((b0 & 0xf8) == 0xf0) {
    length = 4, cp = b0 & 0x07, minimum = 0x10000;
  } else {
    return {-1, 1};
  }
  if (i + length > text.size()) return {-1, 1};
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return {-1, 1};
    cp = (cp << 6) | (byte(i + k) & 0x3f);
  }
  if (cp < minimum || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return {-1, 1};
  return {cp, length};
}

std::string printable_text(std::string_view text, std::size_t max_code_points) {
  std::string out;
  std::size_t shown = 0;  // code points
  char escape[8];
  for (std::size_t i = 0; i < text.size();) {
    if (shown == max_code_points) return out + "...";
    const auto [cp, length] = utf8_code_point(text, i);
    if (cp < 0x20 || cp == 0x7f) {  // cp < 0: a byte that is not UTF-8
      std::snprintf(escape, sizeof escape, "\\x%02x", static_cast<unsigned char>(text[i]));
      out += escape;
    } else if (cp >= 0x80 && cp < 0xa0) {  // C1 controls: some terminals obey them too
      std::snprintf(escape, sizeof escape, "\\u%04lx", cp);
      out += escape;
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
    ++shown;
  }
  return out;
}

std::string json_quoted(std::string_view text) {
  std::string out = "\"";
  char escape[8];
  for (std::size_t i = 0; i < text.size();) {
    const auto [cp, length] = utf8_code_point(text, i);
    const char c = text[i];
    if (cp < 0) {
      out += "\\ufffd";
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (cp < 0x20) {
      std::snprintf(escape, sizeof escape, "\\u%04lx", cp);
      out += escape;
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out + "\"";
}

}  // namespace tblog
