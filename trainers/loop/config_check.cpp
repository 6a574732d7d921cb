#include "config_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace trainers {
namespace {

void require(bool ok, const std::string& message) {
  if (!ok) throw UsageError(message);
}

void check_positive_real(const std::string& option, double value) {
  require(std::isfinite(value) && value > 0,
          fmt::format("{} must be a finite number > 0 (got {})", option, value));
}

void check_non_negative_real(const std::string& option, double value) {
  require(std::isfinite(value) && value >= 0,
          fmt::format("{} must be a finite number >= 0 (got {})", option, value));
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
  check_one_of("--optimizer", c.optimizer, {"sgd", "momentum", "adam", "adagrad", "rmsprop"});
  check_one_of("--schedule", c.schedule, {"constant", "cosine"});
  check_one_of("--device", c.device, {"cpu", "cuda"});
  check_positive_real("--lr", c.lr);
  require(std::isfinite(c.momentum) && c.momentum >= 0 && c.momentum < 1,
          fmt::format("--momentum must be in [0, 1) (got {})", c.momentum));
  check_non_negative_real("--weight-decay", c.weight_decay);
  check_non_negative_real("--clip", c.clip_grad_norm);
  require(std::isfinite(c.label_smoothing) && c.label_smoothing >= 0 && c.label_smoothing < 1,
          fmt::format("--label-smoothing must be in [0, 1) (got {})", c.label_smoothing));
  check_in_range("--batch-size", c.batch_size, 1, 1 << 20);
  check_in_range("--epochs", c.epochs, 1, 1000000);
  check_at_least("--max-steps", c.max_steps, 0);
  check_at_least("--checkpoint-every", c.checkpoint_every, 0);
  check_in_range("--log-every", c.log_every, 1, 1 << 30);
  check_in_range("--summary-every", c.summary_every, 1, 1 << 30);
  check_in_range("--activation-images", c.activation_images, 0, 100000);
  check_in_range("augment padding", c.augment_pad, 0, 64);
  check_in_range("--embedding-points", c.embedding_points, 0, 100000);
  check_in_range("--deconv-images", c.deconv_images, 1, 1000000);
  check_in_range("--occlusion-images", c.occlusion_images, 0, 1000);
  check_in_range("--occlusion-size", c.occlusion_size, 0, 4096);
  check_in_range("--occlusion-stride", c.occlusion_stride, 1, 4096);
  check_in_range("--occlusion-gray", c.occlusion_gray, -1, 255);

  model_entry(c.model.name).check(c.model);
}

}  // namespace trainers
