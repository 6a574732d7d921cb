// What every build knows of remote paths, with or without S3 support.
#include <cctype>

#include "spool.hpp"
#include "store_schemes.hpp"
#include "tblog/error.hpp"
#include "tblog/remote.hpp"

namespace tblog {
namespace {

// The scheme of "scheme://..." (RFC 3986's letters), empty for anything else.
std::string url_scheme(const std::string& path) {
  const auto end = path.find("://");
  if (end == std::string::npos || end == 0) return {};
  const auto letter = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
  if (!letter(path[0])) return {};
  for (std::size_t i = 1; i < end; ++i) {
    const char c = path[i];
    if (!letter(c) && !std::isdigit(static_cast<unsigned char>(c)) && c != '+' && c != '-' &&
        c != '.')
      return {};
  }
  return path.substr(0, end);
}

}  // namespace

bool is_remote_path(const std::string& path) {
  return detail::store_scheme_of(path) != nullptr;
}

void require_supported_location(const std::string& path) {
  if (const detail::StoreScheme* store = detail::store_scheme_of(path)) {
    store->check(path);
    return;
  }
  const std::string scheme = url_scheme(path);
  if (scheme.empty()) return;
  throw InvalidArgument("'" + path + "': unsupported scheme " + scheme +
                        ":// (tblog reads and writes local paths and " +
                        detail::store_scheme_names() + " URLs)");
}

std::string default_spool_dir() {
  return detail::spool_root("");
}

}  // namespace tblog
