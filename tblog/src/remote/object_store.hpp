// Storage as tblog's readers and uploaders see it: objects written once under keys, listed in key
// order. S3 is one implementation (s3_object_store.cpp), memory another (memory_object_store.hpp,
// for tests). Keys are relative to the store's root (for S3, a bucket). Failures throw
// RemoteError (RemoteTimeout when the store did not answer in time). Internal to tblog.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tblog::detail {

struct StoredObject {
  std::string key;
  std::uint64_t size = 0;
};

struct ListQuery {
  std::string prefix;
  std::string start_after;  // only keys after this one ("" : from the start)
  bool one_level = false;   // keys with a '/' after the prefix come back as `directories`
};

struct ObjectListing {
  std::vector<StoredObject> objects;     // in key order
  std::vector<std::string> directories;  // in order; each "prefix/name/" (one_level only)
};

class ObjectStore {
 public:
  using Clock = std::chrono::steady_clock;
  virtual ~ObjectStore() = default;

  // Every page of the answer; `requests` (when given) counts the list requests it took. Holds
  // only what was asked for: keys under the prefix, after start_after (one_level: no '/' after
  // the prefix). A store whose server may answer more (S3) leaves the rest out itself; callers
  // rely on it.
  virtual ObjectListing list(const ListQuery& query, std::size_t* requests = nullptr) = 0;
  // Writes the object whole.
  virtual void put(const std::string& key, std::string_view body) = 0;
  // Up to `size` bytes from `offset`: fewer where the object ends, none past its end.
  virtual std::string get_range(const std::string& key, std::uint64_t offset, std::size_t size) = 0;
  virtual std::uint64_t size(const std::string& key) = 0;
  // How readers name the object: "s3://bucket/key", "memory:key".
  virtual std::string url(const std::string& key) const = 0;
  // How messages name it: the URL, and for a server where it is ("s3://b/k at http://host:9000").
  virtual std::string describe(const std::string& key) const { return url(key); }
  // Most keys one list request brings back (S3: 1,000): what a listing costs.
  virtual std::size_t keys_per_page() const { return 1000; }
  // From any thread: requests in flight at `when` are cut off and fail; none start after.
  virtual void cancel_at(Clock::time_point when) { (void)when; }
};

}  // namespace tblog::detail
