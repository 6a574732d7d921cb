// tblog export without --tag: every scalar of every run as one long table, the shape papers'
// plotting scripts want (pandas.read_csv / read_json(lines=True)).
#include <fmt/compile.h>
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <memory>
#include <optional>
#include <unordered_map>

#include <re2/re2.h>

#include "commands.hpp"
#include "tblog/reader.hpp"
#include "text_format.hpp"

namespace tblog::cli {
namespace {

// RE2, not std::regex: libstdc++'s matcher recurses once per character and overflowed the stack
// on a long tag (SIGSEGV); RE2 matches in linear time without recursion, in bounded memory.
std::unique_ptr<RE2> compile(const std::string& pattern, const char* option) {
  if (pattern.empty()) return nullptr;
  auto re = std::make_unique<RE2>(pattern, RE2::Quiet);
  if (!re->ok())
    throw std::invalid_argument(std::string(option) + " '" + pattern + "': " + re->error());
  return re;
}

bool matches(const std::unique_ptr<RE2>& re, const std::string& text) {
  return !re || RE2::PartialMatch(text, *re);
}

}  // namespace

int run_export_all(const std::string& logdir, const std::string& run_name,
                   const std::string& run_regex, const std::string& tag_regex,
                   const std::string& format) {
  if (format == "json") {
    fmt::print(stderr, "tblog: error: the long table is csv or jsonl (json needs --tag)\n");
    return 2;
  }
  std::unique_ptr<RE2> runs_re, tags_re;
  try {
    runs_re = compile(run_regex, "--run-regex");
    tags_re = compile(tag_regex, "--tag-regex");
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "tblog: error: {}\n", e.what());
    return 2;
  }
  const bool csv = format == "csv";
  // Rows are formatted straight into one buffer written out in 64 KiB blocks; each tag's quoted
  // form is made once. Formatting, not reading, was most of the time (callgrind).
  fmt::memory_buffer out;
  auto flush_if_full = [&](std::size_t limit) {
    if (out.size() < limit) return;
    std::fwrite(out.data(), 1, out.size(), stdout);
    out.clear();
  };
  if (csv) fmt::format_to(std::back_inserter(out), "run,tag,step,wall_time,value\n");
  // Each tag's quoted form, made once; nullopt: filtered out by --tag-regex.
  std::unordered_map<std::string, std::optional<std::string>> quoted_tags;
  std::size_t rows = 0;
  for (const auto& run : find_runs(logdir)) {
    if ((!run_name.empty() && run.name != run_name) || !matches(runs_re, run.name)) continue;
    const std::string run_field = csv ? csv_field(run.name) : json_string(run.name);
    for (const auto& file : run.event_files) {
      for_each_event(file, OnCorruption::kSkip, [&](const Event& e) {
        for (const auto& v : e.values) {
          if (v.kind != ValueKind::kScalar) continue;
          auto tag = quoted_tags.find(v.tag);
          if (tag == quoted_tags.end()) {  // first sight of this tag: filter and quote it once
            const bool wanted = matches(tags_re, v.tag);
            std::optional<std::string> quoted;
            if (wanted) quoted = csv ? csv_field(v.tag) : json_string(v.tag);
            tag = quoted_tags.emplace(v.tag, std::move(quoted)).first;
          }
          if (!tag->second) continue;  // filtered out by --tag-regex
          auto it = std::back_inserter(out);
          // Wall time to 6 decimals with std::to_chars (Ryu printf): the same digits as fmt's
          // {:.6f}, which falls back to its slow Dragon4 for many whole-second times (36% of
          // exporting 100 runs).
          char wall[64];
          const auto wall_end =
              std::to_chars(wall, wall + sizeof wall, e.wall_time, std::chars_format::fixed, 6).ptr;
          // JSON has no NaN or Infinity: null, as for the values.
          const std::string_view wall_text =
              !csv && !std::isfinite(e.wall_time)
                  ? std::string_view("null")
                  : std::string_view(wall, static_cast<std::size_t>(wall_end - wall));
          if (csv) {
            fmt::format_to(it, FMT_COMPILE("{},{},{},{},"), run_field, *tag->second, e.step,
                           wall_text);
          } else {
            fmt::format_to(it,
                           FMT_COMPILE("{{\"run\":{},\"tag\":{},\"step\":{},"
                                       "\"wall_time\":{},\"value\":"),
                           run_field, *tag->second, e.step, wall_text);
          }
          append_number(out, v.scalar(), /*null_for_non_finite=*/!csv);
          fmt::format_to(std::back_inserter(out), FMT_COMPILE("{}"), csv ? "\n" : "}\n");
          ++rows;
          flush_if_full(64 << 10);
        }
      });
    }
  }
  flush_if_full(0);
  if (rows == 0) {
    fmt::print(stderr, "tblog: error: no scalars match under {}\n", logdir);
    return 1;
  }
  return 0;
}

}  // namespace tblog::cli
