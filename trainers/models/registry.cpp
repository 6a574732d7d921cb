#include <map>

#include "../usage_error.hpp"
#include "classifier.hpp"

namespace trainers {
namespace {

// A new model is a file defining its ModelEntry, plus one line here.
const std::map<std::string, ModelEntry>& registry() {
  static const std::map<std::string, ModelEntry> entries = {
      {"lenet5", lenet5_entry()},
      {"recurrent", recurrent_entry()},
      {"scripted", scripted_entry()},
  };
  return entries;
}

}  // namespace

const ModelEntry& model_entry(const std::string& name) {
  const auto it = registry().find(name);
  if (it == registry().end()) {
    std::string known;
    for (const auto& n : model_names()) known += (known.empty() ? "" : ", ") + n;
    throw UsageError("unknown model '" + name + "' (known: " + known + ")");
  }
  return it->second;
}

std::unique_ptr<Classifier> make_model(const ModelConfig& config) {
  return model_entry(config.name).make(config);
}

ModelFacts model_facts(const ModelConfig& config) {
  return model_entry(config.name).facts(config);
}

std::vector<std::string> model_names() {
  std::vector<std::string> names;
  for (const auto& [name, entry] : registry()) names.push_back(name);
  return names;
}

}  // namespace trainers
