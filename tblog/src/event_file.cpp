#include "event_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "tblog/error.hpp"

namespace tblog::detail {

std::string event_file_host() {
  char buffer[256] = {};
  if (gethostname(buffer, sizeof buffer - 1) != 0 || buffer[0] == '\0') return "localhost";
  std::string host(buffer);
  for (char& c : host) {
    if (c == '/') c = '_';  // a path separator in a host name would break the file name
  }
  return host;
}

namespace {

// Process-wide, so that several writers started within the same second get distinct names that
// sort in creation order.
std::atomic<unsigned> g_file_counter{0};

}  // namespace

unsigned next_writer_number() {
  return g_file_counter++;
}

constexpr std::string_view kEventFilePrefix = "events.out.tfevents.";

std::string event_file_name_head(std::int64_t seconds, const std::string& host, long pid) {
  char digits[32];
  std::snprintf(digits, sizeof digits, "%010lld.", static_cast<long long>(seconds));
  return std::string(kEventFilePrefix) + digits + host + "." + std::to_string(pid) + ".";
}

long long event_file_name_seconds(std::string_view name) {
  constexpr std::size_t kDigits = 10;
  if (name.substr(0, kEventFilePrefix.size()) != kEventFilePrefix) return -1;
  name.remove_prefix(kEventFilePrefix.size());
  if (name.size() <= kDigits || name[kDigits] != '.') return -1;
  long long seconds = 0;
  for (std::size_t i = 0; i < kDigits; ++i) {
    if (name[i] < '0' || name[i] > '9') return -1;
    seconds = seconds * 10 + (name[i] - '0');
  }
  return seconds;
}

std::string event_file_name(std::int64_t seconds, const std::string& host, long pid,
                            unsigned counter, const std::string& suffix) {
  char count[16];
  std::snprintf(count, sizeof count, "%04u", counter);
  return event_file_name_head(seconds, host, pid) + count + suffix;
}

EventFile::EventFile(const std::string& logdir, const std::string& suffix) {
  if (logdir.empty()) throw InvalidArgument("logdir is empty");
  std::error_code ec;
  std::filesystem::create_directories(logdir, ec);
  if (ec || !std::filesystem::is_directory(logdir)) {
    throw IoError("cannot create logdir '" + logdir +
                  "': " + (ec ? ec.message() : std::string("exists and is not a directory")));
  }
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  const std::string host = event_file_host();
  for (int attempt = 0; attempt < 1000; ++attempt) {
    path_ =
        (std::filesystem::path(logdir) /
         event_file_name(seconds, host, static_cast<long>(getpid()), next_writer_number(), suffix))
            .string();
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd_ >= 0) return;
    if (errno != EEXIST) {
      throw IoError("cannot create event file '" + path_ + "': " + std::strerror(errno));
    }
  }
  throw IoError("cannot create event file in '" + logdir + "': every candidate name exists");
}

std::unique_ptr<EventFile> EventFile::create_at(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw IoError("cannot create event file '" + path + "': " + std::strerror(errno));
  return std::unique_ptr<EventFile>(new EventFile(path, fd));
}

EventFile::~EventFile() {
  if (fd_ >= 0) ::close(fd_);
}

std::string EventFile::write(std::string_view bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string reason = n < 0 ? std::strerror(errno) : "no progress";
      // Cut the partial batch off so the file ends at a record boundary.
      if (::ftruncate(fd_, static_cast<off_t>(size_)) == 0) {
        ::lseek(fd_, static_cast<off_t>(size_), SEEK_SET);
      }
      return "write to event file '" + path_ + "' failed: " + reason;
    }
    done += static_cast<std::size_t>(n);
  }
  size_ += bytes.size();
  return {};
}

void EventFile::remove() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  ::unlink(path_.c_str());
}

std::string EventFile::sync() {
  if (::fsync(fd_) != 0)
    return "fsync of event file '" + path_ + "' failed: " + std::strerror(errno);
  return {};
}

}  // namespace tblog::detail
