#include "file_object_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "tblog/error.hpp"

namespace tblog::detail {
namespace fs = std::filesystem;
namespace {

// Names of the files put() writes before it renames them: never listed as objects.
constexpr std::string_view kPartialPrefix = ".tblog-put-";

bool is_partial(const fs::path& path) {
  return path.filename().string().rfind(kPartialPrefix, 0) == 0;
}

// The key of `path`, a file or directory below `base` (whose key is `base_key`).
std::string key_of(const fs::path& path, const fs::path& base, const std::string& base_key) {
  return base_key + path.lexically_relative(base).generic_string();
}

// Whether some file below `dir` (key `dir_key`, ending in '/') has a key after `start_after`.
bool has_file_after(const fs::path& dir, const std::string& dir_key,
                    const std::string& start_after) {
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec),
       end;
       !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && !is_partial(it->path()) &&
        key_of(it->path(), dir, dir_key) > start_after)
      return true;
  }
  return false;
}

[[noreturn]] void fail(const std::string& url, const std::string& what, int error) {
  throw RemoteError(url + ": " + what + " (" + std::strerror(error) + ")");
}

}  // namespace

FileObjectStore::FileObjectStore(fs::path root) : root_(std::move(root)) {}

fs::path FileObjectStore::path_of(const std::string& key) const {
  return root_ / fs::path(key);
}

std::string FileObjectStore::url(const std::string& key) const {
  return "file://" + path_of(key).generic_string();
}

ObjectListing FileObjectStore::list(const ListQuery& query, std::size_t* requests) {
  if (requests) ++*requests;
  ObjectListing listing;
  // Only the directory the prefix ends in can hold its keys.
  const std::size_t slash = query.prefix.rfind('/');
  const std::string base_key = slash == std::string::npos ? "" : query.prefix.substr(0, slash + 1);
  const fs::path base = base_key.empty() ? root_ : path_of(base_key);
  std::error_code ec;
  if (!fs::is_directory(base, ec)) return listing;  // no keys there, as a store answers
  const auto wanted = [&](const std::string& key) {
    return key.compare(0, query.prefix.size(), query.prefix) == 0 && key > query.start_after;
  };
  if (query.one_level) {
    for (fs::directory_iterator it(base, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec)) {
      std::error_code entry_ec;
      const std::string key = key_of(it->path(), base, base_key);
      if (it->is_directory(entry_ec) && !it->is_symlink(entry_ec)) {
        const std::string directory = key + "/";
        // Listed as a store lists it: when it holds a key after start_after.
        const bool may_hold_later = directory > query.start_after ||
                                    query.start_after.compare(0, directory.size(), directory) == 0;
        if (directory.compare(0, query.prefix.size(), query.prefix) == 0 && may_hold_later &&
            has_file_after(it->path(), directory, query.start_after))
          listing.directories.push_back(directory);
      } else if (it->is_regular_file(entry_ec) && !is_partial(it->path()) && wanted(key)) {
        listing.objects.push_back({key, it->file_size(entry_ec)});
      }
    }
  } else {
    for (fs::recursive_directory_iterator
             it(base, fs::directory_options::skip_permission_denied, ec),
         end;
         !ec && it != end; it.increment(ec)) {
      std::error_code entry_ec;
      if (!it->is_regular_file(entry_ec) || is_partial(it->path())) continue;
      std::string key = key_of(it->path(), base, base_key);
      if (wanted(key)) listing.objects.push_back({std::move(key), it->file_size(entry_ec)});
    }
  }
  if (ec) fail(url(base_key), "cannot list", ec.value());
  // In key order, as a store answers: a walk goes directory by directory ("a/b" before "a-c").
  std::sort(listing.objects.begin(), listing.objects.end(),
            [](const StoredObject& a, const StoredObject& b) { return a.key < b.key; });
  std::sort(listing.directories.begin(), listing.directories.end());
  return listing;
}

void FileObjectStore::put(const std::string& key, std::string_view body) {
  const fs::path target = path_of(key);
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec) fail(url(key), "cannot create its directory", ec.value());
  static std::atomic<unsigned> serial{0};
  const fs::path partial =
      target.parent_path() /
      (std::string(kPartialPrefix) + std::to_string(::getpid()) + "-" + std::to_string(serial++));
  const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) fail(url(key), "cannot write", errno);
  std::size_t done = 0;
  int error = 0;
  while (done < body.size() && error == 0) {
    const ssize_t n = ::write(fd, body.data() + done, body.size() - done);
    if (n < 0 && errno != EINTR) error = errno;
    if (n > 0) done += static_cast<std::size_t>(n);
  }
  // Synced before the rename: after a crash the object is whole or absent, never short.
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && ::rename(partial.c_str(), target.c_str()) != 0) error = errno;
  if (error != 0) {
    fs::remove(partial, ec);
    fail(url(key), "cannot write", error);
  }
}

std::string FileObjectStore::get_range(const std::string& key, std::uint64_t offset,
                                       std::size_t size) {
  // Non-blocking: a FIFO put there in an object's place is refused, not waited on.
  const int fd = ::open(path_of(key).c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) fail(url(key), errno == ENOENT ? "no such object" : "cannot read", errno);
  struct stat status {};
  if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
    ::close(fd);
    throw RemoteError(url(key) + ": not a regular file");
  }
  std::string bytes;
  int error = 0;
  while (bytes.size() < size && error == 0) {
    char buffer[1 << 16];
    const std::size_t want = std::min(sizeof buffer, size - bytes.size());
    const ssize_t n = ::pread(fd, buffer, want, static_cast<off_t>(offset + bytes.size()));
    if (n < 0 && errno != EINTR) error = errno;
    if (n == 0) break;  // the object ends here
    if (n > 0) bytes.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  if (error != 0) fail(url(key), "cannot read", error);
  return bytes;
}

std::uint64_t FileObjectStore::size(const std::string& key) {
  std::error_code ec;
  const fs::path path = path_of(key);
  if (!fs::is_regular_file(path, ec)) fail(url(key), "no such object", ec ? ec.value() : ENOENT);
  const std::uintmax_t bytes = fs::file_size(path, ec);
  if (ec) fail(url(key), "cannot read its size", ec.value());
  return bytes;
}

}  // namespace tblog::detail
