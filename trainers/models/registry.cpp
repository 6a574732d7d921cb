#include <deque>
#include <stdexcept>

#include "../usage_error.hpp"
#include "classifier.hpp"

namespace trainers {

// A new model is a file defining its entry, and its line here (with its declaration).
ModelEntry lenet5_entry();
ModelEntry recurrent_entry();
ModelEntry scripted_entry();  // tbtrain train --model-file: a TorchScript module

namespace {

struct Registry {
  std::deque<ModelEntry> entries;  // in order; a deque: entries and their settings never move

  void add(ModelEntry entry) {
    for (const ModelEntry& known : entries) {
      if (known.name == entry.name || (!entry.command.empty() && known.command == entry.command))
        throw std::invalid_argument("model '" + entry.name + "': its name or command '" +
                                    entry.command + "' is taken by model '" + known.name + "'");
    }
    for (const auto& own : entry.settings) {
      for (const auto& shared : settings_table()) {
        if (own.option == shared.option || (!own.axis.empty() && own.axis == shared.axis))
          throw std::invalid_argument("model '" + entry.name + "': its setting " + own.option +
                                      " is a shared one");
      }
    }
    entries.push_back(std::move(entry));
  }
};

Registry& registry() {
  static Registry* r = [] {
    auto* built = new Registry;  // never destroyed: static destructors may still ask for it
    built->add(lenet5_entry());
    built->add(recurrent_entry());
    built->add(scripted_entry());
    return built;
  }();
  return *r;
}

}  // namespace

const std::deque<ModelEntry>& model_entries() {
  return registry().entries;
}

void register_model(ModelEntry entry) {
  registry().add(std::move(entry));
}

const ModelEntry& model_entry(const std::string& name) {
  for (const ModelEntry& entry : model_entries()) {
    if (entry.name == name) return entry;
  }
  std::string known;
  for (const auto& n : model_names()) known += (known.empty() ? "" : ", ") + n;
  throw UsageError("unknown model '" + name + "' (known: " + known + ")");
}

const ModelEntry* model_of_command(const std::string& command) {
  for (const ModelEntry& entry : model_entries()) {
    if (!command.empty() && entry.command == command) return &entry;
  }
  return nullptr;
}

std::unique_ptr<Classifier> make_model(const ModelConfig& config) {
  return model_entry(config.name).make(config);
}

ModelFacts model_facts(const ModelConfig& config) {
  return model_entry(config.name).facts(config);
}

std::vector<std::string> model_names() {
  std::vector<std::string> names;
  for (const ModelEntry& entry : model_entries()) names.push_back(entry.name);
  return names;
}

}  // namespace trainers
