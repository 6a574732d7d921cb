#include "presets.hpp"

#include "../loop/settings.hpp"
#include "../usage_error.hpp"

namespace trainers::cli {

void apply_unless_given(const std::vector<OptionText>& values, const CLI::App& app,
                        TrainConfig& config) {
  for (const auto& [option, text] : values) {
    const CLI::Option* given = app.get_option_no_throw(option);
    if (!given || given->count() == 0) set_option(config, option, text);
  }
}

void apply_preset(const std::string& name, const CLI::App& app, TrainConfig& config) {
  if (name == "none") return;
  if (name != "best") throw UsageError("--preset must be none or best (got '" + name + "')");
  const ModelEntry& model = model_entry(config.model.name);
  if (!model.best) {
    std::string measured;
    for (const ModelEntry& entry : model_entries()) {
      if (entry.best) measured += (measured.empty() ? "" : ", ") + entry.command;
    }
    throw UsageError("--preset best: nothing is measured for tbtrain " + model.command +
                     " (it is for " + measured + ")");
  }
  apply_unless_given(model.best(config.model), app, config);
}

}  // namespace trainers::cli
