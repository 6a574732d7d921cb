// Named recipes (`--preset best`): the settings measured best on this project's data
// (docs/benchmarks.md, "Accuracy on the real data"), applied to every option the command line
// leaves unset, so `--preset best --epochs 5` still trains 5 epochs.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "../loop/trainer.hpp"

namespace trainers::cli {

// Applies preset `name` ("none" or "best") for model `model` ("lenet5" or "recurrent") to
// `config`, leaving alone every option given on `app`'s command line. Throws UsageError naming
// the known presets otherwise.
void apply_preset(const std::string& name, const CLI::App& app, TrainConfig& config);

}  // namespace trainers::cli
