"""The C++ a reader copies: every ```cpp block of docs/torch.md and every ```cpp usage block in
the public headers (tblog's and tblog::torch's), put into one translation unit (and, apart, every
block of the docs that is a whole program: programs()), each block in a
function of its own after the names it assumes (writer, model, optimizer, loader, batch...), with
#line so that a failure names the document's line. tests/torch/check_libtorch_mnist.py builds and links it
against the installed package.

A block that says `model->` or `*model` gets a TORCH_MODULE holder (as pytorch/examples writes
`Net model;` with `TORCH_MODULE`), any other a plain module struct (pytorch/examples' mnist.cpp).
"""
import glob
import os
import re

DOCUMENTS = ["docs/torch.md"]
HEADER_GLOBS = ["tblog/include/tblog/*.hpp", "tblog_torch/include/tblog/*.hpp",
                "tblog_torch/include/tblog/torch/*.hpp"]

PRELUDE = r"""
#include <torch/script.h>
#include <torch/torch.h>
#include <tblog/torch.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace {

// pytorch/examples' plain module struct, used as `Net model; model.forward(x)`.
struct PlainNet : torch::nn::Module {
  PlainNet() {
    register_module("conv1", conv1);
    register_module("fc1", fc1);
  }
  torch::Tensor forward(torch::Tensor x) {
    x = torch::relu(torch::max_pool2d(conv1->forward(x), 2));
    return torch::log_softmax(fc1->forward(x.view({x.size(0), -1})), 1);
  }
  torch::nn::Conv2d conv1{torch::nn::Conv2dOptions(1, 10, 5)};
  torch::nn::Linear fc1{1440, 10};
};

// The TORCH_MODULE shape, with the members the docs reach through `model->`.
struct HeldNetImpl : torch::nn::Module {
  HeldNetImpl() {
    register_module("conv1", conv1);
    register_module("conv2", conv2);
    register_module("fc1", fc1);
  }
  torch::Tensor forward(torch::Tensor x) {
    x = torch::relu(torch::max_pool2d(conv1->forward(x), 2));
    if (probes) (*probes)("conv1", x);
    x = torch::relu(torch::max_pool2d(conv2->forward(x), 2));
    return torch::log_softmax(fc1->forward(x.view({x.size(0), -1})), 1);
  }
  torch::nn::Conv2d conv1{torch::nn::Conv2dOptions(1, 10, 5)};
  torch::nn::Conv2d conv2{torch::nn::Conv2dOptions(10, 20, 5)};
  torch::nn::Linear fc1{320, 10};
  tblog::Probes* probes = nullptr;
};
TORCH_MODULE(HeldNet);

struct Digits : torch::data::datasets::Dataset<Digits> {
  torch::data::Example<> get(size_t) override {
    return {torch::rand({1, 28, 28}), torch::zeros({}, torch::kLong)};
  }
  torch::optional<size_t> size() const override { return 16; }
};

}  // namespace
"""

CONTEXT = r"""
  [[maybe_unused]] auto loader =
      torch::data::make_data_loader(Digits().map(torch::data::transforms::Stack<>()), 8);
  [[maybe_unused]] int epochs = 1;
  [[maybe_unused]] std::int64_t step = 0, steps = 1;
  [[maybe_unused]] torch::data::Example<> batch{torch::rand({8, 1, 28, 28}),
                                                torch::zeros({8}, torch::kLong)};
  [[maybe_unused]] torch::Tensor loss = torch::zeros({}), images = torch::rand({8, 1, 28, 28}),
                                 outputs = torch::rand({8, 10}), targets = torch::zeros({8}),
                                 pictures = images, inputs = images, test_outputs = outputs,
                                 test_targets = targets, test_images = images,
                                 all_outputs = outputs, all_targets = targets;
  [[maybe_unused]] std::vector<std::string> class_names(10);
  [[maybe_unused]] torch::nn::Linear fc1(320, 50);
  [[maybe_unused]] torch::jit::Module script_module("Snippet");
  [[maybe_unused]] tblog::Training log(writer, model, optimizer);
"""

FENCE_OPEN = re.compile(r"^\s*```cpp\s*$")
FENCE_CLOSE = re.compile(r"^\s*```\s*$")


def blocks_of_lines(lines):
    """(first line number, text) of each ```cpp block among `lines` (1-based numbers)."""
    found, current, start = [], None, 0
    for number, line in enumerate(lines, 1):
        if current is None:
            if FENCE_OPEN.match(line):
                current, start = [], number + 1
        elif FENCE_CLOSE.match(line):
            found.append((start, dedent(current)))
            current = None
        else:
            current.append(line)
    if current is not None:
        raise ValueError(f"a ```cpp block opened at line {start - 1} is never closed")
    return found


def dedent(lines):
    indents = [len(l) - len(l.lstrip()) for l in lines if l.strip()]
    cut = min(indents, default=0)
    return "\n".join(l[cut:] for l in lines)


def header_comment_lines(text):
    """The header's lines with `///` comments turned into their text, others blanked, so that line
    numbers stay those of the file."""
    out = []
    for line in text.splitlines():
        stripped = line.lstrip()
        out.append(stripped[4:] if stripped.startswith("/// ") else
                   "" if stripped == "///" else "\x00")
    return out


def snippets(source):
    """[(relative path, first line, code)] of every block, documents then headers."""
    found = []
    for doc in DOCUMENTS:
        with open(os.path.join(source, doc)) as f:
            found += [(doc, n, code) for n, code in blocks_of_lines(f.read().splitlines())]
    for pattern in HEADER_GLOBS:
        for path in sorted(glob.glob(os.path.join(source, pattern))):
            with open(path) as f:
                lines = header_comment_lines(f.read())
            rel = os.path.relpath(path, source)
            found += [(rel, n, code) for n, code in blocks_of_lines(lines)]
    return found


def programs(source):
    """[(relative path, first line, code)] of the ```cpp blocks of README.md and docs/*.md that are
    whole programs (they define main): each is built on its own, as a reader would."""
    found = []
    for doc in ["README.md"] + sorted(os.path.relpath(p, source)
                                      for p in glob.glob(os.path.join(source, "docs", "*.md"))):
        with open(os.path.join(source, doc)) as f:
            found += [(doc, n, code) for n, code in blocks_of_lines(f.read().splitlines())
                      if re.search(r"\bint main\(", code)]
    return found


def uses_holder(code):
    return "model->" in code or "*model" in code


def translation_unit(source):
    """The C++ text compiling every snippet, and how many snippets it holds."""
    parts = [PRELUDE]
    found = snippets(source)
    for index, (path, line, code) in enumerate(found):
        model = "HeldNet model;" if uses_holder(code) else "PlainNet model;"
        params = "model->parameters()" if uses_holder(code) else "model.parameters()"
        parts.append(
            f"\n[[maybe_unused]] void snippet_{index}(tblog::SummaryWriter& writer) {{\n"
            f"  [[maybe_unused]] {model}\n"
            f"  [[maybe_unused]] torch::optim::SGD optimizer({params}, 0.01);\n"
            f"{CONTEXT}"
            f"  {{\n#line {line} \"{os.path.join(source, path)}\"\n{code}\n  }}\n}}\n")
    parts.append("\nint main() { return 0; }\n")
    return "".join(parts), found
