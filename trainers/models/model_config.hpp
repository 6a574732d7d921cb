// What builds a model: the registry key, the data's shape, and the values of the model's own
// settings, which its file declares (model_entry.hpp). No LibTorch here.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>

namespace trainers {

// The value of one of a model's own settings: every type a setting can have (loop/settings.hpp).
using ModelValue = std::variant<double, int, std::int64_t, std::uint64_t, bool, std::string>;

struct ModelConfig {
  std::string name = "lenet5";  // registry key (models/registry.cpp)
  int in_channels = 1;
  int image_size = 28;
  int classes = 10;
  // The model's own settings by option ("--fc1" -> 120). A setting not set here has its default:
  // read them through the model's ModelOption constants.
  std::map<std::string, ModelValue> values;
};

// A ModelOption's default as a literal type (text as const char*), so that the model files'
// constants are initialised before any program code runs, whichever file registers first.
template <typename T>
struct LiteralOf {
  using type = T;
};
template <>
struct LiteralOf<std::string> {
  using type = const char*;
};

// One of a model's own settings, declared as a constant in the model's file: its option and its
// default. The model reads its value with of(); the settings table writes it through in().
template <typename T>
struct ModelOption {
  const char* option;
  typename LiteralOf<T>::type default_value;

  T of(const ModelConfig& config) const {
    const auto it = config.values.find(option);
    const T* value = it == config.values.end() ? nullptr : std::get_if<T>(&it->second);
    return value ? *value : T(default_value);
  }
  T& in(ModelConfig& config) const {
    ModelValue& value = config.values.try_emplace(option, T(default_value)).first->second;
    // Another model's setting of the same option but another type: this model's default.
    if (!std::holds_alternative<T>(value)) value = T(default_value);
    return std::get<T>(value);
  }
};

}  // namespace trainers
