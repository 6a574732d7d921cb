#include "blob_key.hpp"

#include <nlohmann/json.hpp>

namespace tblog::serve {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

}  // namespace

// Hand-written: a dozen lines, and Debian has no C++ base64 library that does the URL-safe
// alphabet without padding.
std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const auto n = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i]) << 16 |
                                              static_cast<unsigned char>(bytes[i + 1]) << 8 |
                                              static_cast<unsigned char>(bytes[i + 2]));
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(n >> shift) & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i]) << 16);
    if (rest == 2) n |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    if (rest == 2) out += kAlphabet[(n >> 6) & 63];
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    const int value = sextet(c);
    if (value < 0) return std::nullopt;
    bits = bits << 6 | static_cast<std::uint32_t>(value);
    if (++count == 4) {
      out += static_cast<char>(bits >> 16 & 0xFF);
      out += static_cast<char>(bits >> 8 & 0xFF);
      out += static_cast<char>(bits & 0xFF);
      bits = 0;
      count = 0;
    }
  }
  if (count == 2) out += static_cast<char>(bits >> 4 & 0xFF);
  if (count == 3) {
    out += static_cast<char>(bits >> 10 & 0xFF);
    out += static_cast<char>(bits >> 2 & 0xFF);
  }
  return out;
}

std::string encode_blob_key(const BlobKey& key) {
  // nlohmann's compact dump escapes as serde_json does (\n, \u001f...; UTF-8 kept as is).
  const nlohmann::json wire =
      nlohmann::json::array({key.experiment_id, key.run, key.tag, key.step, key.index});
  return base64url_encode(wire.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::optional<BlobKey> decode_blob_key(std::string_view text) {
  const std::optional<std::string> json = base64url_decode(text);
  if (!json) return std::nullopt;
  const nlohmann::json wire = nlohmann::json::parse(*json, nullptr, /*allow_exceptions=*/false);
  if (!wire.is_array() || wire.size() != 5 || !wire[0].is_string() || !wire[1].is_string() ||
      !wire[2].is_string() || !wire[3].is_number_integer() || !wire[4].is_number_unsigned()) {
    return std::nullopt;
  }
  BlobKey key;
  key.experiment_id = wire[0].get<std::string>();
  key.run = wire[1].get<std::string>();
  key.tag = wire[2].get<std::string>();
  key.step = wire[3].get<std::int64_t>();
  key.index = wire[4].get<std::uint64_t>();
  return key;
}

}  // namespace tblog::serve
