// The byte sources every build provides: a local regular file and a buffer in memory (objects in
// remote storage: remote/s3_source.cpp).
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "input_file.hpp"
#include "remote/object_source.hpp"
#include "remote/store_schemes.hpp"
#include "tblog/byte_source.hpp"
#include "tblog/error.hpp"
#include "tblog/remote.hpp"

namespace tblog {
namespace {

class FileSource final : public ByteSource {
 public:
  explicit FileSource(const std::string& path)
      : path_(path), fd_(detail::open_input_file(path, "event file")) {}
  ~FileSource() override { ::close(fd_); }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  std::size_t read_at(std::uint64_t offset, char* out, std::size_t size) override {
    std::size_t got = 0;
    while (got < size) {
      const ssize_t n = ::pread(fd_, out + got, size - got, static_cast<off_t>(offset + got));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw IoError("cannot read '" + path_ + "': " + std::strerror(errno));
      if (n == 0) break;
      got += static_cast<std::size_t>(n);
    }
    return got;
  }

  std::uint64_t size() override {
    struct stat st {};
    if (::fstat(fd_, &st) != 0)
      throw IoError("cannot stat '" + path_ + "': " + std::strerror(errno));
    return static_cast<std::uint64_t>(st.st_size);
  }

  const std::string& name() const override { return path_; }

 private:
  std::string path_;
  int fd_;
};

class MemorySource final : public ByteSource {
 public:
  MemorySource(std::string bytes, std::string name)
      : bytes_(std::move(bytes)), name_(std::move(name)) {}

  std::size_t read_at(std::uint64_t offset, char* out, std::size_t size) override {
    if (offset >= bytes_.size()) return 0;
    const std::size_t n = std::min<std::uint64_t>(size, bytes_.size() - offset);
    std::memcpy(out, bytes_.data() + offset, n);
    return n;
  }
  std::uint64_t size() override { return bytes_.size(); }
  const std::string& name() const override { return name_; }

 private:
  std::string bytes_;
  std::string name_;
};

}  // namespace

ByteSource::~ByteSource() = default;

std::unique_ptr<ByteSource> open_file_source(const std::string& path) {
  return std::make_unique<FileSource>(path);
}

std::unique_ptr<ByteSource> open_source(const std::string& path_or_url) {
  require_supported_location(path_or_url);
  if (const detail::StoreScheme* scheme = detail::store_scheme_of(path_or_url)) {
    detail::StoredLogdir object = scheme->open(path_or_url, 3, {});
    return detail::open_object_source(std::move(object.store), std::move(object.root));
  }
  return open_file_source(path_or_url);
}

std::unique_ptr<ByteSource> memory_source(std::string bytes, std::string name) {
  return std::make_unique<MemorySource>(std::move(bytes), std::move(name));
}

}  // namespace tblog
