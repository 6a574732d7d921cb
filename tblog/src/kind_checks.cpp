#include "kind_checks.hpp"

#include <cmath>
#include <limits>
#include <unordered_set>

#include "tblog/error.hpp"

namespace tblog::detail {
namespace {

std::string count(std::size_t n) {
  return std::to_string(n);
}

// The projector draws the sprite as one WebGL texture of at most this many pixels a side.
constexpr int kMaxSpriteSide = 8192;

// An input names a node, optionally as "^node" (control edge) or "node:k" (its k-th output).
std::string_view node_of_input(std::string_view input) {
  if (!input.empty() && input.front() == '^') input.remove_prefix(1);
  const auto colon = input.rfind(':');
  if (colon != std::string_view::npos && colon + 1 < input.size() &&
      input.find_first_not_of("0123456789", colon + 1) == std::string_view::npos) {
    input = input.substr(0, colon);
  }
  return input;
}

bool has_tab_or_newline(const std::string& s) {
  return s.find_first_of("\t\n\r") != std::string::npos;
}

}  // namespace

void check_mesh(const Mesh& mesh, const std::string& what) {
  if (mesh.vertices.empty()) throw InvalidArgument(what + ": no vertices");
  if (mesh.vertices.size() % 3)
    throw InvalidArgument(what + ": " + count(mesh.vertices.size()) +
                          " vertex coordinates, not x, y, z triples");
  const std::size_t n = mesh.vertices.size() / 3;
  if (n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
    throw InvalidArgument(what + ": too many vertices");
  for (std::size_t i = 0; i < mesh.vertices.size(); ++i) {
    if (!std::isfinite(mesh.vertices[i]))
      throw InvalidArgument(what + ": vertex " + count(i / 3) + " has a non-finite coordinate");
  }
  if (mesh.faces.size() % 3)
    throw InvalidArgument(what + ": " + count(mesh.faces.size()) + " face indices, not triangles");
  for (std::size_t i = 0; i < mesh.faces.size(); ++i) {
    if (mesh.faces[i] < 0 || static_cast<std::size_t>(mesh.faces[i]) >= n) {
      throw InvalidArgument(what + ": face " + count(i / 3) + " indexes vertex " +
                            std::to_string(mesh.faces[i]) + " of " + count(n));
    }
  }
  if (!mesh.colors.empty() && mesh.colors.size() != mesh.vertices.size()) {
    throw InvalidArgument(what + ": " + count(mesh.colors.size() / 3) + " colours for " + count(n) +
                          " vertices");
  }
}

void check_graph(const Graph& graph, const std::string& what) {
  if (graph.nodes.empty()) throw InvalidArgument(what + ": the graph has no nodes");
  std::unordered_set<std::string_view> names;
  for (const GraphNode& node : graph.nodes) {
    if (node.name.empty()) throw InvalidArgument(what + ": a node has an empty name");
    if (node.op.empty()) throw InvalidArgument(what + ": node '" + node.name + "' has no op");
    if (!names.insert(node.name).second)
      throw InvalidArgument(what + ": two nodes are named '" + node.name + "'");
  }
  for (const GraphNode& node : graph.nodes) {
    for (const auto& input : node.inputs) {
      if (!names.count(node_of_input(input))) {
        std::string message = what;
        message.append(": node '").append(node.name).append("' has input '").append(input);
        throw InvalidArgument(message.append("', which names no node"));
      }
    }
  }
}

void check_node_stats(const std::vector<NodeStats>& stats, const std::string& what) {
  if (stats.empty()) throw InvalidArgument(what + ": no node statistics");
  for (const NodeStats& s : stats) {
    if (s.node_name.empty()) throw InvalidArgument(what + ": a node statistic has no node name");
    if (s.duration_micros < 0 || s.memory_bytes < 0)
      throw InvalidArgument(what + ": node '" + s.node_name + "' has a negative time or memory");
  }
}

void check_embedding(const Embedding& e, const std::string& what) {
  if (e.rows < 1 || e.dims < 1) {
    throw InvalidArgument(what + ": " + std::to_string(e.rows) + " x " + std::to_string(e.dims) +
                          " is not a matrix of points");
  }
  const auto rows = static_cast<std::size_t>(e.rows);
  if (e.values.size() != rows * static_cast<std::size_t>(e.dims)) {
    throw InvalidArgument(what + ": " + count(e.values.size()) + " values for " +
                          std::to_string(e.rows) + " x " + std::to_string(e.dims));
  }
  for (std::size_t i = 0; i < e.values.size(); ++i) {
    if (!std::isfinite(e.values[i])) {
      throw InvalidArgument(what + ": point " + count(i / e.dims) + " has a non-finite value");
    }
  }
  for (const auto& column : e.metadata) {
    if (column.values.size() != rows) {
      throw InvalidArgument(what + ": metadata column '" + column.name + "' has " +
                            count(column.values.size()) + " values for " + count(rows) + " points");
    }
    if (e.metadata.size() > 1 && column.name.empty())
      throw InvalidArgument(what + ": with several metadata columns each needs a name");
    if (has_tab_or_newline(column.name))
      throw InvalidArgument(what + ": metadata column name '" + column.name +
                            "' has a tab or line break");
    for (std::size_t i = 0; i < rows; ++i) {
      if (has_tab_or_newline(column.values[i])) {
        throw InvalidArgument(what + ": metadata '" + column.name + "' of point " + count(i) +
                              " has a tab or line break");
      }
    }
  }
  if (e.thumbnails.empty()) return;
  if (e.thumbnails.size() != rows) {
    throw InvalidArgument(what + ": " + count(e.thumbnails.size()) + " thumbnails for " +
                          count(rows) + " points");
  }
  const Image& first = e.thumbnails.front();
  for (std::size_t i = 0; i < rows; ++i) {
    const Image& t = e.thumbnails[i];
    validate_image(t, (what + ": thumbnail " + count(i)).c_str());
    if (t.width != first.width || t.height != first.height || t.channels != first.channels)
      throw InvalidArgument(what + ": thumbnail " + count(i) + " differs in size from thumbnail 0");
  }
  const auto side = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(rows))));
  if (static_cast<long long>(side) * std::max(first.width, first.height) > kMaxSpriteSide) {
    throw InvalidArgument(what + ": " + count(rows) + " thumbnails of " +
                          std::to_string(first.width) + "x" + std::to_string(first.height) +
                          " make a sprite wider than " + std::to_string(kMaxSpriteSide) +
                          " pixels, the projector's limit");
  }
}

void check_histogram(const Histogram& histogram, const std::string& what) {
  const auto& rows = histogram.buckets;
  if (rows.empty()) throw InvalidArgument(what + ": no buckets");
  const HistogramStats& s = histogram.stats;
  for (double v : {s.min, s.max, s.count, s.sum, s.sum_squares}) {
    if (!std::isfinite(v)) throw InvalidArgument(what + ": statistics that are not finite");
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const HistogramBucket& b = rows[i];
    const std::string row = what + ": bucket " + std::to_string(i);
    if (!std::isfinite(b.left) || !std::isfinite(b.right) || !std::isfinite(b.count))
      throw InvalidArgument(row + " is not finite");
    if (b.left > b.right) throw InvalidArgument(row + " has its left edge past its right edge");
    if (b.count < 0) throw InvalidArgument(row + " has a negative count");
    if (i > 0 && b.left < rows[i - 1].right)
      throw InvalidArgument(row + " starts before bucket " + std::to_string(i - 1) + " ends");
  }
}

}  // namespace tblog::detail
