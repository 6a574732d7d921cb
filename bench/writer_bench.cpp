// tblog writer benchmarks: the workloads of bench/README.md, each in a fresh child process (so
// peak memory is per workload), repeated, medians reported. Output: one JSON object per line.
//
//   writer_bench [--repeat N] [--short] [--dir DIR]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bare_record_file.hpp"
#include "event_encoding.hpp"
#include "tblog/reader.hpp"
#include "tblog/record.hpp"
#include "tblog/summary_writer.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct Sizes {
  int scalars = 1000000, histograms = 1000, histogram_values = 100000, images = 1000,
      mixed_steps = 50000;
};

std::uintmax_t dir_bytes(const std::string& dir) {
  std::uintmax_t total = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) total += e.file_size();
  }
  return total;
}

// Runs `body` in a child; returns {seconds, peak RSS in KiB}. The child writes seconds to a pipe.
std::pair<double, long> in_child(const std::function<void()>& body) {
  int fds[2];
  if (pipe(fds) != 0) std::abort();
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    const auto t0 = Clock::now();
    body();
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    if (write(fds[1], &s, sizeof s) != sizeof s) _exit(2);
    _exit(0);
  }
  close(fds[1]);
  double seconds = -1;
  if (read(fds[0], &seconds, sizeof seconds) != sizeof seconds) seconds = -1;
  close(fds[0]);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  return {seconds, usage.ru_maxrss};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void report(const char* workload, const char* writer, int events, const std::vector<double>& secs,
            std::uintmax_t bytes, long peak_kib) {
  const double s = median(secs);
  std::printf(
      "{\"workload\":\"%s\",\"writer\":\"%s\",\"events\":%d,\"seconds\":%.4f,"
      "\"events_per_second\":%.0f,\"bytes\":%ju,\"peak_rss_kib\":%ld,\"runs\":%zu}\n",
      workload, writer, events, s, events / s, bytes, peak_kib, secs.size());
  std::fflush(stdout);
}

void run_workload(const char* name, int events, int repeat, const std::string& base,
                  const std::function<void(const std::string&)>& body,
                  const char* writer = "tblog") {
  std::vector<double> secs;
  long peak = 0;
  std::uintmax_t bytes = 0;
  for (int r = 0; r < repeat; ++r) {
    const std::string dir = base + "/" + name + "_" + std::to_string(r);
    fs::remove_all(dir);
    auto [s, rss] = in_child([&] { body(dir); });
    secs.push_back(s);
    peak = std::max(peak, rss);
    bytes = dir_bytes(dir);
    fs::remove_all(dir);
  }
  report(name, writer, events, secs, bytes, peak);
}

}  // namespace

int main(int argc, char** argv) {
  int repeat = 5;
  Sizes n;
  std::string base = (fs::temp_directory_path() / "tblog-bench").string();
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--repeat") && i + 1 < argc) repeat = std::atoi(argv[++i]);
    if (!std::strcmp(argv[i], "--dir") && i + 1 < argc) base = argv[++i];
    if (!std::strcmp(argv[i], "--short")) n = Sizes{100000, 50, 100000, 100, 5000};
  }
  fs::create_directories(base);

  run_workload("scalars", n.scalars, repeat, base, [&](const std::string& dir) {
    tblog::SummaryWriter w(dir);
    for (int i = 0; i < n.scalars; ++i) w.add_scalar("loss", 1.0 / (i + 1), i);
    w.close();
  });

  // The bare floor: encode and frame the same records and write them, no queue, no thread.
  run_workload(
      "scalars", n.scalars, repeat, base,
      [&](const std::string& dir) {
        fs::create_directories(dir);
        bench::BareRecordFile file(dir + "/events.out.tfevents.bare");
        std::string payload;
        for (int i = 0; i < n.scalars; ++i) {
          payload.clear();
          tblog::detail::append_scalar_event(payload, "loss", 1.0f / (i + 1), i, 1.7e9 + i * 1e-6);
          file.append(payload);
        }
      },
      "bare-encode-loop");

  std::vector<float> values(n.histogram_values);
  std::mt19937 rng(1);
  std::normal_distribution<float> normal(0.f, 1.f);
  for (auto& v : values) v = normal(rng);
  run_workload("histograms_100k", n.histograms, repeat, base, [&](const std::string& dir) {
    tblog::SummaryWriter w(dir);
    for (int i = 0; i < n.histograms; ++i) w.add_histogram("weights", values, i);
    w.close();
  });

  tblog::Image image{32, 32, 3, std::vector<std::uint8_t>(32 * 32 * 3)};
  for (auto& p : image.pixels) p = static_cast<std::uint8_t>(rng());
  run_workload("images_3x32x32", n.images, repeat, base, [&](const std::string& dir) {
    tblog::SummaryWriter w(dir);
    for (int i = 0; i < n.images; ++i) w.add_image("image", image, i);
    w.close();
  });

  // A training-like stream from 4 threads: per step 4 scalars, every 100 steps a 10k histogram,
  // every 1000 steps an image.
  const int mixed_events = 4 * (n.mixed_steps * 4 + n.mixed_steps / 100 + n.mixed_steps / 1000);
  run_workload("mixed_4_threads", mixed_events, repeat, base, [&](const std::string& dir) {
    tblog::SummaryWriter w(dir);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        const std::string p = "worker" + std::to_string(t) + "/";
        std::vector<float> small(values.begin(), values.begin() + 10000);
        for (int s = 0; s < n.mixed_steps; ++s) {
          w.add_scalar(p + "loss", 1.0 / (s + 1), s);
          w.add_scalar(p + "accuracy", 0.5, s);
          w.add_scalar(p + "lr", 1e-3, s);
          w.add_scalar(p + "grad_norm", 2.0, s);
          if (s % 100 == 0) w.add_histogram(p + "weights", small, s);
          if (s % 1000 == 0) w.add_image(p + "image", image, s);
        }
      });
    }
    for (auto& th : threads) th.join();
    w.close();
  });

  // Caller-side latency of one add_scalar while the writer thread works, per call.
  {
    const std::string dir = base + "/latency";
    fs::remove_all(dir);
    tblog::SummaryWriter w(dir);
    const int calls = 200000;
    std::vector<double> ns(calls);
    for (int i = 0; i < 10000; ++i) w.add_scalar("warmup", i, i);
    for (int i = 0; i < calls; ++i) {
      const auto t0 = Clock::now();
      w.add_scalar("loss", 0.5, i);
      ns[i] = std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
    }
    w.close();
    std::vector<double> clock_ns(calls);
    for (int i = 0; i < calls; ++i) {
      const auto t0 = Clock::now();
      clock_ns[i] = std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
    }
    std::sort(ns.begin(), ns.end());
    std::sort(clock_ns.begin(), clock_ns.end());
    std::printf(
        "{\"workload\":\"add_scalar_latency\",\"writer\":\"tblog\",\"median_ns\":%.1f,"
        "\"p99_ns\":%.1f,\"clock_overhead_median_ns\":%.1f}\n",
        ns[calls / 2], ns[calls * 99 / 100], clock_ns[calls / 2]);
    fs::remove_all(dir);
  }
  return 0;
}
