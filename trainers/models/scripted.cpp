// A user's own model: a TorchScript module saved by torch.jit.save (images N x C x H x W in,
// logits N x classes out), trained by the same loop as the built-in models.
//
// The loop, the optimizer, checkpoints and data-parallel work on a torch::nn::Module, so the
// script module's parameters and buffers are registered in a small nn::Module that holds the very
// same tensors: gradients, optimizer updates, device moves (set_data) and checkpoint loads reach
// the script module without copying.
#include <torch/script.h>

#include <filesystem>
#include <map>
#include <mutex>

#include "../usage_error.hpp"
#include "classifier.hpp"
#include "tblog/torch/graph.hpp"

namespace trainers {
namespace {

const ModelOption<std::string> kModelFile{"--model-file", ""};

// LibTorch's messages run over several lines (source excerpts, call stacks): the first says why.
std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

// The TorchScript interpreter's errors end with the cause ("RuntimeError: ... channels"), after
// the script's call stack.
std::string last_line(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text.substr(text.rfind('\n') + 1);  // npos + 1 == 0: the whole text
}

std::string shape_text(c10::IntArrayRef sizes) {
  std::string text;
  for (const auto s : sizes) text += (text.empty() ? "" : "x") + std::to_string(s);
  return text.empty() ? "a 0-d tensor" : text;
}

// The module behind `path`, or a UsageError naming the file and what was expected. A FIFO or a
// device would block or never end in torch::jit::load: only regular files are opened.
torch::jit::Module load_script_module(const std::string& path) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (error || !std::filesystem::exists(status))
    throw UsageError("--model-file " + path + ": no such file");
  if (!std::filesystem::is_regular_file(status))
    throw UsageError("--model-file " + path +
                     ": not a regular file (expected a TorchScript module saved by "
                     "torch.jit.save)");
  try {
    auto module = torch::jit::load(path, torch::kCPU);
    if (!module.find_method("forward"))
      throw UsageError("--model-file " + path + ": the TorchScript module has no forward method");
    return module;
  } catch (const c10::Error& e) {
    throw UsageError("--model-file " + path +
                     ": not a TorchScript module (expected a file saved by torch.jit.save): " +
                     first_line(e.what_without_backtrace()));
  }
}

// nn::Module names may not contain dots; "conv1.weight" is registered as "conv1__weight". The
// names only key the checkpoint; tags keep the dotted names.
std::string registered_name(const std::string& dotted) {
  std::string name;
  for (const char c : dotted) name += c == '.' ? std::string("__") : std::string(1, c);
  return name;
}

struct ScriptHolder : torch::nn::Module {
  explicit ScriptHolder(torch::jit::Module m) : script(std::move(m)) {
    for (const auto& p : script.named_parameters(/*recurse=*/true))
      register_parameter(registered_name(p.name), p.value, p.value.requires_grad());
    for (const auto& b : script.named_buffers(/*recurse=*/true))
      register_buffer(registered_name(b.name), b.value);
  }
  // Dropout and batch norm inside the script module follow train()/eval().
  void train(bool on = true) override {
    torch::nn::Module::train(on);
    script.train(on);
  }
  torch::jit::Module script;
};

class Scripted : public Classifier {
 public:
  explicit Scripted(const ModelConfig& c)
      : holder_(std::make_shared<ScriptHolder>(load_script_module(kModelFile.of(c)))), config_(c) {
    if (holder_->parameters().empty())
      throw UsageError("--model-file " + kModelFile.of(c) +
                       ": the module has no parameters to train");
    check_output();
  }

  torch::Tensor forward(const torch::Tensor& images) override {
    return holder_->script.forward({images}).toTensor();
  }

  torch::nn::Module& module() override { return *holder_; }
  // The script's own submodules (the holder's children are none).
  tblog::ModelLayer layers() override { return tblog::conceptual_graph(holder_->script); }

  std::vector<NamedTensor> summarized_parameters() override {
    std::vector<NamedTensor> named;
    for (const auto& p : holder_->script.named_parameters(/*recurse=*/true))
      named.emplace_back(p.name, p.value);
    return named;
  }

  // The first 4-d weight that reads the images' channels: the first conv layer's filters.
  torch::Tensor first_layer_filters() override {
    for (const auto& p : holder_->script.named_parameters(/*recurse=*/true)) {
      if (p.value.dim() == 4 && p.value.size(1) == config_.in_channels) return p.value;
    }
    return {};
  }

  bool reads_images_spatially() const override { return !first_layer_is_missing_; }

