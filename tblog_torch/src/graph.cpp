#include "tblog/torch/graph.hpp"

#include <torch/nn/module.h>
#include <torch/script.h>

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <utility>
#include "tblog/error.hpp"

namespace tblog {
namespace {

std::vector<std::int64_t> shape_of(const at::Tensor& t) {
  return {t.sizes().begin(), t.sizes().end()};
}

// "torch::nn::Conv2dImpl" -> "Conv2d".
std::string type_name(const torch::nn::Module& module) {
  std::string name = module.name();
  const auto colon = name.rfind("::");
  if (colon != std::string::npos) name = name.substr(colon + 2);
  if (name.size() > 4 && name.compare(name.size() - 4, 4, "Impl") == 0)
    name.resize(name.size() - 4);
  return name;
}

// Adds `module`'s parameters and children, then its own node, named after its type, which they
// feed; returns that node's full name. Inside the scope `name` unless it is the root (whose
// children then show as the top-level boxes of the dashboard, each opening onto its parts).
std::string add_module(GraphBuilder& g, const torch::nn::Module& module, const std::string& name,
                       bool root) {
  std::optional<GraphBuilder::Scope> scope;
  if (!root) scope.emplace(g.scope(name));
  std::vector<std::string> inputs;
  std::int64_t own = 0, total = 0;
  for (const auto& p : module.named_parameters(/*recurse=*/false)) {
    g.add(p.key(), "Parameter").output_shapes = {shape_of(p.value())};
    inputs.push_back(g.full_name(p.key()));
    own += p.value().numel();
  }
  for (const auto& child : module.named_children())
    inputs.push_back(add_module(g, *child.value(), child.key(), false));
  for (const auto& p : module.parameters(/*recurse=*/true)) total += p.numel();
  GraphNode& node =
      g.add(root && !name.empty() ? name : type_name(module), type_name(module), std::move(inputs));
  node.attributes["parameters"] = total;
  node.attributes["own_parameters"] = own;
  return node.name;
}

// `module` as a layer named `name`; a model of its children's layers when it has children.
ModelLayer layer_of(const torch::nn::Module& module, const std::string& name) {
  ModelLayer layer{name, type_name(module)};
  for (const auto& child : module.named_children())
    layer.layers.push_back(layer_of(*child.value(), child.key()));
  return layer;
}

// "__torch__.torch.nn.modules.conv.Conv2d" -> "Conv2d".
std::string type_name(const torch::jit::Module& module) {
  const auto qualified = module.type()->name();
  return qualified ? qualified->name() : "Module";
}

ModelLayer layer_of(const torch::jit::Module& module, const std::string& name) {
  ModelLayer layer{name, type_name(module)};
  for (const auto& child : module.named_children())
    layer.layers.push_back(layer_of(child.value, child.name));
  return layer;
}

// A C++ or TorchScript module as a model named `name` (empty: its type); one without children is
// a model of one layer, itself.
template <typename Module>
ModelLayer model_of(const Module& module, const std::string& name) {
  ModelLayer model = layer_of(module, name.empty() ? type_name(module) : name);
  if (model.layers.empty()) model.layers.push_back(layer_of(module, type_name(module)));
  return model;
}

// Expands one TorchScript graph into the builder: `names` maps each value to the node that
// produces it (empty for values left out, such as constants).
class ScriptExpander {
 public:
  explicit ScriptExpander(GraphBuilder& g) : g_(g) {}

