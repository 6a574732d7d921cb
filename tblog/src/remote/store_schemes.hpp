// The object stores tblog reaches, by URL scheme: adding a storage backend is its ObjectStore, its
// scheme and one row in store_schemes.cpp. Everything that reads or writes a logdir in a store
// (open_source, find_runs, last_step, the writer's sink, the data server) finds it here;
// require_supported_location refuses every other scheme. Internal to tblog.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "object_store.hpp"

namespace tblog::detail {

// A URL's store and the URL's key in it.
struct StoredLogdir {
  std::shared_ptr<ObjectStore> store;
  std::string root;  // "" for the store's root, no trailing '/'
};

struct StoreScheme {
  std::string_view prefix;  // "s3://"
  // The store of `url`, trying each operation `attempts` times, and the key: at `store_id` (as
  // store_id gave it, for a spool's segments), or where the environment says when that is empty.
  // Throws InvalidArgument for a URL of the scheme that names no place (and, in a build without
  // the backend, for every URL of it, saying why).
  StoredLogdir (*open)(const std::string& url, int attempts, const std::string& store_id);
  // What tells the stores of the scheme apart (S3: the endpoint): it names the spool's folders.
  std::string (*store_id)(const std::string& url);
  // Throws InvalidArgument, in one line naming the URL, when `url` names no place of the scheme:
  // what require_supported_location asks before anything is opened.
  void (*check)(const std::string& url);
};

// The scheme of `path`, or nullptr for a local path (or a scheme no store has).
const StoreScheme* store_scheme_of(std::string_view path);
// The schemes, for messages: "s3://, file://".
std::string store_scheme_names();

}  // namespace tblog::detail
