#include "settings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "../models/model_entry.hpp"
#include "../usage_error.hpp"

namespace trainers {
namespace {

// A field of TrainConfig as a FieldOf<type>; the table below is easier to read with it.
#define TBTRAIN_FIELD(type, member) \
  static_cast<FieldOf<type>>([](TrainConfig& c) -> type& { return c.member; })

// A flag whose option switches its field off ("--no-logging" sets `logging` to false).
SettingSpec switch_off(const char* option, const char* help, FieldOf<bool> field) {
  SettingSpec s{option, help, field};
  s.negated = true;
  return s;
}

std::vector<SettingSpec> make_table() {
  using S = ShownAs;
  using R = OnResume;
  return {
      // The optimisation.
      {"--optimizer", "sgd | momentum | adam | adagrad | rmsprop",
       TBTRAIN_FIELD(std::string, optimizer),
       one_of({"sgd", "momentum", "adam", "adagrad", "rmsprop"}), kAnyModel, "optimizer",
       "optimizer", S::kValue, R::kMustKeep},
      {"--lr", "Learning rate (> 0)", TBTRAIN_FIELD(double, lr), above(0), kAnyModel, "lr", "lr",
       S::kValue, R::kMustKeep},
      {"--schedule", "constant | cosine (anneal the learning rate to 0)",
       TBTRAIN_FIELD(std::string, schedule), one_of({"constant", "cosine"}), kAnyModel, "schedule",
       "schedule", S::kValue, R::kMustKeep},
      {"--momentum", "Momentum in [0, 1) (for momentum and rmsprop)",
       TBTRAIN_FIELD(double, momentum), from_up_to_excluded(0, 1), kAnyModel, "momentum",
       "momentum", S::kValue, R::kMustKeep},
      {"--weight-decay", "L2 weight decay (>= 0)", TBTRAIN_FIELD(double, weight_decay), at_least(0),
       kAnyModel, "weight_decay", "weight_decay", S::kValue, R::kMustKeep},
      {"--label-smoothing", "Share of each training target spread over all classes, in [0, 1)",
       TBTRAIN_FIELD(double, label_smoothing), from_up_to_excluded(0, 1), kAnyModel,
       "label_smoothing", "label_smoothing", S::kValue, R::kMustKeep},
      {"--clip", "Clip the gradient norm (0: off)", TBTRAIN_FIELD(double, clip_grad_norm),
       at_least(0), kAnyModel, "clip", "clip_grad_norm", S::kValue, R::kMustKeep},
      {"--batch-size", "Batch size", TBTRAIN_FIELD(int, batch_size), between(1, 1 << 20), kAnyModel,
       "batch_size", "batch_size", S::kValue, R::kMustKeep},
      // Under a cosine schedule the epochs set the learning rate of every step.
      {"--epochs", "Epochs", TBTRAIN_FIELD(int, epochs), between(1, 1000000), kAnyModel, "epochs",
       "epochs", S::kValue, R::kMustKeepUnderCosine},
      {"--max-steps", "Stop after this many steps (0: no limit)",
       TBTRAIN_FIELD(std::int64_t, max_steps), at_least(0)},
      {"--augment",
       "Random translations (cnn, train: crops of the image padded by 4 pixels, and horizontal "
       "flips; rnn: shifts of up to 2 pixels, no flips)",
       TBTRAIN_FIELD(bool, augment),
       {},
       kAnyModel,
       "augment",
       "augment",
       S::kValue,
       R::kMustKeep},
      {"--seed", "Random seed (same seed, same results on CPU)", TBTRAIN_FIELD(std::uint64_t, seed),
       at_least(0), kAnyModel, "seed", "seed", S::kValue, R::kMustKeep},
      {"--device", "cpu | cuda", TBTRAIN_FIELD(std::string, device), one_of({"cpu", "cuda"}),
       kAnyModel, "", "", S::kNotShown, R::kMustKeep},
      // What is logged, and how often.
      {"--log-every", "Steps between train loss/accuracy points (>= 1)",
       TBTRAIN_FIELD(int, log_every), between(1, 1 << 30)},
      {"--summary-every", "Steps between weight summaries (>= 1)",
       TBTRAIN_FIELD(int, summary_every), between(1, 1 << 30)},
      {"--checkpoint-every", "Save a checkpoint every N steps into the run directory (0: never)",
       TBTRAIN_FIELD(std::int64_t, checkpoint_every), at_least(0)},
      {"--resume", "Continue from the run directory's checkpoint (sweeps always do)",
       TBTRAIN_FIELD(bool, resume)},
      {"--grad-histograms", "Also log gradient histograms", TBTRAIN_FIELD(bool, grad_histograms)},
      switch_off("--no-logging", "Write no event files (to measure logging cost)",
                 TBTRAIN_FIELD(bool, logging)),
      switch_off("--no-visuals",
                 "No diagnostics or visualizations (PR curves, confusion matrix, deconvnet...)",
                 TBTRAIN_FIELD(bool, visuals)),
      {"--embedding-points", "Test images shown in the PROJECTOR (0: none)",
       TBTRAIN_FIELD(int, embedding_points), between(0, 100000)},
      switch_off("--no-progress", "No progress bar", TBTRAIN_FIELD(bool, progress)),
      {"--upload-interval",
       "s3:// logdirs: seconds between uploads of new events (TensorBoard's page reloads every "
       "30 s)",
       TBTRAIN_FIELD(double, upload_interval), between(0.001, 86400)},
      {"--upload-warn-after", "s3:// logdirs: seconds uploads may fail before the console says so",
       TBTRAIN_FIELD(double, upload_warn_after), between(0.001, 86400)},
      {"--activation-images", "Test images for the per-epoch activation statistics (0: none)",
       TBTRAIN_FIELD(int, activation_images), between(0, 100000), kConvActivations},
      {"--deconv-images", "Test images searched for each feature map's 9 strongest activations",
       TBTRAIN_FIELD(int, deconv_images), between(1, 1000000), kConvFigures},
      {"--deconv-each-epoch",
       "Deconvnet top-9 figures after every epoch (step = epoch), not only at the end",
       TBTRAIN_FIELD(bool, deconv_each_epoch),
       {},
       kConvFigures},
      {"--occlusion-images", "Test images with occlusion maps (0: none)",
       TBTRAIN_FIELD(int, occlusion_images), between(0, 1000), kConvFigures},
      {"--occlusion-size", "Side of the occluding square in pixels (0: a quarter of the image)",
       TBTRAIN_FIELD(int, occlusion_size), between(0, 4096), kConvFigures},
      {"--occlusion-stride", "Pixels between square positions",
       TBTRAIN_FIELD(int, occlusion_stride), between(1, 4096), kConvFigures},
      {"--occlusion-gray", "Grey level 0..255 of the square (-1: the data set's mean)",
       TBTRAIN_FIELD(int, occlusion_gray), between(-1, 255), kConvFigures},
  };
}

#undef TBTRAIN_FIELD

// A copy to read fields through: the table's fields are mutable references.
TrainConfig& readable(const TrainConfig& config, TrainConfig& copy) {
  copy = config;
  return copy;
}

std::string bound_text(double bound) {
  return fmt::format("{}", bound);
}

std::string allowed_text(const SettingSpec& s, bool real) {
  const Allowed& a = s.allowed;
  const bool has_max = a.max < std::numeric_limits<double>::max();
  if (!has_max)
    return fmt::format("{}{} {}", real ? "a finite number " : "",
                       a.min_open ? ">" : ">=", bound_text(a.min));
  if (!real) return fmt::format("in {}..{}", bound_text(a.min), bound_text(a.max));
  return fmt::format("in {}{}, {}{}", a.min_open ? "(" : "[", bound_text(a.min), bound_text(a.max),
                     a.max_open ? ")" : "]");
}

bool in_range(const Allowed& a, double v) {
  return (a.min_open ? v > a.min : v >= a.min) && (a.max_open ? v < a.max : v <= a.max);
}

double number_of(const std::string& axis, const std::string& text) {
  if (const auto d = parse_number(text)) return *d;
  throw std::invalid_argument("grid value '" + text + "' of '" + axis + "' is not a number");
}

template <typename Whole>
Whole whole_of(const std::string& axis, const std::string& text) {
  const double d = number_of(axis, text);
  if (d != std::floor(d) || d < static_cast<double>(std::numeric_limits<Whole>::lowest()) ||
      d > static_cast<double>(std::numeric_limits<Whole>::max()))
    throw std::invalid_argument("grid value '" + text + "' of '" + axis +
                                "' is not a whole number in range");
  return static_cast<Whole>(d);
}

bool flag_of(const std::string& axis, const std::string& text) {
  if (text == "true" || text == "1" || text == "on") return true;
  if (text == "false" || text == "0" || text == "off") return false;
  throw std::invalid_argument("grid value '" + text + "' of '" + axis + "' is not true/false");
}

}  // namespace

std::optional<double> parse_number(const std::string& text) {
  try {
    std::size_t used = 0;
    const double d = std::stod(text, &used);
    if (used == text.size()) return d;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

const std::vector<SettingSpec>& settings_table() {
  static const std::vector<SettingSpec> table = make_table();
  return table;
}

std::vector<const SettingSpec*> settings_of_model(const std::string& model) {
  const ModelEntry& entry = model_entry(model);
  std::vector<const SettingSpec*> settings;
  for (const auto& s : settings_table()) {
    if ((s.needs & entry.offers) == s.needs) settings.push_back(&s);
  }
  for (const auto& s : entry.settings) settings.push_back(&s);
  return settings;
}

const SettingSpec* setting_of_axis(const std::string& axis, const std::string& model) {
  if (axis.empty()) return nullptr;
  for (const SettingSpec* s : settings_of_model(model)) {
    if (s->axis == axis) return s;
  }
  return nullptr;
}

const SettingSpec* setting_of_option(const std::string& option, const std::string& model) {
  for (const SettingSpec* s : settings_of_model(model)) {
    if (s->option == option) return s;
  }
  return nullptr;
}

namespace {

// The shared settings, then every model's own.
std::vector<const SettingSpec*> every_setting() {
  std::vector<const SettingSpec*> settings;
  for (const auto& s : settings_table()) settings.push_back(&s);
  for (const ModelEntry& entry : model_entries()) {
    for (const auto& s : entry.settings) settings.push_back(&s);
  }
  return settings;
}

}  // namespace

const SettingSpec* setting_of_any_axis(const std::string& axis) {
  if (axis.empty()) return nullptr;
  for (const SettingSpec* s : every_setting()) {
    if (s->axis == axis) return s;
  }
  return nullptr;
}

std::string models_with_axis(const std::string& axis) {
  std::string names;
  for (const ModelEntry& entry : model_entries()) {
    if (setting_of_axis(axis, entry.name)) names += (names.empty() ? "" : " or ") + entry.name;
  }
  return names;
}

std::string sweep_axes_list() {
  std::vector<std::string> axes;
  for (const SettingSpec* s : every_setting()) {
    if (!s->axis.empty() && std::find(axes.begin(), axes.end(), s->axis) == axes.end())
      axes.push_back(s->axis);
  }
  std::string list;
  for (const auto& axis : axes) list += (list.empty() ? "" : ", ") + axis;
  return list;
}

void use_model(TrainConfig& config, const std::string& model) {
  config.model.name = model;
  for (const auto& [option, text] : model_entry(model).defaults) set_option(config, option, text);
}

void set_option(TrainConfig& config, const std::string& option, const std::string& text) {
  const SettingSpec* setting = setting_of_option(option, config.model.name);
  if (!setting) throw UsageError(config.model.name + " has no option " + option);
  set_from_text(*setting, config, text);
}

std::string setting_text(const SettingSpec& setting, const TrainConfig& config) {
  TrainConfig copy;
  TrainConfig& c = readable(config, copy);
  return std::visit(
      [&](const auto& field) -> std::string {
        const auto& value = field(c);
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, bool>) return value ? "on" : "off";
        if constexpr (std::is_same_v<T, std::string>) return value;
        if constexpr (std::is_same_v<T, double>) return fmt::format("{}", value);
        if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>)
          return std::to_string(value);
      },
      setting.field);
}

void set_from_text(const SettingSpec& setting, TrainConfig& config, const std::string& text) {
  const std::string& name = setting.axis.empty() ? setting.option : setting.axis;
  std::visit(
      [&](const auto& field) {
        auto& value = field(config);
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, bool>)
          value = flag_of(name, text);
        else if constexpr (std::is_same_v<T, std::string>)
          value = text;
        else if constexpr (std::is_same_v<T, double>)
          value = number_of(name, text);
        else
          value = whole_of<T>(name, text);
      },
      setting.field);
}

