// An ObjectStore in memory, for unit tests of what sits on top of storage (the logdir index, the
// uploader, object sources): S3's answers without a server, pages of `page_size` keys counted as
// requests the way S3 counts them. Thread-safe. Internal to tblog.
#pragma once

#include <map>
#include <mutex>

#include "object_store.hpp"

namespace tblog::detail {

class MemoryObjectStore final : public ObjectStore {
 public:
  explicit MemoryObjectStore(std::size_t page_size = 1000) : page_size_(page_size) {}

  ObjectListing list(const ListQuery& query, std::size_t* requests = nullptr) override;
  void put(const std::string& key, std::string_view body) override;
  std::string get_range(const std::string& key, std::uint64_t offset, std::size_t size) override;
  std::uint64_t size(const std::string& key) override;
  std::string url(const std::string& key) const override { return "memory:" + key; }
  std::size_t keys_per_page() const override { return page_size_; }

  struct Counts {
    std::size_t lists = 0, gets = 0, sizes = 0, puts = 0;
  };
  Counts counts() const;
  void erase(const std::string& key);

 private:
  std::size_t page_size_;
  mutable std::mutex mutex_;
  std::map<std::string, std::string> objects_;
  Counts counts_;
};

}  // namespace tblog::detail
