// What an s3:// logdir costs a training loop, against a local one (bench/s3.py drives it).
//
//   s3_writer_bench scalars LOGDIR N           N add_scalar calls, then close(): prints
//                                              "add_seconds A close_seconds C"
//   s3_writer_bench run LOGDIR FLUSHES PER     FLUSHES blocks of PER scalars (10 tags), a flush()
//                                              after each: a run with a flush every 10 s, its
//                                              time compressed
//   s3_writer_bench latency LOGDIR             reads "STEP" lines: logs "probe" at STEP, flushes,
//                                              answers "flushed STEP"; "nf STEP" logs without a
//                                              flush (the upload interval then decides)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "tblog/summary_writer.hpp"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int scalars(const std::string& logdir, long n) {
  tblog::SummaryWriter writer(logdir);
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < n; ++i) writer.add_scalar("loss", static_cast<float>(i) * 1e-6f, i);
  const double add = seconds_since(start);
  const auto closing = std::chrono::steady_clock::now();
  writer.close();
  std::printf("add_seconds %.6f close_seconds %.6f\n", add, seconds_since(closing));
  return 0;
}

int run(const std::string& logdir, long flushes, long per_flush) {
  tblog::SummaryWriter writer(logdir);
  static const char* kTags[] = {"loss",  "accuracy", "lr",    "grad_norm", "val_loss",
                                "val_acc", "epoch",  "time", "throughput", "memory"};
  long step = 0;
  for (long f = 0; f < flushes; ++f) {
    for (long i = 0; i < per_flush; ++i, ++step)
      writer.add_scalar(kTags[step % 10], static_cast<float>(step) * 1e-3f, step / 10);
    writer.flush();
  }
  writer.close();
  return 0;
}

int latency(const std::string& logdir) {
  tblog::SummaryWriter writer(logdir);
  std::string word;
  while (std::cin >> word) {
    const bool flush = word != "nf";
    if (!flush) std::cin >> word;
    const long step = std::strtol(word.c_str(), nullptr, 10);
    writer.add_scalar("probe", static_cast<float>(step), step);
    if (flush) writer.flush();
    std::printf("flushed %ld\n", step);
    std::fflush(stdout);
  }
  writer.close();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 2 ? argv[1] : "";
  try {
    if (mode == "scalars" && argc == 4) return scalars(argv[2], std::atol(argv[3]));
    if (mode == "run" && argc == 5) return run(argv[2], std::atol(argv[3]), std::atol(argv[4]));
    if (mode == "latency" && argc == 3) return latency(argv[2]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "s3_writer_bench: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr, "usage: s3_writer_bench scalars|run|latency LOGDIR ...\n");
  return 2;
}
