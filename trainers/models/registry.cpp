#include <map>
#include <stdexcept>

#include "classifier.hpp"

namespace trainers {
namespace {

const std::map<std::string, ModelFactory>& registry() {
  static const std::map<std::string, ModelFactory> factories = {
      {"lenet5", make_lenet5},
      {"recurrent", make_recurrent},
  };
  return factories;
}

}  // namespace

std::unique_ptr<Classifier> make_model(const ModelConfig& config) {
  const auto it = registry().find(config.name);
  if (it == registry().end()) {
    std::string known;
    for (const auto& name : model_names()) known += (known.empty() ? "" : ", ") + name;
    throw std::invalid_argument("unknown model '" + config.name + "' (known: " + known + ")");
  }
  return it->second(config);
}

std::vector<std::string> model_names() {
  std::vector<std::string> names;
  for (const auto& [name, factory] : registry()) names.push_back(name);
  return names;
}

}  // namespace trainers