  // A `features` method, when the module defines one, is what the PROJECTOR shows.
  torch::Tensor features(const torch::Tensor& images) override {
    if (!holder_->script.find_method("features")) return {};
    const auto f = holder_->script.run_method("features", images);
    if (!f.isTensor() || f.toTensor().dim() != 2 || f.toTensor().size(0) != images.size(0))
      throw UsageError("--model-file " + kModelFile.of(config_) +
                       ": features() must return one row per image (N x D)");
    return f.toTensor();
  }

  tblog::Graph graph(int channels, int size) override {
    (void)channels;
    (void)size;
    return tblog::script_graph(holder_->script);
  }

  std::string describe() const override {
    std::int64_t count = 0;
    for (const auto& p : holder_->parameters()) count += p.numel();
    return "TorchScript " + kModelFile.of(config_) + " (" + std::to_string(count) + " parameters)";
  }

 private:
  // One forward pass on a batch of two blank images, before any training: a module that does not
  // take these images or does not return N x classes logits is refused with the shapes named.
  void check_output() {
    const auto batch =
        torch::zeros({2, config_.in_channels, config_.image_size, config_.image_size});
    const std::string given = "for a " + shape_text(batch.sizes()) + " batch of images";
    torch::NoGradGuard no_grad;
    holder_->train(false);
    c10::IValue out;
    try {
      out = holder_->script.forward({batch});
    } catch (const c10::Error& e) {
      throw UsageError("--model-file " + kModelFile.of(config_) + ": forward failed " + given +
                       " (" + first_line(e.what_without_backtrace()) + ")");
    } catch (const std::exception& e) {  // torch::jit::JITException: the script raised
      throw UsageError("--model-file " + kModelFile.of(config_) + ": forward failed " + given +
                       " (" + last_line(e.what()) + ")");
    }
    holder_->train(true);
    const std::string expected =
        "expected logits 2x" + std::to_string(config_.classes) + " (N x classes)";
    if (!out.isTensor())
      throw UsageError("--model-file " + kModelFile.of(config_) + ": forward returned " +
                       out.tagKind() + " " + given + "; " + expected);
    const auto logits = out.toTensor();
    if (logits.dim() != 2 || logits.size(0) != 2 || logits.size(1) != config_.classes)
      throw UsageError("--model-file " + kModelFile.of(config_) + ": forward returned " +
                       shape_text(logits.sizes()) + " " + given + "; " + expected);
    if (!logits.is_floating_point())
      throw UsageError("--model-file " + kModelFile.of(config_) + ": forward returned " +
                       std::string(c10::toString(logits.scalar_type())) + " logits; " +
                       "expected floating point");
    first_layer_is_missing_ = !first_layer_filters().defined();
  }

  std::shared_ptr<ScriptHolder> holder_;
  ModelConfig config_;
  bool first_layer_is_missing_ = true;
};

// The facts of the module in `file`: layers with weights (parameters of two or more
// dimensions) and, as its width, the input width of the last of them (what its classifier reads,
// as LeNet5's fc1 or a recurrent net's hidden size). Throws UsageError when the file is not a
// TorchScript module. Loaded once per file: every run of a sweep asks.
ModelFacts facts_of_file(const std::string& file) {
  if (file.empty()) throw UsageError("--model-file: no file given");
  static std::mutex mutex;
  static std::map<std::string, ModelFacts> facts_by_file;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = facts_by_file.find(file);
  if (it == facts_by_file.end()) {
    ModelFacts facts{std::filesystem::path(file).stem().string(), 0, 0, "scripted"};
    for (const auto& p : load_script_module(file).parameters()) {
      if (p.dim() < 2) continue;
      ++facts.layers;
      facts.hidden_units = static_cast<int>(p.size(1));
    }
    it = facts_by_file.emplace(file, facts).first;
  }
  return it->second;
}

}  // namespace

ModelEntry scripted_entry();  // called by registry.cpp, its one line there
ModelEntry scripted_entry() {
  ModelEntry e;
  e.name = "scripted";
  e.command = "train";
  e.about = "Train your own TorchScript module (torch.jit.save; images in, logits out)";
  SettingSpec file = model_setting(
      kModelFile,
      "TorchScript module: N x C x H x W standardised images in, N x classes logits out; an "
      "optional features() method feeds the PROJECTOR",
      {}, "", "", ShownAs::kNotShown, OnResume::kMustKeep);
  file.required = true;
  e.settings = {file};
  e.offers = kConvFigures;  // a user's conv net reads images as pictures (or says it cannot)
  e.make = [](const ModelConfig& c) { return std::make_unique<Scripted>(c); };
  e.facts = [](const ModelConfig& c) { return facts_of_file(kModelFile.of(c)); };
  e.check = [](const ModelConfig& c) { facts_of_file(kModelFile.of(c)); };
  return e;
}

}  // namespace trainers
