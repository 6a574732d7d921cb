// Logging from C++ in ten lines: a fake training curve, a histogram, an image and a note.
#include <tblog/tblog.hpp>

#include <cmath>
#include <cstdio>
#include <random>

int main(int argc, char** argv) {
  const std::string logdir = argc > 1 ? argv[1] : "runs/quickstart";
  tblog::SummaryWriter writer(logdir);
  std::mt19937 rng(0);
  std::normal_distribution<float> noise(0.f, 1.f);
  for (int step = 0; step < 200; ++step) {
    writer.add_scalar("train/loss", std::exp(-step / 50.0) + 0.05 * noise(rng), step);
    if (step % 50 == 0) {
      std::vector<float> weights(10000);
      for (auto& w : weights) w = noise(rng) / (1 + step / 50.f);
      writer.add_histogram("weights", weights, step);
    }
  }
  tblog::Image gradient{32, 32, 3, std::vector<std::uint8_t>(32 * 32 * 3)};
  for (int i = 0; i < 32 * 32 * 3; ++i) gradient.pixels[i] = static_cast<std::uint8_t>(i % 256);
  writer.add_image("gradient", gradient, 0);
  writer.add_text("about", "Written by **tblog**'s quickstart example.", 0);
  writer.close();  // throws if anything could not be written
  std::printf("wrote %s\n", writer.path().c_str());
}
