// tblog cat: the events of one file, one per line (or JSON lines).
#include <fmt/format.h>

#include <filesystem>

#include "commands.hpp"
#include "logdir_paths.hpp"
#include "text_format.hpp"

namespace tblog::cli {
namespace {

void print_json(const Event& e) {
  std::string line =
      fmt::format("{{\"wall_time\":{},\"step\":{}", json_number(e.wall_time), e.step);
  if (!e.file_version.empty()) line += ",\"file_version\":" + json_string(e.file_version);
  if (e.session_log_status) line += fmt::format(",\"session_log_status\":{}", e.session_log_status);
  if (e.has_graph) {
    line += ",\"graph\":[";
    for (std::size_t i = 0; i < e.graph.nodes.size(); ++i) {
      const auto& n = e.graph.nodes[i];
      line += fmt::format("{}{{\"name\":{},\"op\":{},\"inputs\":{}}}", i ? "," : "",
                          json_string(n.name), json_string(n.op), n.inputs.size());
    }
    line += "]";
  }
  if (!e.run_metadata_tag.empty()) {
    line += fmt::format(",\"run_metadata\":{{\"tag\":{},\"nodes\":{}}}",
                        json_string(e.run_metadata_tag), e.run_metadata.size());
  }
  if (!e.values.empty()) {
    line += ",\"values\":[";
    for (std::size_t i = 0; i < e.values.size(); ++i) {
      if (i) line += ",";
      line += describe_json(e.values[i]);
    }
    line += "]";
  }
  fmt::print("{}}}\n", line);
}

void print_text(const Event& e) {
  if (!e.file_version.empty()) {
    fmt::print("{:.6f} step {}  file_version {}\n", e.wall_time, e.step,
               terminal_text(e.file_version, 60));
  }
  if (e.session_log_status) {
    fmt::print("{:.6f} step {}  session_log status {}\n", e.wall_time, e.step,
               e.session_log_status);
  }
  if (e.has_graph) fmt::print("{:.6f} step {}  {}\n", e.wall_time, e.step, describe_graph(e.graph));
  if (!e.run_metadata_tag.empty()) {
    fmt::print("{:.6f} step {}  {}  {}\n", e.wall_time, e.step,
               terminal_text(e.run_metadata_tag, 200), describe_run_metadata(e.run_metadata));
  }
  for (const auto& v : e.values) {
    fmt::print("{:.6f} step {}  {}  {}\n", e.wall_time, e.step, terminal_text(v.tag, 200),
               describe(v));
  }
}

}  // namespace

int run_cat(const std::string& file, bool json) {
  if (names_a_directory(file)) {
    fmt::print(stderr,
               "tblog: error: '{}' is a directory; cat reads one event file ("
               "`tblog ls {}` lists the runs and files below it)\n",
               terminal_text(file), terminal_text(file));
    return 2;
  }
  const FileReadReport report = for_each_event(
      file, OnCorruption::kStop, [json](const Event& e) { json ? print_json(e) : print_text(e); });
  if (!report.torn_tail.empty())
    fmt::print(stderr, "tblog: torn tail: {}\n", terminal_text(report.torn_tail));
  for (const auto& error : report.corruption)
    fmt::print(stderr, "tblog: error: {}\n", message_text(error));
  return report.corruption.empty() ? 0 : 1;
}

}  // namespace tblog::cli
