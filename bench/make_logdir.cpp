// Writes the reader benchmark's logdirs: `scalars-100-runs` (100 runs x 10,000 scalars in 4 tags)
// and `histograms` (10 runs x 200 steps x 5 tags of 10,000-value histograms).
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "tblog/summary_writer.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_logdir scalars-100-runs|histograms DIR\n");
    return 2;
  }
  const std::string kind = argv[1], dir = argv[2];
  if (kind == "scalars-100-runs") {
    for (int run = 0; run < 100; ++run) {
      tblog::SummaryWriter w(dir + "/run" + std::to_string(run));
      for (int step = 0; step < 2500; ++step) {
        for (const char* tag : {"train/loss", "train/accuracy", "test/loss", "test/accuracy"})
          w.add_scalar(tag, std::sin(step * 0.01 + run), step, 1.7e9 + step);
      }
    }
  } else if (kind == "histograms") {
    std::vector<float> values(10000);
    for (int run = 0; run < 10; ++run) {
      tblog::SummaryWriter w(dir + "/run" + std::to_string(run));
      for (int step = 0; step < 200; ++step) {
        for (int t = 0; t < 5; ++t) {
          for (std::size_t i = 0; i < values.size(); ++i)
            values[i] = static_cast<float>(std::sin(static_cast<double>(i) * 0.37 + step + t));
          w.add_histogram("histograms/W" + std::to_string(t), values, step);
        }
      }
    }
  } else {
    std::fprintf(stderr, "make_logdir: unknown kind '%s'\n", kind.c_str());
    return 2;
  }
  return 0;
}
