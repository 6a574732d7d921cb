// tblog ls: runs, and per run every tag with its kind, count, step range and last scalar.
#include <fmt/format.h>

#include <map>
#include <optional>

#include "commands.hpp"
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

void print_embeddings(const RunFiles& run) {
  std::vector<StoredEmbedding> embeddings;
  try {
    embeddings = read_embeddings(run.directory);
  } catch (const Error& error) {
    fmt::print("  projector: {}\n", error.what());
    return;
  }
  for (const auto& stored : embeddings) {
    const Embedding& e = stored.embedding;
    fmt::print("  projector {}: {} points x {} dims, {} metadata column(s){}\n", stored.name,
               e.rows, e.dims, e.metadata.size(), stored.sprite_png.empty() ? "" : ", sprite");
  }
}

}  // namespace

int run_ls(const std::string& logdir) {
  const auto runs = find_runs(logdir);
  if (runs.empty()) {
    fmt::print("no runs (no event files) under {}\n", logdir);
    return 0;
  }
  for (const auto& run : runs) {
    std::map<std::string, TagSummary> tags;
    std::size_t events = 0;
    std::optional<std::size_t> graph_nodes;
    std::map<std::string, std::size_t> run_metadata;
    bool torn = false, corrupt = false;
    for (const auto& file : run.event_files) {
      const FileReadReport report = for_each_event(file, OnCorruption::kSkip, [&](const Event& e) {
        if (e.has_graph) graph_nodes = e.graph.nodes.size();
        if (!e.run_metadata_tag.empty()) ++run_metadata[e.run_metadata_tag];
        for (const auto& v : e.values) {
          TagSummary& t = tags[v.tag];
          if (t.count == 0) t.first_step = e.step;
          t.kind = v.kind;
          ++t.count;
          t.last_step = e.step;
          if (v.kind == ValueKind::kScalar) t.last_scalar = v.scalar;
        }
      });
      events += report.events;
      torn = torn || !report.torn_tail.empty();
      corrupt = corrupt || !report.corruption.empty();
    }
    fmt::print("run {}  ({} files, {} events{}{})\n", run.name, run.event_files.size(), events,
               torn ? ", torn tail" : "", corrupt ? ", CORRUPT records skipped" : "");
    std::size_t width = 4;
    for (const auto& [tag, t] : tags) width = std::max(width, tag.size());
    for (const auto& [tag, t] : tags) {
      std::string last = t.kind == ValueKind::kScalar ? "  last " + number(t.last_scalar) : "";
      fmt::print("  {:<{}}  {:<14} {:>7} x  steps {}..{}{}\n", tag, width, to_string(t.kind),
                 t.count, t.first_step, t.last_step, last);
    }
    if (graph_nodes) fmt::print("  graph: {} nodes\n", *graph_nodes);
    for (const auto& [tag, count] : run_metadata)
      fmt::print("  run metadata {}: {} step(s)\n", tag, count);
    print_embeddings(run);
  }
  return 0;
}

}  // namespace tblog::cli
