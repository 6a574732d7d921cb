#include "s3_location.hpp"

#include "tblog/error.hpp"

namespace tblog::detail {
namespace {

constexpr std::string_view kScheme = "s3://";

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

std::string encode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_unreserved(c) || (keep_slash && c == '/')) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// S3's rules, loosely: 3-63 characters of lower-case letters, digits, '.', '-' (and '_', which
// older buckets and S3-compatible stores allow).
bool valid_bucket(std::string_view bucket) {
  if (bucket.size() < 3 || bucket.size() > 63) return false;
  for (const char c : bucket) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_'))
      return false;
  }
  return true;
}

}  // namespace

bool is_s3_url(std::string_view path) {
  return path.substr(0, kScheme.size()) == kScheme;
}

S3Location parse_s3_url(const std::string& url) {
  if (!is_s3_url(url)) throw InvalidArgument("'" + url + "' is not an s3:// URL");
  std::string_view rest = std::string_view(url).substr(kScheme.size());
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  const std::size_t slash = rest.find('/');
  S3Location location{std::string(rest.substr(0, slash)),
                      slash == std::string_view::npos ? "" : std::string(rest.substr(slash + 1))};
  if (!valid_bucket(location.bucket)) {
    throw InvalidArgument("'" + url + "': '" + location.bucket +
                          "' is not a bucket name (3-63 of a-z 0-9 . - _)");
  }
  std::string_view key = location.key;
  while (!key.empty()) {
    const std::size_t end = key.find('/');
    const std::string_view segment = key.substr(0, end);
    if (segment.empty() || segment == "." || segment == "..") {
      throw InvalidArgument("'" + url + "': the key has an empty, '.' or '..' segment");
    }
    if (end == std::string_view::npos) break;
    key.remove_prefix(end + 1);
  }
  return location;
}

std::string s3_url(const S3Location& location) {
  return std::string(kScheme) + location.bucket + (location.key.empty() ? "" : "/" + location.key);
}

std::string join_key(const std::string& key, const std::string& name) {
  return key.empty() ? name : key + "/" + name;
}

std::string encode_key_for_path(std::string_view key) {
  return encode(key, true);
}

std::string encode_query_value(std::string_view value) {
  return encode(value, false);
}

std::string decode_percent(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = hex_value(text[i + 1]), low = hex_value(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
    }
    out += text[i] == '+' ? ' ' : text[i];
  }
  return out;
}

}  // namespace tblog::detail
