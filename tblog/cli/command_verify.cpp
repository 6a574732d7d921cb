// tblog verify: checks both CRCs and the Event encoding of every record of a logdir or file.
#include <fmt/format.h>

#include "commands.hpp"
#include "logdir_paths.hpp"
#include "problems.hpp"
#include "tblog/error.hpp"
#include "tblog/reader.hpp"
#include "text_format.hpp"

namespace tblog::cli {

int run_verify(const std::string& path, bool strict) {
  Problems problems;
  std::vector<std::string> files;
  if (!names_a_directory(path)) {
    files.push_back(path);  // one file: whatever it is, opening it says what is wrong
  } else {
    std::vector<LogdirProblem> unreadable;
    for (const auto& run : find_runs(path, unreadable)) {
      files.insert(files.end(), run.event_files.begin(), run.event_files.end());
    }
    problems.report_all(unreadable);
  }
  std::size_t records = 0, corrupt_files = 0, torn_files = 0;
  for (const auto& file : files) {
    FileReadReport report;
    try {
      report = for_each_event(file, OnCorruption::kSkip, [](const Event&) {});
    } catch (const RemoteTimeout&) {
      throw;  // the server does not answer: the other objects would wait as long
    } catch (const Error& error) {  // unreadable: said, and the other files are verified
      problems.report(file, error.what());
      continue;
    }
    records += report.events;
    for (const auto& error : report.corruption) fmt::print("CORRUPT    {}\n", terminal_text(error));
    if (!report.corruption.empty()) ++corrupt_files;
    if (!report.torn_tail.empty()) {
      ++torn_files;
      fmt::print("torn tail  {}\n", terminal_text(report.torn_tail));
    }
  }
  fmt::print(
      "{} files, {} valid records, {} files with corruption, {} with a torn tail, {} unreadable\n",
      files.size(), records, corrupt_files, torn_files, problems.count());
  if (corrupt_files) return problems.finish(1);
  if (strict && torn_files) return problems.finish(2);
  return problems.finish(0);
}

}  // namespace tblog::cli
