#include "memory_object_store.hpp"

#include <algorithm>

#include "tblog/error.hpp"

namespace tblog::detail {

ObjectListing MemoryObjectStore::list(const ListQuery& query, std::size_t* requests) {
  std::lock_guard lock(mutex_);
  ObjectListing listing;
  // As S3 pages: each page holds up to page_size_ entries, a directory counting as one.
  std::size_t entries = 0;
  // From the prefix, or after start_after where that is later (S3: a start_after before the
  // prefix lists the prefix from its start).
  auto it = query.start_after < query.prefix ? objects_.lower_bound(query.prefix)
                                             : objects_.upper_bound(query.start_after);
  for (; it != objects_.end() && it->first.compare(0, query.prefix.size(), query.prefix) == 0;
       ++it) {
    const std::string& key = it->first;
    const std::size_t slash = query.one_level ? key.find('/', query.prefix.size()) : key.npos;
    if (slash != std::string::npos) {
      std::string directory = key.substr(0, slash + 1);
      if (listing.directories.empty() || listing.directories.back() != directory) {
        listing.directories.push_back(std::move(directory));
        ++entries;
      }
      continue;
    }
    listing.objects.push_back({key, it->second.size()});
    ++entries;
  }
  const std::size_t pages = std::max<std::size_t>(1, (entries + page_size_ - 1) / page_size_);
  counts_.lists += pages;
  if (requests) *requests += pages;
  return listing;
}

void MemoryObjectStore::put(const std::string& key, std::string_view body) {
  std::lock_guard lock(mutex_);
  ++counts_.puts;
  objects_[key] = std::string(body);
}

std::string MemoryObjectStore::get_range(const std::string& key, std::uint64_t offset,
                                         std::size_t size) {
  std::lock_guard lock(mutex_);
  ++counts_.gets;
  const auto found = objects_.find(key);
  if (found == objects_.end()) throw RemoteError("memory:" + key + ": no such object");
  if (offset >= found->second.size()) return {};
  return found->second.substr(offset, size);
}

std::uint64_t MemoryObjectStore::size(const std::string& key) {
  std::lock_guard lock(mutex_);
  ++counts_.sizes;
  const auto found = objects_.find(key);
  if (found == objects_.end()) throw RemoteError("memory:" + key + ": no such object");
  return found->second.size();
}

MemoryObjectStore::Counts MemoryObjectStore::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

void MemoryObjectStore::erase(const std::string& key) {
  std::lock_guard lock(mutex_);
  objects_.erase(key);
}

}  // namespace tblog::detail
