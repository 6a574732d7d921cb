// A reservoir sample of one time series, as TensorBoard's data server keeps each tag: at most
// `capacity` points, always the newest, the rest a uniform random sample of the stream; a point
// whose step is not above the last one kept preempts (drops) every kept point at or after its
// step, since a restarted job rewrites those steps. The random choices come from a fixed seed, so
// a server reading the same files keeps the same points. Internal to tblog-data-server.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace tblog::serve {

constexpr std::size_t kUnbounded = std::numeric_limits<std::size_t>::max();

// `Point` has a `std::int64_t step`.
template <typename Point>
class Reservoir {
 public:
  explicit Reservoir(std::size_t capacity) : capacity_(capacity) {}

  void offer(Point point) {
    if (capacity_ == 0) return;
    preempt(point.step);
    ++seen_;
    const std::size_t destination = roll(seen_);
    if (destination >= capacity_) {
      if (!points_.empty()) points_.pop_back();  // not sampled: it only replaces the newest
    } else if (points_.size() >= capacity_) {
      points_.erase(points_.begin() + static_cast<std::ptrdiff_t>(destination));
    }
    points_.push_back(std::move(point));
  }

  // Drops every point at or after `step` (a SessionLog START there, or an earlier step offered).
  // The count of points seen shrinks in proportion, so later sampling stays about uniform.
  void preempt(std::int64_t step) {
    std::size_t keep = points_.size();
    while (keep > 0 && points_[keep - 1].step >= step) --keep;
    const std::size_t dropped = points_.size() - keep;
    if (dropped == 0) return;
    const double kept_share = static_cast<double>(keep) / static_cast<double>(points_.size());
    seen_ = static_cast<std::size_t>(std::ceil(static_cast<double>(seen_) * kept_share));
    points_.resize(keep);
  }

  const std::vector<Point>& points() const { return points_; }

 private:
  // A uniform index in [0, n) where it matters. While n <= capacity the reservoir is not full
  // (it never holds more than were seen), so every point is kept and no number is drawn.
  std::size_t roll(std::size_t n) {
    if (n <= capacity_) return 0;
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_);
  }

  std::size_t capacity_;
  std::size_t seen_ = 0;
  std::vector<Point> points_;
  std::mt19937_64 random_{0};
};

}  // namespace tblog::serve
