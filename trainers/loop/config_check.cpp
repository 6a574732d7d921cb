#include "config_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

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
  for (const auto& setting : settings_table()) check_setting(setting, c);
  // Not an option: the commands set it (4 for images, 2 for digits read as rows).
  check_in_range("augment padding", c.augment_pad, 0, 64);
  model_entry(c.model.name).check(c.model);
  // Checkpoints are local files written beside the events (renamed into place atomically).
  require(!tblog::is_remote_path(c.logdir) || (c.checkpoint_every == 0 && !c.resume),
          "--checkpoint-every/--resume: checkpoints are local files; with an s3:// --logdir "
          "leave them off, or log to a local directory");
}

}  // namespace trainers
