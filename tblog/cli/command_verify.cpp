// tblog verify: checks both CRCs and the Event encoding of every record of a logdir or file.
#include <fmt/format.h>

#include <filesystem>

#include "commands.hpp"
#include "tblog/error.hpp"
#include "tblog/reader.hpp"

namespace tblog::cli {

int run_verify(const std::string& path, bool strict) {
  std::vector<std::string> files;
  if (std::filesystem::is_regular_file(path)) {
    files.push_back(path);
  } else {
    for (const auto& run : find_runs(path)) {
      files.insert(files.end(), run.event_files.begin(), run.event_files.end());
    }
  }
  std::size_t records = 0, corrupt_files = 0, torn_files = 0;
  for (const auto& file : files) {
    const FileReadReport report = for_each_event(file, OnCorruption::kSkip, [](const Event&) {});
    records += report.events;
    for (const auto& error : report.corruption) fmt::print("CORRUPT    {}\n", error);
    if (!report.corruption.empty()) ++corrupt_files;
    if (!report.torn_tail.empty()) {
      ++torn_files;
      fmt::print("torn tail  {}\n", report.torn_tail);
    }
  }
  fmt::print("{} files, {} valid records, {} files with corruption, {} with a torn tail\n",
             files.size(), records, corrupt_files, torn_files);
  if (corrupt_files) return 1;
  if (strict && torn_files) return 2;
  return 0;
}

}  // namespace tblog::cli