  // Returns the names of the nodes producing the graph's outputs.
  std::vector<std::string> expand(const torch::jit::Module& self, const torch::jit::Graph& graph,
                                  const std::vector<std::string>& inputs) {
    std::map<const torch::jit::Value*, std::string> names;
    std::map<const torch::jit::Value*, torch::jit::Module> modules;
    std::map<const torch::jit::Value*, std::string> module_paths;
    const auto graph_inputs = graph.inputs();
    for (std::size_t i = 0; i < graph_inputs.size(); ++i) {
      if (i == 0) {
        modules.emplace(graph_inputs[0], self);  // self
      } else if (i - 1 < inputs.size()) {
        names[graph_inputs[i]] = inputs[i - 1];
      }
    }
    for (const torch::jit::Node* node : graph.nodes()) {
      const std::string kind = node->kind().toQualString();
      if (kind == "prim::Constant") continue;
      if (kind == "prim::GetAttr") {
        const auto owner = modules.find(node->input(0));
        if (owner == modules.end()) continue;
        const std::string field = node->s(c10::Symbol::attr("name"));
        const c10::IValue value = owner->second.attr(field);
        if (value.isModule()) {
          modules.emplace(node->output(), value.toModule());
          module_paths[node->output()] = field;
        } else if (value.isTensor()) {
          // A parameter read twice (or by a submodule called twice) is one node.
          const std::string full = g_.full_name(field);
          if (added_.insert(full).second)
            g_.add(field, "Parameter").output_shapes = {shape_of(value.toTensor())};
          names[node->output()] = full;
        }
        continue;
      }
      std::vector<std::string> feeds;  // the nodes producing this node's inputs
      for (const torch::jit::Value* in : node->inputs()) {
        const auto it = names.find(in);
        if (it != names.end() && !it->second.empty()) feeds.push_back(it->second);
      }
      if (kind == "prim::ListConstruct" || kind == "prim::TupleConstruct") {
        // Not an operation: its inputs flow straight on (as one name when there is one).
        if (feeds.size() == 1)
          names[node->output()] = feeds[0];
        else if (!feeds.empty())
          pass_through_[node->output()] = std::move(feeds);
        continue;
      }
      for (const torch::jit::Value* in : node->inputs()) {
        const auto it = pass_through_.find(in);
        if (it != pass_through_.end())
          feeds.insert(feeds.end(), it->second.begin(), it->second.end());
      }
      if (kind == "prim::CallMethod") {
        const auto target = modules.find(node->input(0));
        if (target != modules.end()) {
          const std::string method = node->s(c10::Symbol::attr("name"));
          // self.helper(x), a call of the module's own method, goes inside a scope named after
          // the method; a submodule's call inside one named after the submodule.
          const auto path = module_paths.find(node->input(0));
          auto scope = g_.scope(path != module_paths.end() ? path->second : method);
          const auto outputs =
              expand(target->second, *target->second.get_method(method).graph(), feeds);
          if (!outputs.empty() && node->outputs().size() == 1) names[node->output()] = outputs[0];
          continue;
        }
      }
      const auto colon = kind.find("::");
      const std::string base = colon == std::string::npos ? kind : kind.substr(colon + 2);
      GraphNode& n = g_.add(base + "_" + std::to_string(counter_++), kind, feeds);
      for (const torch::jit::Value* out : node->outputs()) {
        names[out] = n.name;
        if (const auto tensor = out->type()->cast<c10::TensorType>()) {
          const auto sizes = tensor->sizes().concrete_sizes();
          if (sizes) n.output_shapes.push_back(*sizes);
        }
      }
    }
    std::vector<std::string> outputs;
    for (const torch::jit::Value* out : graph.outputs()) {
      const auto it = names.find(out);
      if (it != names.end()) outputs.push_back(it->second);
    }
    return outputs;
  }

 private:
  GraphBuilder& g_;
  int counter_ = 0;
  std::map<const torch::jit::Value*, std::vector<std::string>> pass_through_;
  std::set<std::string> added_;
};

}  // namespace

Graph module_graph(const torch::nn::Module& module, const std::string& name) {
  GraphBuilder g;
  add_module(g, module, name, true);
  return g.graph();
}

void add_graph(SummaryWriter& writer, const torch::nn::Module& module) {
  writer.add_graph(module_graph(module));
}

Graph script_graph(const torch::jit::Module& module) {
  const auto forward = module.find_method("forward");
  if (!forward) {
    throw InvalidArgument("script_graph: the TorchScript module " +
                          module.type()->name()->qualifiedName() + " has no forward method");
  }
  GraphBuilder g;
  std::vector<std::string> inputs;
  const auto& graph_inputs = forward->graph()->inputs();
  for (std::size_t i = 1; i < graph_inputs.size(); ++i) {
    // The argument's name as written ("x", not TorchScript's "x.1").
    const std::string base =
        graph_inputs[i]->hasDebugName() ? graph_inputs[i]->debugNameBase() : "";
    const std::string name = "input_" + (base.empty() ? std::to_string(i) : base);
    g.add(name, "Input");
    inputs.push_back(g.full_name(name));
  }
  ScriptExpander(g).expand(module, *forward->graph(), inputs);
  return g.graph();
}

void add_graph(SummaryWriter& writer, const torch::jit::Module& module) {
  writer.add_graph(script_graph(module));
}

ModelLayer conceptual_graph(const torch::nn::Module& module, const std::string& name) {
  return model_of(module, name);
}

ModelLayer conceptual_graph(const torch::jit::Module& module, const std::string& name) {
  return model_of(module, name);
}

void add_conceptual_graph(SummaryWriter& writer, const torch::nn::Module& module,
                          std::string_view tag) {
  writer.add_conceptual_graph(tag, conceptual_graph(module));
}

}  // namespace tblog
