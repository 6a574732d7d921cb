// Checks of the structured kinds, run on the caller's thread before anything is queued, each
// throwing InvalidArgument that starts with `what` (e.g. "add_mesh('bunny')"). Internal to tblog.
#pragma once

#include <string>

#include "tblog/embedding.hpp"
#include "tblog/graph.hpp"
#include "tblog/histogram.hpp"
#include "tblog/mesh.hpp"

namespace tblog::detail {

void check_mesh(const Mesh& mesh, const std::string& what);
void check_graph(const Graph& graph, const std::string& what);
void check_node_stats(const std::vector<NodeStats>& stats, const std::string& what);
void check_embedding(const Embedding& embedding, const std::string& what);
void check_histogram(const Histogram& histogram, const std::string& what);

}  // namespace tblog::detail
