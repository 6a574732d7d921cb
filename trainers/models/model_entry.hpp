// The model registry: everything tbtrain knows of a model, declared by the model's own file in
// its ModelEntry. The subcommand that trains it, its options, its sweep axes, its checks, its
// HParams facts, its presets and its defaults are all made from the entry, so a new model is its
// file plus its line in registry.cpp. No LibTorch here (classifier.hpp has the model's interface).
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../loop/settings.hpp"
#include "model_config.hpp"

namespace trainers {

class Classifier;  // classifier.hpp
using ModelFactory = std::function<std::unique_ptr<Classifier>(const ModelConfig&)>;

// What the shared loop and the HParams dashboard know of a model without building it. Every
// model fills every field, so HParams sessions of different models carry the same keys.
struct ModelFacts {
  std::string label;       // "lenet5", "lstm"...: the progress bar, HParams "model"
  int hidden_units = 0;    // the width HParams compares across models
  int layers = 0;          // layers with weights
  std::string activation;  // its nonlinearity
};

// An option's value as the command line gives it: {"--batch-size", "128"}.
using OptionText = std::pair<std::string, std::string>;

// What --augment does to a model's training images: random shifts of up to `pad` pixels (a crop
// of the zero-padded image), and horizontal flips when `flip` (right for photographs, wrong for
// digits read as rows).
struct Augmentation {
  int pad = 4;
  bool flip = true;
};

struct ModelEntry {
  std::string name;     // the registry key (ModelConfig::name)
  std::string command;  // the tbtrain subcommand that trains it ("cnn"); sweeps' --model takes it
  std::string about;    // that subcommand's --help line
  std::string logdir;   // its default --logdir; empty: runs/<the model's label>
  // Its own settings (its shape), each with a ModelOption of the model's file as its field
  // (model_setting in loop/settings.hpp). A setting marked required chooses this model in a
  // sweep (tbtrain sweep --model-file).
  std::vector<SettingSpec> settings;
  // ModelNeeds bits: the shared settings beyond every model's that apply to it (the conv
  // visualizations' settings: kConvFigures, kConvActivations).
  unsigned offers = kAnyModel;
  // Shared settings whose default differs for this model (recurrent nets: batch 128), applied
  // wherever the command line does not give them.
  std::vector<OptionText> defaults;
  Augmentation augment;
  // --preset best: the recipe measured best for this configuration, as option values; none when
  // the function is empty (nothing measured).
  std::function<std::vector<OptionText>(const ModelConfig&)> best;
  ModelFactory make;
  std::function<ModelFacts(const ModelConfig&)> facts;
  // What the settings' ranges cannot check, such as a --model-file's module (throwing UsageError
  // naming the option); may be empty.
  std::function<void(const ModelConfig&)> check;
};

// Every registered model, in registration order (tbtrain --help lists their commands so).
const std::deque<ModelEntry>& model_entries();
// Throws UsageError naming the known models when `name` is not registered.
const ModelEntry& model_entry(const std::string& name);
// The model whose command is `command` ("cnn"); null when none.
const ModelEntry* model_of_command(const std::string& command);
std::vector<std::string> model_names();
ModelFacts model_facts(const ModelConfig& config);

// Adds a program's own model to the registry, before it builds its command line (the suite's
// tbtrain_with_test_model adds one so). Throws std::invalid_argument when its name, its command
// or one of its options is taken.
void register_model(ModelEntry entry);

}  // namespace trainers
