// A run's settings, declared once. Each entry (SettingSpec) is one field of TrainConfig, or one of
// a model's own settings, and says everything the program knows about it: its command-line option
// and help, the values it takes, which models it applies to, its sweep axis, the HParams key that
// shows it, and whether a resumed run must keep it. The shared settings are the table in
// settings.cpp; each model declares its own in its registry entry (models/model_entry.hpp). The
// command-line options (cli/options.cpp), the sweep axes (apply_setting), check_config,
// hparams_of and resume_settings_of are all made from them, so a new setting is one entry and one
// field.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "tblog/hparams.hpp"
#include "train_config.hpp"

namespace trainers {

// Where a setting's value lives in a TrainConfig: a member, or a ModelOption's value.
template <typename T>
using FieldOf = std::function<T&(TrainConfig&)>;
using Field = std::variant<FieldOf<double>, FieldOf<int>, FieldOf<std::int64_t>,
                           FieldOf<std::uint64_t>, FieldOf<bool>, FieldOf<std::string>>;

// What a shared setting needs of a model beyond what every model has; a model's entry says what
// it offers (ModelEntry::offers).
enum ModelNeeds : unsigned {
  kAnyModel = 0,
  kConvFigures = 1,      // images read as pictures: deconvnet figures and occlusion maps
  kConvActivations = 2,  // conv layers whose activations it reports each epoch
};

// The values a setting takes: numbers in [min, max] (an open end excludes its bound; reals must
// also be finite), text one of `choices` (when there are any). Flags take any value.
struct Allowed {
  double min = std::numeric_limits<double>::lowest();
  double max = std::numeric_limits<double>::max();
  bool min_open = false, max_open = false;
  std::vector<std::string> choices;
};

// The usual ranges, for the tables.
inline Allowed at_least(double min) {
  return {min, std::numeric_limits<double>::max(), false, false, {}};
}
inline Allowed above(double min) {
  return {min, std::numeric_limits<double>::max(), true, false, {}};
}
inline Allowed between(double min, double max) {
  return {min, max, false, false, {}};
}
inline Allowed from_up_to_excluded(double min, double max) {
  return {min, max, false, true, {}};
}
inline Allowed one_of(std::vector<std::string> choices) {
  Allowed a;
  a.choices = std::move(choices);
  return a;
}

// How the HParams dashboard shows a setting.
enum class ShownAs {
  kNotShown,
  kValue,      // its own value under `hparam`
  kModelFact,  // the model's facts fill `hparam` (fc1 and hidden are both "hidden_units")
};

// Whether a run resumed from a checkpoint must keep the setting (it shapes the training).
enum class OnResume { kMayChange, kMustKeep, kMustKeepUnderCosine };

struct SettingSpec {
  std::string option;  // "--lr"; a negated flag ("--no-logging") sets its field to false
  std::string help;
  Field field;
  Allowed allowed;
  unsigned needs = kAnyModel;  // ModelNeeds bits
  std::string axis;    // its sweep axis ("lr"); empty: sweeps cannot vary it
  std::string hparam;  // its HParams key (see ShownAs)
  ShownAs shown = ShownAs::kNotShown;
  OnResume on_resume = OnResume::kMayChange;
  bool negated = false;
  bool required = false;  // a model's setting its command cannot do without (--model-file)
};

// One of a model's own settings, for its registry entry: `option` (a ModelOption constant of the
// model's file) is where its value lives.
template <typename T>
SettingSpec model_setting(const ModelOption<T>& option, std::string help, Allowed allowed,
                          std::string axis, std::string hparam, ShownAs shown, OnResume on_resume) {
  SettingSpec s{option.option, std::move(help),
                FieldOf<T>([option](TrainConfig& c) -> T& { return option.in(c.model); }),
                std::move(allowed)};
  s.axis = std::move(axis);
  s.hparam = std::move(hparam);
  s.shown = shown;
  s.on_resume = on_resume;
  return s;
}

// The settings every model shares, in --help order.
const std::vector<SettingSpec>& settings_table();
// The settings of a run of model `model` (a registry key): the shared ones whose needs it
// offers, then its own, in --help order. Throws UsageError for an unknown model.
std::vector<const SettingSpec*> settings_of_model(const std::string& model);
// The setting of a sweep axis or option for model `model`; null when it has none.
const SettingSpec* setting_of_axis(const std::string& axis, const std::string& model);
const SettingSpec* setting_of_option(const std::string& option, const std::string& model);
// The setting of an axis in the shared table or in any model's entry; null when none has it.
const SettingSpec* setting_of_any_axis(const std::string& axis);
// The registry keys of the models whose runs have axis `axis`, for messages: "lenet5 or scripted".
std::string models_with_axis(const std::string& axis);
// The axes sweeps can vary, comma-separated (for messages).
std::string sweep_axes_list();
// Makes `model` (a registry key) the run's model, with the defaults of its entry (recurrent nets:
// batch 128): what its command starts from.
void use_model(TrainConfig& config, const std::string& model);
// Sets `option` of a run's model (or a shared option) from its text, as the command line would;
// throws UsageError when the model has no such option, std::invalid_argument for a bad text.
void set_option(TrainConfig& config, const std::string& option, const std::string& text);

// The whole of `text` as a number, or nothing: grid values are read with it, and sweeps sort
// text values that are numbers by it.
std::optional<double> parse_number(const std::string& text);

// The setting's value as text: reals as "{}" writes them, flags as on/off.
std::string setting_text(const SettingSpec& setting, const TrainConfig& config);
// Sets it from a grid value ("1e-3", "true", "lstm"). Throws std::invalid_argument naming the
// axis and the value when the text is not of the setting's type; the range is check_setting's.
void set_from_text(const SettingSpec& setting, TrainConfig& config, const std::string& text);
// Throws UsageError naming the option and what it takes ("--lr must be a finite number > 0").
void check_setting(const SettingSpec& setting, const TrainConfig& config);

// The settings shown as kValue, as HParams values: reals as numbers, whole numbers as text
// (HParams prints every number to five digits, and gives a discrete axis only to text), flags
// as booleans, text as text.
tblog::HParams hparam_values_of(const TrainConfig& config);
// The model's settings a resumed run must keep, as (option, text) pairs, in table order.
std::vector<std::pair<std::string, std::string>> kept_on_resume(const TrainConfig& config);

}  // namespace trainers
