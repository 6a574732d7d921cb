// Reading data files, gzipped or not, with errors that name the file.
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "datasets.hpp"

namespace trainers {

std::string read_maybe_gzipped(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) throw DataError(path + ": file not found");
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file) throw DataError(path + ": cannot open (" + std::strerror(errno) + ")");
  gzbuffer(file, 1 << 20);
  std::string data;
  char buffer[1 << 16];
  for (;;) {
    const int n = gzread(file, buffer, sizeof buffer);
    if (n < 0) {
      int code = 0;
      const std::string message = gzerror(file, &code);
      gzclose(file);
      throw DataError(path + ": corrupt gzip data (" + message + ")");
    }
    if (n == 0) break;
    data.append(buffer, static_cast<std::size_t>(n));
  }
  // A gzip stream cut short reads as a clean end with zlib; gzclose_r reports it.
  const int close_status = gzclose(file);
  if (close_status == Z_BUF_ERROR) throw DataError(path + ": truncated gzip file");
  return data;
}

}  // namespace trainers
