// tblog/torch/graph.hpp: module trees and TorchScript forward graphs, accepted by the writer.
#include "tblog/torch/graph.hpp"

#include <gtest/gtest.h>
#include <torch/script.h>
#include <torch/torch.h>

#include <map>

#include "../test_util.hpp"
#include "tblog/reader.hpp"

namespace tblog {
namespace {

std::map<std::string, GraphNode> by_name(const Graph& graph) {
  std::map<std::string, GraphNode> out;
  for (const auto& n : graph.nodes) out[n.name] = n;
  return out;
}

struct NetImpl : torch::nn::Module {
  NetImpl() {
    conv1 = register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 6, 5)));
    head = register_module("head", torch::nn::Sequential(torch::nn::Linear(24, 10)));
  }
  torch::nn::Conv2d conv1{nullptr};
  torch::nn::Sequential head{nullptr};
};
TORCH_MODULE(Net);

TEST(ModuleGraph, TheModuleTreeWithParameterShapesAndCounts) {
  Net net;
  const auto nodes = by_name(module_graph(*net));
  ASSERT_TRUE(nodes.count("conv1/weight"));
  EXPECT_EQ(nodes.at("conv1/weight").op, "Parameter");
  EXPECT_EQ(nodes.at("conv1/weight").output_shapes,
            (std::vector<std::vector<std::int64_t>>{{6, 1, 5, 5}}));
  EXPECT_EQ(nodes.at("conv1/Conv2d").inputs,
            (std::vector<std::string>{"conv1/weight", "conv1/bias"}));
  EXPECT_EQ(std::get<std::int64_t>(nodes.at("conv1/Conv2d").attributes.at("parameters")), 156);
  EXPECT_EQ(nodes.at("head/0/Linear").op, "Linear");
  EXPECT_EQ(nodes.at("head/Sequential").inputs, (std::vector<std::string>{"head/0/Linear"}));
  ASSERT_TRUE(nodes.count("Net"));  // the root, named after its type
  EXPECT_EQ(std::get<std::int64_t>(nodes.at("Net").attributes.at("parameters")), 156 + 250);
  EXPECT_EQ(nodes.at("Net").inputs, (std::vector<std::string>{"conv1/Conv2d", "head/Sequential"}));
  EXPECT_EQ(by_name(module_graph(*net, "lenet")).count("lenet"), 1u);
}

std::vector<std::pair<std::string, std::string>> names_and_classes(const ModelLayer& model) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const ModelLayer& layer : model.layers) out.emplace_back(layer.name, layer.class_name);
  return out;
}

TEST(ConceptualGraph, LayersInRegistrationOrderWithContainersAsModels) {
  Net net;
  const ModelLayer model = conceptual_graph(*net);
  EXPECT_EQ(model.name, "Net");
  EXPECT_EQ(model.class_name, "Net");
  using Layers = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(names_and_classes(model), (Layers{{"conv1", "Conv2d"}, {"head", "Sequential"}}));
  EXPECT_EQ(names_and_classes(model.layers[1]), (Layers{{"0", "Linear"}}));
  EXPECT_TRUE(model.layers[0].layers.empty());  // a layer, not a model
  EXPECT_EQ(conceptual_graph(*net, "lenet").name, "lenet");
  // A module without children is a model of one layer, itself.
  const ModelLayer single = conceptual_graph(*torch::nn::Linear(2, 3));
  EXPECT_EQ(names_and_classes(single), (Layers{{"Linear", "Linear"}}));

  test::TempDir dir;
  {
    SummaryWriter writer(dir.path());
    add_conceptual_graph(writer, *net);
  }
  std::vector<std::string> logged;
  for (const auto& run : find_runs(dir.path()))
    for (const auto& file : run.event_files)
      for (const auto& event : read_events(file))
        for (const auto& value : event.values)
          if (value.kind == ValueKind::kConceptualGraph) logged.push_back(value.blobs()->blobs[0]);
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_NE(
      logged[0].find(R"("name":"head","layers":[{"class_name":"Linear","config":{"name":"0"})"),
      std::string::npos)
      << logged[0];
}

