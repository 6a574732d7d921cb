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
    if (roll(seen_) >= capacity_) {
      pop_newest();  // not sampled: it only replaces the newest
    } else if (live_ >= capacity_) {
      evict_one();
    }
    if (points_.size() == points_.capacity() && live_ + 1 == capacity_) {
      // Full from now on: room for the marks evict_one() leaves, and no more (doubling to 2,048
      // for 1,000 points cost a fifth of the server's memory on a 300-run logdir).
      points_.reserve(capacity_ + capacity_ / 8 + 1);
    }
    points_.push_back(std::move(point));
    dead_.push_back(false);
    ++live_;
  }

  // Drops every point at or after `step` (a SessionLog START there, or an earlier step offered).
  // The count of points seen shrinks in proportion, so later sampling stays about uniform.
  void preempt(std::int64_t step) {
    std::size_t keep = points_.size();
    std::size_t dropped = 0;
    while (keep > 0 && points_[keep - 1].step >= step) {
      --keep;
      if (!dead_[keep]) ++dropped;
    }
    if (keep == points_.size()) return;
    const std::size_t before = live_;
    dead_count_ -= (points_.size() - keep) - dropped;
    live_ -= dropped;
    points_.resize(keep);
    dead_.resize(keep);
    if (dropped == 0) return;
    const double kept_share = static_cast<double>(live_) / static_cast<double>(before);
    seen_ = static_cast<std::size_t>(std::ceil(static_cast<double>(seen_) * kept_share));
  }

  // Removes the evicted points' places, so that points() holds the sample alone. The loader calls
  // it before it lets readers in again.
  void settle() {
    if (dead_count_ == 0) return;
    std::size_t to = 0;
    for (std::size_t from = 0; from < points_.size(); ++from) {
      if (dead_[from]) continue;
      if (to != from) points_[to] = std::move(points_[from]);
      ++to;
    }
    points_.resize(to);
    dead_.assign(to, false);
    dead_count_ = 0;
  }

  // The kept points in step order (after settle()).
  const std::vector<Point>& points() const { return points_; }

 private:
  // A uniform index in [0, n) where it matters. While n <= capacity the reservoir is not full
  // (it never holds more than were seen), so every point is kept and no number is drawn.
  std::size_t roll(std::size_t n) {
    if (n <= capacity_) return 0;
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_);
  }

  void pop_newest() {
    while (!points_.empty() && dead_.back()) {
      points_.pop_back();
      dead_.pop_back();
      --dead_count_;
    }
    if (points_.empty()) return;
    points_.pop_back();
    dead_.pop_back();
    --live_;
  }

  // Evicts a uniformly chosen kept point. Erasing it from the middle would move the points after
  // it, every time (most of a load's time on 2,000-step series); it is marked instead, and the
  // marks are swept out when they are an eighth of the points kept, or by settle().
  void evict_one() {
    std::uniform_int_distribution<std::size_t> place(0, points_.size() - 1);
    std::size_t victim = place(random_);
    while (dead_[victim]) victim = place(random_);  // at most a ninth are marked: ~1.1 draws
    dead_[victim] = true;
    ++dead_count_;
    --live_;
    if (dead_count_ * 8 >= live_) settle();
  }

  std::size_t capacity_;
  std::size_t seen_ = 0;
  std::size_t live_ = 0;        // points kept
  std::size_t dead_count_ = 0;  // evicted, still in points_ until settle()
  std::vector<Point> points_;
  std::vector<bool> dead_;
  std::mt19937_64 random_{0};
};

}  // namespace tblog::serve
