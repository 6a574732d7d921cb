// Which of n points a Read* answer with num_points = k keeps: all when k >= n, none when k = 0,
// else the newest and a uniform sample of k - 1 of the others, in order. The choice comes from a
// fixed seed, so the same request gets the same points. Internal to tblog-data-server.
#pragma once

#include <cstddef>
#include <vector>

namespace tblog::serve {

std::vector<std::size_t> downsample(std::size_t n, std::size_t k);

}  // namespace tblog::serve
