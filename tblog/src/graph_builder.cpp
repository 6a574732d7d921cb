#include <algorithm>

#include "tblog/error.hpp"
#include "tblog/graph.hpp"

namespace tblog {

GraphBuilder::Scope GraphBuilder::scope(std::string_view name) {
  if (name.empty()) throw InvalidArgument("GraphBuilder::scope: name is empty");
  scopes_.emplace_back(name);
  return Scope(*this);
}

std::string GraphBuilder::full_name(std::string_view name) const {
  std::string full;
  for (const auto& scope : scopes_) full += scope + "/";
  return full.append(name);
}

GraphNode& GraphBuilder::add(std::string_view name, std::string_view op,
                             std::vector<std::string> inputs) {
  GraphNode& node = nodes_.emplace_back();
  node.name = full_name(name);
  node.op = std::string(op);
  node.inputs = std::move(inputs);
  return node;
}

Graph GraphBuilder::graph() const {
  return Graph{std::vector<GraphNode>(nodes_.begin(), nodes_.end())};
}

}  // namespace tblog
