// Named recipes (`--preset best`): the settings measured best on this project's data
// (docs/benchmarks.md, "Accuracy on the real data"), which each model's registry entry states
// (ModelEntry::best), applied to every option the command line leaves unset, so
// `--preset best --epochs 5` still trains 5 epochs.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "../loop/trainer.hpp"

namespace trainers::cli {

// Sets each of `values` ({"--batch-size", "128"}) in `config` that `app`'s command line did not
// give.
void apply_unless_given(const std::vector<OptionText>& values, const CLI::App& app,
                        TrainConfig& config);

// Applies preset `name` ("none" or "best") of config.model's entry to `config`, leaving alone every
// option given on `app`'s command line. Throws UsageError naming the known presets otherwise, or
// when nothing is measured for the model.
void apply_preset(const std::string& name, const CLI::App& app, TrainConfig& config);

}  // namespace trainers::cli
