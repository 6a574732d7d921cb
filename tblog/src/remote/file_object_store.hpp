// A local directory as an ObjectStore: each object a file below it, its key the file's path
// relative to the directory ('/' between names). Objects are written the way object stores write
// them, once and whole: a temporary file, synced and renamed into place, so a reader never sees
// part of one. file:// logdirs use it (file_scheme.cpp): the writer's uploader then puts each
// segment as a whole new file, which is what mounts of object storage that cannot append or
// rewrite a file take (Mountpoint for Amazon S3, gcsfuse). Thread-safe. Internal to tblog.
#pragma once

#include <filesystem>

#include "object_store.hpp"

namespace tblog::detail {

class FileObjectStore final : public ObjectStore {
 public:
  explicit FileObjectStore(std::filesystem::path root);

  // One request per call, however many keys: a local listing is one walk of the directories the
  // prefix can reach (symbolic links to directories are not followed, as no cycle can trap it).
  ObjectListing list(const ListQuery& query, std::size_t* requests = nullptr) override;
  void put(const std::string& key, std::string_view body) override;
  std::string get_range(const std::string& key, std::uint64_t offset, std::size_t size) override;
  std::uint64_t size(const std::string& key) override;
  std::string url(const std::string& key) const override;
  // Every key is listed in one walk: listing whole is always the cheapest.
  std::size_t keys_per_page() const override { return static_cast<std::size_t>(-1); }

 private:
  std::filesystem::path path_of(const std::string& key) const;
  std::filesystem::path root_;
};

}  // namespace tblog::detail
