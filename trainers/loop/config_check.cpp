#include "config_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "../models/model_entry.hpp"
#include "settings.hpp"
#include "tblog/remote.hpp"

namespace trainers {
namespace {

void require(bool ok, const std::string& message) {
  if (!ok) throw UsageError(message);
}

}  // namespace

void check_one_of(const std::string& option, const std::string& value,
                  const std::vector<std::string>& allowed) {
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : " | ") + a;
  throw UsageError(fmt::format("{} must be one of {} (got '{}')", option, list, value));
}

void check_at_least(const std::string& option, long long value, long long minimum) {
  require(value >= minimum, fmt::format("{} must be >= {} (got {})", option, minimum, value));
}

void check_in_range(const std::string& option, long long value, long long minimum,
                    long long maximum) {
  require(value >= minimum && value <= maximum,
          fmt::format("{} must be in {}..{} (got {})", option, minimum, maximum, value));
}

void check_config(const TrainConfig& c) {
  for (const SettingSpec* setting : settings_of_model(c.model.name)) check_setting(*setting, c);
  const ModelEntry& model = model_entry(c.model.name);
  if (model.check) model.check(c.model);
  // Checkpoints are local files written beside the events (renamed into place atomically).
  require(!tblog::is_remote_path(c.logdir) || (c.checkpoint_every == 0 && !c.resume),
          "--checkpoint-every/--resume: checkpoints are local files; with an s3:// or file:// "
          "--logdir leave them off, or log to a local directory");
}

}  // namespace trainers
