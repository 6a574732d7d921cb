// Reading data files, gzipped or not, with errors that name the file.
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "datasets.hpp"

namespace trainers {

namespace {

// Up to `limit` + 1 bytes of the file, inflated when gzipped: one byte past the limit says there
// is more, without inflating the rest.
std::string read_up_to(const std::string& path, std::size_t limit) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw DataError(path + ": file not found");
  // A FIFO would block gzopen, a device would never end.
  if (!std::filesystem::is_regular_file(path, ec)) throw DataError(path + ": not a regular file");
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file) throw DataError(path + ": cannot open (" + std::strerror(errno) + ")");
  gzbuffer(file, 1 << 20);
  std::string data;
  char buffer[1 << 16];
  while (data.size() <= limit) {
    const auto want = std::min<std::size_t>(sizeof buffer, limit + 1 - data.size());
    const int n = gzread(file, buffer, static_cast<unsigned>(want));
    if (n < 0) {
      int code = 0;
      const std::string message = gzerror(file, &code);
      gzclose(file);
      throw DataError(path + ": corrupt gzip data (" + message + ")");
    }
    if (n == 0) break;
    data.append(buffer, static_cast<std::size_t>(n));
  }
  const bool stopped_early = data.size() > limit;
  // A gzip stream cut short reads as a clean end with zlib; gzclose_r reports it.
  const int close_status = gzclose(file);
  if (!stopped_early && close_status == Z_BUF_ERROR)
    throw DataError(path + ": truncated gzip file");
  return data;
}

}  // namespace

std::string read_maybe_gzipped(const std::string& path, std::size_t limit) {
  std::string data = read_up_to(path, limit);
  if (data.size() > limit)
    throw DataError(path + ": more than " + std::to_string(limit) + " bytes" +
                    (limit == kUnlimited ? "" : " (more than its header says)"));
  return data;
}

std::string read_prefix(const std::string& path, std::size_t bytes) {
  std::string data = read_up_to(path, bytes);
  data.resize(std::min(data.size(), bytes));
  return data;
}

}  // namespace trainers
