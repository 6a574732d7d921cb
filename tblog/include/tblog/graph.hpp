/// @file
/// Model graphs for the GRAPHS dashboard, built without TensorFlow.
///
/// ```cpp
///   tblog::GraphBuilder g;
///   g.add("input", "Input").output_shapes = {{-1, 1, 28, 28}};
///   {
///     auto scope = g.scope("conv1");  // nodes below are named conv1/...
///     g.add("weight", "Parameter").output_shapes = {{6, 1, 5, 5}};
///     g.add("conv", "Conv2d", {"input", "conv1/weight"});
///   }
///   writer.add_graph(g.graph());
/// ```
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>
#include "tblog/export.hpp"

namespace tblog {

using GraphAttribute =
    std::variant<std::int64_t, double, bool, std::string, std::vector<std::int64_t>>;

struct GraphNode {
  std::string name;                 ///< full name; '/' separates the name scopes the UI folds
  std::string op;                   ///< what the node does ("Conv2d", "Linear", "Parameter"...)
  std::vector<std::string> inputs;  ///< full names of the nodes feeding it
  std::string device;               ///< optional, e.g. "/device:CPU:0"
  /// Shapes of its outputs (-1 for an unknown size): the UI labels edges with them.
  std::vector<std::vector<std::int64_t>> output_shapes;
  std::map<std::string, GraphAttribute> attributes;  ///< shown in the node's info card
};

struct Graph {
  std::vector<GraphNode> nodes;
};

/// Builds a Graph with name scopes. References returned by add() stay valid while it lives.
class TBLOG_API GraphBuilder {
 public:
  class [[nodiscard]] Scope {
   public:
    explicit Scope(GraphBuilder& builder) : builder_(&builder) {}
    Scope(Scope&& other) noexcept : builder_(other.builder_) { other.builder_ = nullptr; }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    Scope& operator=(Scope&&) = delete;
    ~Scope() {
      if (builder_) builder_->scopes_.pop_back();
    }

   private:
    GraphBuilder* builder_;
  };

  /// Nodes added while the returned Scope lives are prefixed with "<outer scopes>/name/".
  Scope scope(std::string_view name);
  /// Adds a node named "<current scopes>/name"; `inputs` are full names. Checked by add_graph.
  GraphNode& add(std::string_view name, std::string_view op, std::vector<std::string> inputs = {});
  /// The full name `name` gets inside the current scopes.
  std::string full_name(std::string_view name) const;
  Graph graph() const;

 private:
  std::vector<std::string> scopes_;
  std::deque<GraphNode> nodes_;
};

/// A layer of a model's conceptual graph (GRAPHS dashboard, graph type "Conceptual"): a box
/// named after the layer and labelled with its class. A layer with `layers` of its own is a model:
/// a scope the UI folds, whose first layer reads what feeds the model and whose last layer is its
/// output. TensorBoard draws this view from a Keras model's description, which
/// SummaryWriter::add_conceptual_graph writes; any model (a LibTorch module tree) can be one.
///
/// ```cpp
///   tblog::ModelLayer net{"classifier", "Sequential"};
///   net.layers = {{"conv1", "Conv2d"}, {"relu", "ReLU"}, {"fc", "Linear"}};  // a chain
///   writer.add_conceptual_graph("model", net);
/// ```
struct ModelLayer {
  std::string name;        ///< unique among its siblings, without '/'
  std::string class_name;  ///< what it is ("Conv2d", "LSTM"); a model's defaults to "Sequential"
  std::vector<ModelLayer> layers;  ///< a model's own layers, in order
  /// Names of earlier siblings feeding it. Empty: the layer before it in the walk feeds it (a
  /// chain, as in a Sequential model). A model takes at most one, and it names a layer.
  std::vector<std::string> inputs = {};
  std::string dtype = {};  ///< optional, in TensorFlow's words: "float32", "int64"...
};

/// One step's measured cost per node, shown by the GRAPHS dashboard's compute time / memory
/// colours.
struct NodeStats {
  std::string node_name;
  std::int64_t start_micros = 0;     ///< wall clock start, microseconds since the epoch
  std::int64_t duration_micros = 0;  ///< compute time
  std::int64_t memory_bytes = 0;     ///< memory allocated by the node
  std::string device = "/device:CPU:0";
};

}  // namespace tblog
