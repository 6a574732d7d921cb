// What callers hand to the writer thread: scalars packed into a byte arena (no allocation per
// call once warm), and heavier summaries as deferred encoders. Internal to tblog.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tblog::detail {

// Growable byte buffer that, unlike std::string::resize, never zero-fills what it adds.
class ByteArena {
 public:
  char* grow(std::size_t n) {
    if (size_ + n > capacity_) reserve(std::max(capacity_ * 2, size_ + n));
    char* at = data_.get() + size_;
    size_ += n;
    return at;
  }
  const char* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  void clear() { size_ = 0; }
  // Makes room for `capacity` bytes in all (pages are touched only as they fill).
  void reserve(std::size_t capacity) {
    if (capacity <= capacity_) return;
    std::unique_ptr<char[]> bigger(new char[capacity]);
    if (size_) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = capacity;
  }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

// Encodes a summary on the writer thread; `first_of_tag` asks for its plugin metadata.
struct DeferredSummary {
  std::string tag;
  std::function<std::string(const std::string& tag, bool first_of_tag)> encode;
};

// kScalarAtTicks: the wall time is a tick count for the writer to convert (wall_clock.hpp).
enum class EntryKind : std::uint8_t { kScalar = 1, kDeferred = 2, kScalarAtTicks = 3 };

struct ScalarEntry {
  std::string_view tag;
  float value;
  std::int64_t step;
  double wall_time;     // when !at_ticks
  std::uint64_t ticks;  // when at_ticks
  bool at_ticks;
};

class PendingBatch {
 public:
  void add_scalar(std::string_view tag, float value, std::int64_t step, double wall_time) {
    add_scalar_entry(EntryKind::kScalar, tag, value, step, wall_time);
  }
  void add_scalar_at_ticks(std::string_view tag, float value, std::int64_t step,
                           std::uint64_t ticks) {
    add_scalar_entry(EntryKind::kScalarAtTicks, tag, value, step, ticks);
  }

  void add_deferred(DeferredSummary summary, std::size_t approximate_bytes) {
    const auto index = static_cast<std::uint32_t>(deferred_.size());
    deferred_.push_back(std::move(summary));
    char* p = entries_.grow(1 + 4);
    *p = static_cast<char>(EntryKind::kDeferred);
    std::memcpy(p + 1, &index, 4);
    deferred_bytes_ += approximate_bytes;
  }

  // Room for `bytes` of entries up front: filling to the queue bound then never doubles the
  // buffer past it (doubling left each of the two batches at twice the bound).
  void reserve(std::size_t bytes) { entries_.reserve(bytes); }

  std::size_t bytes() const { return entries_.size() + deferred_bytes_; }
  bool empty() const { return entries_.size() == 0; }
  void clear() {
    entries_.clear();
    deferred_.clear();
    deferred_bytes_ = 0;
  }

  // Calls on_scalar(const ScalarEntry&) and on_deferred(DeferredSummary&) in logging order.
  template <typename OnScalar, typename OnDeferred>
  void for_each(OnScalar&& on_scalar, OnDeferred&& on_deferred) {
    const char* p = entries_.data();
    const char* end = p + entries_.size();
    while (p < end) {
      const auto kind = static_cast<EntryKind>(*p++);
      std::uint32_t n;
      std::memcpy(&n, p, 4);
      p += 4;
      if (kind == EntryKind::kDeferred) {
        on_deferred(deferred_[n]);
        continue;
      }
      ScalarEntry e{std::string_view(p, n), 0.f, 0, 0.0, 0, kind == EntryKind::kScalarAtTicks};
      p += n;
      std::memcpy(&e.value, p, 4);
      std::memcpy(&e.step, p + 4, 8);
      std::memcpy(e.at_ticks ? static_cast<void*>(&e.ticks) : &e.wall_time, p + 12, 8);
      p += 20;
      on_scalar(e);
    }
  }

 private:
  // `time`: a double wall time or a uint64 tick count, 8 bytes either way.
  template <typename Time>
  void add_scalar_entry(EntryKind kind, std::string_view tag, float value, std::int64_t step,
                        Time time) {
    static_assert(sizeof(Time) == 8);
    const auto tag_size = static_cast<std::uint32_t>(tag.size());
    char* p = entries_.grow(1 + 4 + tag.size() + 4 + 8 + 8);
    *p++ = static_cast<char>(kind);
    std::memcpy(p, &tag_size, 4);
    std::memcpy(p + 4, tag.data(), tag.size());
    p += 4 + tag.size();
    std::memcpy(p, &value, 4);
    std::memcpy(p + 4, &step, 8);
    std::memcpy(p + 12, &time, 8);
  }

  ByteArena entries_;
  std::vector<DeferredSummary> deferred_;
  std::size_t deferred_bytes_ = 0;
};

}  // namespace tblog::detail
