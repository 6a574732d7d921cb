#include "downsample.hpp"

#include <random>

namespace tblog::serve {

std::vector<std::size_t> downsample(std::size_t n, std::size_t k) {
  std::vector<std::size_t> kept;
  if (k == 0 || n == 0) return kept;
  if (k >= n) {
    kept.resize(n);
    for (std::size_t i = 0; i < n; ++i) kept[i] = i;
    return kept;
  }
  // Selection sampling (Knuth's algorithm S): k - 1 of the first n - 1, in one ordered pass.
  kept.reserve(k);
  std::mt19937_64 random(0);
  std::size_t needed = k - 1;
  for (std::size_t i = 0; i + 1 < n && needed > 0; ++i) {
    const std::size_t left = n - 1 - i;
    if (std::uniform_int_distribution<std::size_t>(0, left - 1)(random) < needed) {
      kept.push_back(i);
      --needed;
    }
  }
  kept.push_back(n - 1);
  return kept;
}

}  // namespace tblog::serve
