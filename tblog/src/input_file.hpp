// The one way tblog's readers open an input path: regular files only, checked before a byte is
// read, so a FIFO, a device (/dev/zero), a directory or a socket is an IoError naming the path,
// never a hang or an endless read; whole-file reads bounded by the size the file has.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tblog::detail {

// An open descriptor of the regular file `path` (O_CLOEXEC, blocking reads). Opened with
// O_NONBLOCK so that open() of a FIFO returns at once instead of waiting for a writer, then
// checked with fstat. Throws IoError "<what> '<path>': <reason>".
int open_input_file(const std::string& path, std::string_view what);

// The whole regular file, at most `limit` bytes (IoError when it is larger): its size is read
// with fstat first, so memory follows the bytes present, not what the file's contents claim.
std::string read_input_file(const std::string& path, std::string_view what,
                            std::size_t limit = std::size_t{1} << 30);

}  // namespace tblog::detail
