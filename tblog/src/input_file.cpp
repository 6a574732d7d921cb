#include "input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "tblog/error.hpp"

namespace tblog::detail {
namespace {

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

IoError failure(std::string_view what, const std::string& path, const std::string& reason) {
  return IoError(std::string(what) + " '" + path + "': " + reason);
}

}  // namespace

int open_input_file(const std::string& path, std::string_view what) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) throw failure(what, path, std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int error = errno;
    ::close(fd);
    throw failure(what, path, std::strerror(error));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw failure(what, path, "is " + kind_of(st.st_mode) + ", not a regular file");
  }
  // Regular files never block; clearing the flag keeps later reads plain.
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  return fd;
}

std::string read_input_file(const std::string& path, std::string_view what, std::size_t limit) {
  const int fd = open_input_file(path, what);
  struct stat st {};
  ::fstat(fd, &st);
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size > limit) {
    ::close(fd);
    throw failure(
        what, path,
        std::to_string(size) + " bytes, more than the " + std::to_string(limit) + " allowed");
  }
  std::string bytes(size, '\0');
  std::size_t got = 0;
  while (got < size) {  // a file that shrinks while read ends early: what is there is returned
    const ssize_t n = ::read(fd, bytes.data() + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      throw failure(what, path, std::strerror(error));
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  bytes.resize(got);
  return bytes;
}

}  // namespace tblog::detail
