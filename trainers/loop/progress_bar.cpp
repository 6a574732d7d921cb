#include "progress_bar.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace trainers {

ProgressBar::ProgressBar(std::string label, std::int64_t total_steps, bool enabled)
    : label_(std::move(label)), total_(total_steps), enabled_(enabled && isatty(fileno(stderr))) {}

void ProgressBar::update(std::int64_t step, double loss, double accuracy, double rate) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (step < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;  // ~10 fps
  last_draw_ = now;
  const int width = 24;
  const int filled = total_ > 0 ? static_cast<int>(width * step / total_) : 0;
  fmt::print(stderr, "\r{} [{}{}] {}/{} loss {:.4f} acc {:.2f}% {:.0f}/s  ", label_,
             std::string(filled, '#'), std::string(width - filled, '.'), step, total_, loss,
             100 * accuracy, rate);
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (enabled_) fmt::print(stderr, "\n");
}

}  // namespace trainers