void check_setting(const SettingSpec& setting, const TrainConfig& config) {
  TrainConfig copy;
  TrainConfig& c = readable(config, copy);
  const Allowed& a = setting.allowed;
  std::visit(
      [&](const auto& field) {
        const auto& value = field(c);
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, std::string>) {
          if (a.choices.empty() ||
              std::find(a.choices.begin(), a.choices.end(), value) != a.choices.end())
            return;
          std::string list;
          for (const auto& choice : a.choices) list += (list.empty() ? "" : " | ") + choice;
          throw UsageError(
              fmt::format("{} must be one of {} (got '{}')", setting.option, list, value));
        } else if constexpr (std::is_same_v<T, double>) {
          if (!std::isfinite(value) || !in_range(a, value))
            throw UsageError(fmt::format("{} must be {} (got {})", setting.option,
                                         allowed_text(setting, true), value));
        } else if constexpr (!std::is_same_v<T, bool>) {
          if (!in_range(a, static_cast<double>(value)))
            throw UsageError(fmt::format("{} must be {} (got {})", setting.option,
                                         allowed_text(setting, false), value));
        }
      },
      setting.field);
}

tblog::HParams hparam_values_of(const TrainConfig& config) {
  TrainConfig copy;
  TrainConfig& c = readable(config, copy);
  tblog::HParams values;
  for (const SettingSpec* setting : settings_of_model(config.model.name)) {
    const SettingSpec& s = *setting;
    if (s.shown != ShownAs::kValue) continue;
    std::visit(
        [&](const auto& field) {
          const auto& value = field(c);
          using T = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, double> ||
                        std::is_same_v<T, std::string>)
            values[s.hparam] = value;
          else
            values[s.hparam] = std::to_string(value);
        },
        s.field);
  }
  return values;
}

std::vector<std::pair<std::string, std::string>> kept_on_resume(const TrainConfig& config) {
  std::vector<std::pair<std::string, std::string>> kept;
  for (const SettingSpec* s : settings_of_model(config.model.name)) {
    if (s->on_resume == OnResume::kMayChange) continue;
    if (s->on_resume == OnResume::kMustKeepUnderCosine && config.schedule != "cosine") continue;
    kept.emplace_back(s->option, setting_text(*s, config));
  }
  return kept;
}

}  // namespace trainers
