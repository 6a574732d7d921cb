#include "spool.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <utility>

#include "../input_file.hpp"
#include "s3_location.hpp"
#include "tblog/byte_source.hpp"
#include "tblog/error.hpp"
#include "tblog/reader.hpp"
#include "tblog/record.hpp"

namespace fs = std::filesystem;

namespace tblog::detail {
namespace {

constexpr const char* kTargetFile = "target";
constexpr const char* kLockFile = "lock";

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// Takes the directory's lock without waiting: -1 when a live writer holds it.
int try_lock(const std::string& dir) {
  const std::string path = dir + "/" + kLockFile;
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return -1;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

std::string spool_root(const std::string& configured) {
  if (!configured.empty()) return configured;
  if (std::string dir = environment("TBLOG_SPOOL_DIR"); !dir.empty()) return dir;
  if (std::string dir = environment("XDG_CACHE_HOME"); !dir.empty()) return dir + "/tblog/spool";
  if (std::string dir = environment("HOME"); !dir.empty()) return dir + "/.cache/tblog/spool";
  return "/tmp/tblog-spool-" + std::to_string(::getuid());
}

namespace {

// One path component for `text`: percent-encoded, and where that is longer than a file name may
// be (S3 keys reach 1,024 bytes, percent-encoding triples non-ASCII bytes, NAME_MAX is 255), its
// first part and a 64-bit hash of the whole. The writer directory's target file keeps the whole
// URL; writers adopt only the orphans whose target is their run.
std::string spool_component(const std::string& text) {
  constexpr std::size_t kMaxComponent = 200, kKept = 160;
  std::string encoded = encode_query_value(text);
  if (encoded.size() <= kMaxComponent) return encoded;
  std::uint64_t hash = 14695981039346656037ull;  // FNV-1a: stable across runs and builds
  for (const char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  // '%' only ever starts a three-byte escape: never cut one in half.
  std::size_t cut = kKept;
  if (encoded[cut - 1] == '%')
    cut -= 1;
  else if (encoded[cut - 2] == '%')
    cut -= 2;
  char tail[24];
  std::snprintf(tail, sizeof tail, "~%016llx", static_cast<unsigned long long>(hash));
  return encoded.substr(0, cut) + tail;
}

}  // namespace

std::string run_spool_dir(const std::string& root, const std::string& endpoint,
                          const std::string& run_url) {
  return root + "/" + spool_component(endpoint) + "/" + spool_component(run_url);
}

LockedSpool LockedSpool::create(const std::string& dir, const std::string& run_url,
                                const std::string& endpoint) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw IoError("cannot create spool directory '" + dir + "': " + ec.message());
  const int fd = try_lock(dir);
  if (fd < 0) throw IoError("cannot lock spool directory '" + dir + "': " + std::strerror(errno));
  LockedSpool spool(dir, run_url, endpoint, fd);
  std::ofstream target(dir + "/" + kTargetFile, std::ios::trunc);
  target << run_url << "\n" << endpoint << "\n";
  if (!target.flush()) throw IoError("cannot write '" + dir + "/" + kTargetFile + "'");
  return spool;
}

LockedSpool::LockedSpool(LockedSpool&& other) noexcept
    : dir_(std::move(other.dir_)), run_url_(std::move(other.run_url_)),
      endpoint_(std::move(other.endpoint_)), lock_fd_(std::exchange(other.lock_fd_, -1)) {}

LockedSpool::~LockedSpool() {
  if (lock_fd_ < 0) return;
  if (segments().empty()) {  // all uploaded: nothing to keep
    std::error_code ec;
    fs::remove(fs::path(dir_) / kTargetFile, ec);
    fs::remove(fs::path(dir_) / kLockFile, ec);
    fs::remove(dir_, ec);  // only if empty: anything else someone put there stays
  }
  ::close(lock_fd_);
}

std::vector<std::string> LockedSpool::segments() const {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (is_event_file_name(name) && it->is_regular_file(ec)) out.push_back(it->path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> LockedSpool::segments_to_upload() const {
  std::vector<std::string> out;
  for (std::string& file : segments()) {
    if (trim_to_whole_records(file) <= 1) {
      std::error_code ec;
      fs::remove(file, ec);
    } else {
      out.push_back(std::move(file));
    }
  }
  return out;
}

std::string read_segment(const std::string& path) {
  return read_input_file(path, "spooled segment", std::size_t{5} << 30);
}

std::vector<LockedSpool> adopt_orphans(const std::string& dir, std::vector<std::string>& in_use) {
  std::vector<LockedSpool> adopted;
  std::error_code ec;
  std::vector<std::string> writer_dirs;
  if (fs::is_regular_file(fs::path(dir) / kTargetFile, ec)) writer_dirs.push_back(dir);
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().filename() == kTargetFile && it->is_regular_file(ec))
      writer_dirs.push_back(it->path().parent_path().string());
  }
  std::sort(writer_dirs.begin(), writer_dirs.end());
  writer_dirs.erase(std::unique(writer_dirs.begin(), writer_dirs.end()), writer_dirs.end());
  for (const std::string& writer_dir : writer_dirs) {
    const int fd = try_lock(writer_dir);
    if (fd < 0) {
      in_use.push_back(writer_dir);
      continue;
    }
    std::ifstream target(writer_dir + "/" + kTargetFile);
    std::string url, endpoint;
    std::getline(target, url);
    std::getline(target, endpoint);
    adopted.push_back(LockedSpool(writer_dir, url, endpoint, fd));
  }
  return adopted;
}

std::size_t trim_to_whole_records(const std::string& path) {
  std::size_t records = 0;
  std::uint64_t good_end = 0;
  {
    RecordReader reader(open_file_source(path));
    std::string payload;
    while (reader.next(payload) == RecordStatus::kOk) {
      ++records;
      good_end = reader.offset();
    }
  }
  std::error_code ec;
  if (fs::file_size(path, ec) != good_end && !ec) {
    fs::resize_file(path, good_end, ec);
    if (ec) throw IoError("cannot cut spooled segment '" + path + "' to whole records: " +
                          ec.message());
  }
  return records;
}

}  // namespace tblog::detail
