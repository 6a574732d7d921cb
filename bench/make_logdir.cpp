// Writes the reader benchmark's logdirs: `scalars-100-runs` (100 runs x 10,000 scalars in 4 tags)
// and `histograms` (10 runs x 200 steps x 5 tags of 10,000-value histograms); and the data
// servers' (bench/data_servers.py): `training-runs N` (N runs, each 20 scalar tags x 2,000 steps,
// 2 histogram tags every 10 steps, 1 image tag every 100 steps: what a sweep of real jobs holds).
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <string>
#include <vector>

#include "tblog/image.hpp"
#include "tblog/summary_writer.hpp"

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "training-runs") {
    const int runs = std::atoi(argv[2]);
    const std::string dir = argv[3];
    std::vector<float> values(1000);
    tblog::Image image{28, 28, 1, std::vector<std::uint8_t>(28 * 28)};
    for (int run = 0; run < runs; ++run) {
      tblog::SummaryWriter w(dir + "/sweep/lr" + std::to_string(run % 10) + "/seed" +
                             std::to_string(run / 10));
      for (int step = 0; step < 2000; ++step) {
        const double t = 1.7e9 + step;
        for (int tag = 0; tag < 20; ++tag) {
          w.add_scalar("metrics/m" + std::to_string(tag), std::exp(-step * 0.001 * (tag + 1)) + run,
                       step, t);
        }
        if (step % 10 == 0) {
          for (int h = 0; h < 2; ++h) {
            for (std::size_t i = 0; i < values.size(); ++i)
              values[i] = static_cast<float>(std::sin(static_cast<double>(i) * 0.37 + step + h));
            w.add_histogram("weights/layer" + std::to_string(h), values, step);
          }
        }
        if (step % 100 == 0) {
          for (std::size_t i = 0; i < image.pixels.size(); ++i)
            image.pixels[i] = static_cast<std::uint8_t>((i * 7 + step + run) & 0xFF);
          w.add_image("inputs/sample", image, step, t);
        }
      }
    }
    return 0;
  }
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_logdir scalars-100-runs|histograms DIR\n"
                         "       make_logdir training-runs N DIR\n");
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
