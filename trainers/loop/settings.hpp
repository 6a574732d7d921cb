// A run's settings, declared once. Each entry of the table (settings.cpp) is one field of
// TrainConfig and says everything the program knows about it: its command-line option and help,
// the values it takes, which models' commands have it, its sweep axis, the HParams key that shows
// it, and whether a resumed run must keep it. The command-line options (cli/options.cpp), the
// sweep axes (apply_setting), check_config, hparams_of and resume_settings_of are all made from
// this table, so a new setting is one entry and one field.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "tblog/hparams.hpp"
#include "train_config.hpp"

namespace trainers {

// Where a setting's value lives in a TrainConfig.
template <typename T>
using FieldOf = T& (*)(TrainConfig&);
using Field = std::variant<FieldOf<double>, FieldOf<int>, FieldOf<std::int64_t>,
                           FieldOf<std::uint64_t>, FieldOf<bool>, FieldOf<std::string>>;

// The models whose commands have a setting: one bit per registry key (models/registry.cpp).
enum ModelBits : unsigned { kLeNet5 = 1, kRecurrent = 2, kScripted = 4, kAnyModel = 7 };
// The bit of a registry key; kAnyModel for a name the table does not know.
unsigned model_bit(const std::string& model_name);
// The registry keys of some bits, for messages: "lenet5", "lenet5 or scripted".
std::string model_names_of(unsigned bits);

// The values a setting takes: numbers in [min, max] (an open end excludes its bound; reals must
// also be finite), text one of `choices` (when there are any). Flags take any value.
struct Allowed {
  double min = std::numeric_limits<double>::lowest();
  double max = std::numeric_limits<double>::max();
  bool min_open = false, max_open = false;
  std::vector<std::string> choices;
};

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
  unsigned models = kAnyModel;
  std::string axis;    // its sweep axis ("lr"); empty: sweeps cannot vary it
  std::string hparam;  // its HParams key (see ShownAs)
  ShownAs shown = ShownAs::kNotShown;
  OnResume on_resume = OnResume::kMayChange;
  bool negated = false;
};

// Every setting, in --help order.
const std::vector<SettingSpec>& settings_table();
// The entry of a sweep axis or option; null when there is none.
const SettingSpec* setting_of_axis(const std::string& axis);
const SettingSpec* setting_of_option(const std::string& option);
// The axes sweeps can vary, comma-separated (for messages).
std::string sweep_axes_list();

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
