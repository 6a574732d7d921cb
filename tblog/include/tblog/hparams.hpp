/// @file
/// Types for the HPARAMS dashboard: hyperparameter values, their domains, and metrics.
#pragma once

#include <map>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace tblog {

/// One hyperparameter value: a number, a string or a bool (a std::variant of them, as before).
/// Any integer is a number (`{"batch_size", 64}`), and a string literal is a string, not a bool.
struct HParamValue : std::variant<double, std::string, bool> {
  using Base = std::variant<double, std::string, bool>;
  HParamValue() = default;
  HParamValue(double value) : Base(value) {}                    // NOLINT: implicit by design
  HParamValue(float value) : Base(double{value}) {}             // NOLINT
  HParamValue(bool value) : Base(value) {}                      // NOLINT
  HParamValue(std::string value) : Base(std::move(value)) {}    // NOLINT
  HParamValue(const char* value) : Base(std::string(value)) {}  // NOLINT
  template <
      typename Integer,
      std::enable_if_t<std::is_integral_v<Integer> && !std::is_same_v<Integer, bool>, int> = 0>
  HParamValue(Integer value) : Base(static_cast<double>(value)) {}  // NOLINT
};
using HParams = std::map<std::string, HParamValue>;

/// The values a hyperparameter can take, shown as filters in the HPARAMS dashboard.
struct HParamDomain {
  std::string name;
  std::string display_name;
  std::string description;
  /// Either a discrete list of values (all of one kind) or a numeric interval.
  std::vector<HParamValue> discrete;
  bool is_interval = false;
  double min_value = 0;
  double max_value = 0;
};

/// A metric column: the last value of scalar `tag` in the session's run (or its subrun `group`).
struct MetricInfo {
  std::string tag;
  std::string group;
  std::string display_name;
  std::string description;
};

enum class SessionStatus { kUnknown = 0, kSuccess = 1, kFailure = 2, kRunning = 3 };

/// The experiment: which hyperparameters and metrics the dashboard shows. Written once, usually
/// in the sweep's root directory; each run then writes only its own session.
struct HParamsExperiment {
  std::string name;
  std::string description;
  std::vector<HParamDomain> hparams;
  std::vector<MetricInfo> metrics;
};

}  // namespace tblog
