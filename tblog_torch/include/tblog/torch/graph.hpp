/// @file
/// Models for the GRAPHS dashboard.
///
/// ```cpp
///   tblog::add_graph(writer, *model);          // a torch::nn::Module: its module tree
///   tblog::add_graph(writer, script_module);   // a TorchScript module: its forward graph
///   tblog::add_conceptual_graph(writer, *model); // its layers, GRAPHS' "Conceptual graph"
/// ```
#pragma once

#include <string>
#include <string_view>

#include "tblog/graph.hpp"
#include "tblog/summary_writer.hpp"
#include "tblog/torch/export.hpp"

namespace torch::nn {
class Module;
}
namespace torch::jit {
struct Module;
}

namespace tblog {

/// The module tree of a C++ module: a node per submodule named after its type (conv1/Conv2d),
/// inside its parents' name scopes, fed by a Parameter node per parameter (with its shape) and by
/// its children's nodes; parameter counts as attributes. The root's node is named `name` (empty:
/// its type). The tree, not the data flow: C++ modules do not record their forward pass.
TBLOG_TORCH_API Graph module_graph(const torch::nn::Module& module, const std::string& name = {});
TBLOG_TORCH_API void add_graph(SummaryWriter& writer, const torch::nn::Module& module);

/// A C++ module's layers as GRAPHS' conceptual graph: a layer per submodule without children,
/// labelled with its type (conv1: Conv2d), a model (a scope) per submodule with children, in the
/// order they were registered and chained in that order, the order most models run their layers
/// in. Where the data flow differs, set the layers' `inputs` before logging it. The root is named
/// `name` (empty: its type); a module without children is a model of one layer, itself.
TBLOG_TORCH_API ModelLayer conceptual_graph(const torch::nn::Module& module,
                                            const std::string& name = {});
TBLOG_TORCH_API void add_conceptual_graph(SummaryWriter& writer, const torch::nn::Module& module,
                                          std::string_view tag = "layers");
/// The same of a TorchScript module: its submodules by their scripted class (Conv2d, Linear).
TBLOG_TORCH_API ModelLayer conceptual_graph(const torch::jit::Module& module,
                                            const std::string& name = {});

/// A TorchScript module's forward graph: a node per operation (op: aten::conv2d...), edges along
/// the data flow, output shapes where the graph knows them, parameters as Parameter nodes with
/// their shapes, and each submodule's call expanded inside a name scope of the submodule's name.
/// Constants are left out. Throws std::invalid_argument when the module has no forward method.
TBLOG_TORCH_API Graph script_graph(const torch::jit::Module& module);
TBLOG_TORCH_API void add_graph(SummaryWriter& writer, const torch::jit::Module& module);

}  // namespace tblog
