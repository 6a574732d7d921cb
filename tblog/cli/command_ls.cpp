// tblog ls: runs, and per run every tag with its kind, count, step range and last scalar.
#include <fmt/format.h>

#include <map>
#include <optional>

#include "commands.hpp"
#include "problems.hpp"
#include "tblog/error.hpp"
#include "text_format.hpp"

namespace tblog::cli {
namespace {

struct TagSummary {
  ValueKind kind = ValueKind::kOther;
  std::size_t count = 0;
  std::int64_t first_step = 0, last_step = 0;
  double last_scalar = 0;
};

// Tags longer than this are cut in the table (the rest of the line stays readable).
constexpr std::size_t kTagWidth = 60;

void print_embeddings(const RunFiles& run, Problems& problems) {
  std::vector<StoredEmbedding> embeddings;
  try {
    embeddings = read_embeddings(run.directory);
  } catch (const std::exception& error) {  // tblog::Error, or a file-system error
    fmt::print("  projector: unreadable (see stderr)\n");
    problems.report(run.directory, error.what());
    return;
  }
  for (const auto& stored : embeddings) {
    const Embedding& e = stored.embedding;
    fmt::print("  projector {}: {} points x {} dims, {} metadata column(s){}\n",
               terminal_text(stored.name, kTagWidth), e.rows, e.dims, e.metadata.size(),
               stored.sprite_png.empty() ? "" : ", sprite");
  }
}

}  // namespace

int run_ls(const std::string& logdir) {
  Problems problems;
  std::vector<LogdirProblem> unreadable;
  const auto runs = find_runs(logdir, unreadable);
  problems.report_all(unreadable);
  if (runs.empty()) {
    fmt::print("no runs (no event files) under {}\n", terminal_text(logdir));
    return problems.finish(0);
  }
  for (const auto& run : runs) {
    std::map<std::string, TagSummary> tags;
    std::size_t events = 0;
    std::optional<std::size_t> graph_nodes;
    std::map<std::string, std::size_t> run_metadata;
    bool torn = false, corrupt = false;
    for (const auto& file : run.event_files) {
      FileReadReport report;
      try {
        report = for_each_event(file, OnCorruption::kSkip, [&](const Event& e) {
          if (e.has_graph) graph_nodes = e.graph.nodes.size();
          if (!e.run_metadata_tag.empty()) ++run_metadata[e.run_metadata_tag];
          for (const auto& v : e.values) {
            TagSummary& t = tags[v.tag];
            if (t.count == 0) t.first_step = e.step;
            t.kind = v.kind;
            ++t.count;
            t.last_step = e.step;
            if (v.kind == ValueKind::kScalar) t.last_scalar = v.scalar();
          }
        });
      } catch (const RemoteTimeout&) {
        throw;  // the server does not answer: the other objects would wait as long
      } catch (const Error& error) {  // e.g. unreadable: said, and the other files are listed
        problems.report(file, error.what());
        continue;
      }
      events += report.events;
      torn = torn || !report.torn_tail.empty();
      corrupt = corrupt || !report.corruption.empty();
    }
    fmt::print("run {}  ({} files, {} events{}{})\n", terminal_text(run.name),
               run.event_files.size(), events, torn ? ", torn tail" : "",
               corrupt ? ", CORRUPT records skipped" : "");
    std::vector<std::pair<std::string, const TagSummary*>> shown;  // as the terminal shows them
    std::size_t width = 4;
    for (const auto& [tag, t] : tags) {
      shown.emplace_back(terminal_text(tag, kTagWidth), &t);
      width = std::max(width, shown.back().first.size());
    }
    for (const auto& [tag, t] : shown) {
      std::string last = t->kind == ValueKind::kScalar ? "  last " + number(t->last_scalar) : "";
      fmt::print("  {:<{}}  {:<14} {:>7} x  steps {}..{}{}\n", tag, width, to_string(t->kind),
                 t->count, t->first_step, t->last_step, last);
    }
    if (graph_nodes) fmt::print("  graph: {} nodes\n", *graph_nodes);
    for (const auto& [tag, count] : run_metadata)
      fmt::print("  run metadata {}: {} step(s)\n", terminal_text(tag, kTagWidth), count);
    print_embeddings(run, problems);
  }
  return problems.finish(0);
}

}  // namespace tblog::cli