torch::jit::Module scripted() {
  torch::jit::Module fc("Fc");
  fc.register_parameter("weight", torch::randn({3, 4}), false);
  fc.define("def forward(self, x):\n    return torch.matmul(x, self.weight)\n");
  torch::jit::Module top("Top");
  top.register_module("fc", fc);
  top.register_parameter("scale", torch::ones({4}), false);
  top.define(
      "def forward(self, x):\n"
      "    y = torch.relu(self.fc.forward(x))\n"
      "    return torch.cat([y * self.scale, y], 1)\n");
  return top;
}

TEST(ScriptGraph, OperationsAlongTheDataFlowWithSubmoduleScopes) {
  const Graph graph = script_graph(scripted());
  const auto nodes = by_name(graph);
  std::string all;
  for (const auto& n : graph.nodes) {
    all += n.name + " (" + n.op + ") <-";
    for (const auto& i : n.inputs) all += " " + i;
    all += "\n";
  }
  ASSERT_TRUE(nodes.count("input_x")) << all;
  ASSERT_TRUE(nodes.count("fc/weight"));
  EXPECT_EQ(nodes.at("fc/weight").output_shapes, (std::vector<std::vector<std::int64_t>>{{3, 4}}));
  const GraphNode* matmul = nullptr;
  const GraphNode* relu = nullptr;
  const GraphNode* cat = nullptr;
  for (const auto& n : graph.nodes) {
    if (n.op == "aten::matmul") matmul = &n;
    if (n.op == "aten::relu") relu = &n;
    if (n.op == "aten::cat") cat = &n;
  }
  ASSERT_TRUE(matmul && relu && cat);
  EXPECT_EQ(matmul->name.rfind("fc/", 0), 0u) << matmul->name;  // inside the submodule's scope
  EXPECT_EQ(matmul->inputs, (std::vector<std::string>{"input_x", "fc/weight"}));
  EXPECT_EQ(relu->inputs, (std::vector<std::string>{matmul->name}));
  EXPECT_EQ(cat->inputs.size(), 2u);  // the list's two tensors, through prim::ListConstruct
  for (const auto& n : graph.nodes) EXPECT_NE(n.op, "prim::Constant");

  test::TempDir dir;
  {
    SummaryWriter writer(dir.path());
    add_graph(writer, scripted());
    add_graph(writer, *Net());
  }
  std::size_t graphs = 0;
  for (const auto& run : find_runs(dir.path()))
    for (const auto& file : run.event_files)
      for (const auto& event : read_events(file)) graphs += event.has_graph;
  EXPECT_EQ(graphs, 2u);
}

TEST(ScriptGraph, ACallOfTheModulesOwnMethodGoesInsideItsScope) {
  torch::jit::Module net("Net");
  net.register_parameter("weight", torch::randn({4, 2}), false);
  net.define(
      "def features(self, x):\n"
      "    return torch.relu(torch.matmul(x, self.weight))\n"
      "def forward(self, x):\n"
      "    return torch.sigmoid(self.features(x))\n");
  const Graph graph = script_graph(net);
  const GraphNode* relu = nullptr;
  const GraphNode* sigmoid = nullptr;
  for (const auto& n : graph.nodes) {
    if (n.op == "aten::relu") relu = &n;
    if (n.op == "aten::sigmoid") sigmoid = &n;
  }
  ASSERT_TRUE(relu && sigmoid);
  EXPECT_EQ(relu->name.rfind("features/", 0), 0u) << relu->name;
  EXPECT_EQ(sigmoid->inputs, (std::vector<std::string>{relu->name}));
}

TEST(ConceptualGraph, AScriptModulesSubmodulesByTheirClass) {
  const ModelLayer model = conceptual_graph(scripted());
  EXPECT_EQ(model.name, "Top");
  EXPECT_EQ(names_and_classes(model),
            (std::vector<std::pair<std::string, std::string>>{{"fc", "Fc"}}));
}

TEST(ScriptGraph, AModuleWithoutForwardIsRefused) {
  torch::jit::Module empty("Empty");
  EXPECT_THROW(script_graph(empty), std::invalid_argument);
}

}  // namespace
}  // namespace tblog
