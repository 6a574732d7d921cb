// Whether a path the user gave names a logdir (or run) rather than one event file, for local
// paths and s3:// URLs alike (object storage has no directories: a key whose last part is not an
// event file's name is a prefix).
#pragma once

#include <filesystem>
#include <string>

#include "tblog/reader.hpp"
#include "tblog/remote.hpp"

namespace tblog::cli {

inline bool names_a_directory(const std::string& path) {
  if (is_remote_path(path)) {
    const auto slash = path.find_last_of('/');
    return path.back() == '/' || !is_event_file_name(path.substr(slash + 1));
  }
  std::error_code ec;
  return std::filesystem::is_directory(path, ec);
}

}  // namespace tblog::cli
