#include "names.hpp"

#include "tblog/text.hpp"

namespace tblog::serve {

std::string valid_utf8(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size() && static_cast<unsigned char>(bytes[i]) < 0x80) ++i;
  if (i == bytes.size()) return std::string(bytes);  // ASCII: the common case, one copy
  std::string out(bytes.substr(0, i));
  while (i < bytes.size()) {
    const auto [code_point, length] = utf8_code_point(bytes, i);
    if (code_point < 0) {
      out += "\xEF\xBF\xBD";
    } else {
      out.append(bytes.substr(i, length));
    }
    i += length;
  }
  return out;
}

}  // namespace tblog::serve
