// Wall times for events, and a cheap stand-in for reading them on the scalar hot path.
// Internal to tblog.
//
// Reading the wall clock (clock_gettime) costs ~18 ns here, a third of add_scalar. The CPU's
// time-stamp counter costs ~7 ns. So add_scalar records ticks, and the writer thread turns them
// into wall times by interpolating between two anchors, (ticks, wall time) pairs it reads at the
// start and end of the batch holding them. The result stays within the batch's wall-time span
// whatever the counter does, and with an invariant counter (every x86-64 CPU of the last decade)
// it is the wall clock's reading to within a microsecond or so.
#pragma once

#include <chrono>
#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

namespace tblog::detail {

inline double now_seconds() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count() * 1e-6;
}

inline std::uint64_t read_ticks() {
#if defined(__x86_64__) || defined(__i386__)
  return __rdtsc();
#else
  return static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
#endif
}

// A tick count and the wall time read right after it.
struct ClockAnchor {
  std::uint64_t ticks = 0;
  double wall_time = 0;
};

inline ClockAnchor take_clock_anchor() {
  const std::uint64_t ticks = read_ticks();
  return {ticks, now_seconds()};
}

// The wall time at `ticks`, read between anchors `from` and `to`; clamped to their span, so a
// counter read on another core, or just before `from` was taken, cannot land outside it.
inline double wall_time_at(const ClockAnchor& from, const ClockAnchor& to, std::uint64_t ticks) {
  if (ticks <= from.ticks || to.ticks <= from.ticks) return from.wall_time;
  if (ticks >= to.ticks) return to.wall_time;
  const double fraction = double(ticks - from.ticks) / double(to.ticks - from.ticks);
  return from.wall_time + (to.wall_time - from.wall_time) * fraction;
}

}  // namespace tblog::detail
