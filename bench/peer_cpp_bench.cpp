// tblog against the fastest C++ peer writer, RustingSword/tensorboard_logger (a snapshot in
// ../shared/peers, built by bench/peer_cpp.sh; benchmarks only, never linked into tblog).
// One workload per process call, so runs of the two writers interleave and each gets a fresh
// process: `peer_cpp_bench WRITER WORKLOAD DIR` prints {"writer","workload","to_last_add",
// "total","peak_kib"} as one JSON line.
//   to_last_add: seconds from creating the writer to returning from its last add_* call;
//   total: until the writer is closed (everything on disk). The peer's close waits for a flusher
//   that sleeps in whole seconds, so its `total` is quantised; compare `to_last_add` for it.
#include <png.h>
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "bare_record_file.hpp"
#include "event_encoding.hpp"  // tblog/src: the floor uses tblog's encoders directly
#include "kinds/shared_by_kinds.hpp"
#include "tblog/histogram.hpp"
#include "tblog/image.hpp"
#include "tblog/summary_writer.hpp"
#include "tensorboard_logger.h"

using Clock = std::chrono::steady_clock;

namespace {

constexpr int kScalars = 1000000, kHistograms = 1000, kHistogramValues = 100000, kImages = 1000;

std::vector<float> histogram_values() {
  std::mt19937 rng(1);
  std::normal_distribution<float> normal(0.f, 1.f);
  std::vector<float> v(kHistogramValues);
  for (auto& x : v) x = normal(rng);
  return v;
}

// "images": a repeating ramp (what this benchmark always used). "photos": smooth shading with
// sensor-like noise, whose statistics are closer to the CIFAR-10 pictures users log. "noise":
// uniformly random pixels (early GAN samples, noise inputs), which no compressor can shrink.
tblog::Image rgb_image(int i, const std::string& workload) {
  const bool photo = workload == "photos", noise = workload == "noise";
  tblog::Image image{32, 32, 3, std::vector<std::uint8_t>(32 * 32 * 3)};
  std::mt19937 rng(static_cast<unsigned>(i));
  for (int y = 0; y < 32; ++y) {
    for (int x = 0; x < 32; ++x) {
      for (int c = 0; c < 3; ++c) {
        const std::size_t p = (std::size_t(y) * 32 + x) * 3 + c;
        image.pixels[p] = static_cast<std::uint8_t>(
            noise   ? rng() & 0xff
            : photo ? 128 + 60 * std::sin(x * 0.2 + i) + 40 * std::cos(y * 0.3 + c) + rng() % 16
                    : (p * 7 + i * 13) & 0xff);
      }
    }
  }
  return image;
}

// The peer takes PNG bytes, so its caller encodes them: with libpng's simplified API at its
// defaults, the reference encoder a C++ user of the peer reaches for.
std::string libpng_encode(const tblog::Image& image) {
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  png.width = static_cast<png_uint_32>(image.width);
  png.height = static_cast<png_uint_32>(image.height);
  png.format = PNG_FORMAT_RGB;
  png_alloc_size_t size = 0;
  png_image_write_to_memory(&png, nullptr, &size, 0, image.pixels.data(), 0, nullptr);
  std::string out(size, '\0');
  if (!png_image_write_to_memory(&png, out.data(), &size, 0, image.pixels.data(), 0, nullptr)) {
    std::fprintf(stderr, "libpng: %s\n", png.message);
    std::exit(1);
  }
  out.resize(size);
  return out;
}

// The floor: tblog's own encoders in a bare loop on one thread (bare_record_file.hpp); wall
// times are made up.
void write_floor(const std::string& workload, const std::string& dir,
                 const std::vector<float>& values, const std::vector<tblog::Image>& images) {
  std::filesystem::create_directories(dir);
  bench::BareRecordFile file(dir + "/events.out.tfevents.floor");
  std::string payload;
  if (workload == "scalars") {
    for (int i = 0; i < kScalars; ++i) {
      payload.clear();
      tblog::detail::append_scalar_event(payload, "loss", 1.0f / (i + 1), i, 1.7e9 + i * 1e-6);
      file.append(payload);
    }
  } else if (workload == "histograms") {
    for (int i = 0; i < kHistograms; ++i) {
      const tblog::Histogram h = tblog::make_histogram(values.data(), values.size());
      file.append(tblog::detail::histogram_event("weights", h, i, 1.7e9 + i * 1e-3, i == 0));
    }
  } else {
    for (int i = 0; i < kImages; ++i) {
      const tblog::Image& image = images[i % 16];
      file.append(tblog::detail::image_event("sample", image.width, image.height, image.channels,
                                             tblog::encode_png(image), i, 1.7e9 + i * 1e-3));
    }
  }
}

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr,
                 "usage: peer_cpp_bench tblog|tensorboard_logger|floor "
                 "scalars|histograms|images|photos|noise DIR\n"
                 "  PEER_PNG_ENCODER=tblog: the peer's caller encodes with tblog's encoder, not "
                 "libpng's\n");
    return 2;
  }
  const std::string writer = argv[1], workload = argv[2], dir = argv[3];
  const auto values = workload == "histograms" ? histogram_values() : std::vector<float>{};
  std::vector<tblog::Image> images;
  const bool image_workload = workload == "images" || workload == "photos" || workload == "noise";
  if (image_workload)
    for (int i = 0; i < 16; ++i) images.push_back(rgb_image(i, workload));
  // The process before any writer exists (libraries, the input values or images): peak_kib
  // minus this is what the writer itself added.
  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  double to_last_add = 0, total = 0;
  const auto t0 = Clock::now();
  if (writer == "tblog") {
    tblog::SummaryWriter w(dir);
    if (workload == "scalars")
      for (int i = 0; i < kScalars; ++i) w.add_scalar("loss", 1.0 / (i + 1), i);
    if (workload == "histograms")
      for (int i = 0; i < kHistograms; ++i) w.add_histogram("weights", values, i);
    if (image_workload)
      for (int i = 0; i < kImages; ++i) w.add_image("sample", images[i % 16], i);
    to_last_add = since(t0);
    w.close();
    total = since(t0);
  } else if (writer == "floor") {
    write_floor(workload, dir, values, images);
    to_last_add = since(t0);
  } else {
    TensorBoardLogger w(dir + "/events.out.tfevents.peer");
    if (workload == "scalars")
      for (int i = 0; i < kScalars; ++i) w.add_scalar("loss", i, static_cast<float>(1.0 / (i + 1)));
    if (workload == "histograms")
      for (int i = 0; i < kHistograms; ++i)
        w.add_histogram("weights", i, values.data(), values.size());
    if (image_workload) {
      const bool tblog_encoder = std::getenv("PEER_PNG_ENCODER") &&
                                 std::string(std::getenv("PEER_PNG_ENCODER")) == "tblog";
      for (int i = 0; i < kImages; ++i) {
        const tblog::Image& image = images[i % 16];
        const std::string png = tblog_encoder ? tblog::encode_png(image) : libpng_encode(image);
        w.add_image("sample", i, png, 32, 32, 3);
      }
    }
    to_last_add = since(t0);
  }
  if (writer != "tblog") total = since(t0);  // after the peer's destructor, or the floor's fclose
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf(
      "{\"writer\":\"%s\",\"workload\":\"%s\",\"to_last_add\":%.4f,\"total\":%.4f,"
      "\"peak_kib\":%ld,\"baseline_kib\":%ld}\n",
      writer.c_str(), workload.c_str(), to_last_add, total, usage.ru_maxrss, before.ru_maxrss);
  return 0;
}
