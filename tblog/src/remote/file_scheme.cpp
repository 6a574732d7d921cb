// file:// as a store scheme: the absolute path of the URL below the filesystem's root, as a
// FileObjectStore. Written and read the object way (whole files written once); a directory that
// a writer appends to is a plain path, not a file:// URL.
#include "file_object_store.hpp"
#include "store_schemes.hpp"
#include "tblog/error.hpp"

namespace tblog::detail {
namespace {

// "file:///data/runs" and "file://localhost/data/runs" name /data/runs: its key below "/".
std::string key_of_url(const std::string& url) {
  std::string_view path = std::string_view(url).substr(7);  // after "file://"
  if (path.substr(0, 10) == "localhost/") path.remove_prefix(9);
  if (path.empty() || path.front() != '/')
    throw InvalidArgument("'" + url +
                          "': a file:// URL names an absolute path on this machine "
                          "(file:///data/runs)");
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  return std::string(path);
}

StoredLogdir open_file(const std::string& url, int, const std::string&) {
  std::string key = key_of_url(url);
  return {std::make_shared<FileObjectStore>("/"), std::move(key)};
}

std::string file_store_id(const std::string&) {
  return "local";
}

void check_file_url(const std::string& url) {
  key_of_url(url);
}

}  // namespace

extern const StoreScheme kFileScheme{"file://", open_file, file_store_id, check_file_url};

}  // namespace tblog::detail
