// The writer the S3 checks drive (check_s3_logdirs.py): logs a known sequence to any logdir,
// local or s3://, flushing on a schedule and saying on stdout what it flushed, so the check can
// kill it, stop the server under it, or compare its s3:// run with a local copy.
//
//   s3_test_writer LOGDIR [--steps N] [--first-step S] [--flush-every K] [--sleep-ms M]
//                         [--upload-interval-ms U] [--close-timeout-ms T] [--spool DIR]
//                         [--resume] [--embedding] [--report-backlog] [--twin]
//
// Each step logs scalar "loss" = 1/(1+step) and "accuracy" = step/(step+10); every 10th step a
// histogram "weights"; step 0 a text "note" and a 4x4 image "grid". "flushed S" after each
// flush (S: the last step flushed), with --report-backlog then "backlog SEGMENTS BYTES
// FAILING_MS LAST_ERROR" (SummaryWriter::upload_backlog(); "-" for no error); exit 0 after a
// clean close, 3 with close's message. "closing" is printed as close() begins. --twin: a second
// writer of the same logdir in this process logs "loss" at steps shifted by N beside the first
// (two writers of one run must never overwrite each other's objects).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>

#include "tblog/tblog.hpp"

namespace {

long number(const char* text) {
  return std::strtol(text, nullptr, 10);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: s3_test_writer LOGDIR [options]\n");
    return 2;
  }
  const std::string logdir = argv[1];
  long steps = 100, first = 0, flush_every = 10, sleep_ms = 0;
  bool resume = false, embedding = false, report_backlog = false, twin = false;
  tblog::WriterOptions options;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : "0";
    if (a == "--steps") steps = number(v), ++i;
    else if (a == "--first-step") first = number(v), ++i;
    else if (a == "--flush-every") flush_every = number(v), ++i;
    else if (a == "--sleep-ms") sleep_ms = number(v), ++i;
    else if (a == "--upload-interval-ms") options.upload_interval = std::chrono::milliseconds(number(v)), ++i;
    else if (a == "--close-timeout-ms") options.close_upload_timeout = std::chrono::milliseconds(number(v)), ++i;
    else if (a == "--spool") options.spool_dir = v, ++i;
    else if (a == "--resume") resume = true;
    else if (a == "--embedding") embedding = true;
    else if (a == "--report-backlog") report_backlog = true;
    else if (a == "--twin")
      twin = true;
    else {
      std::fprintf(stderr, "s3_test_writer: unknown option %s\n", a.c_str());
      return 2;
    }
  }
  try {
    if (resume) {
      if (auto last = tblog::last_step(logdir)) options.purge_step = *last + 1;
    }
    tblog::SummaryWriter writer(logdir, options);
    std::unique_ptr<tblog::SummaryWriter> second;
    if (twin) second = std::make_unique<tblog::SummaryWriter>(logdir, options);
    if (embedding) {
      tblog::Embedding e;
      e.rows = 2;
      e.dims = 2;
      e.values = {1, 2, 3, 4};
      writer.add_embedding("points", e, 0);
    }
    for (long step = first; step < first + steps; ++step) {
      writer.add_scalar("loss", static_cast<float>(1.0 / (1.0 + step)), step);
      writer.add_scalar("accuracy", static_cast<float>(step / (step + 10.0)), step);
      if (second)
        second->add_scalar("loss", static_cast<float>(1.0 / (1.0 + step + steps)), step + steps);
      if (step % 10 == 0) {
        std::vector<float> values;
        for (int k = 0; k < 100; ++k) values.push_back(static_cast<float>((k - 50) * 0.01 * (1 + step % 7)));
        writer.add_histogram("weights", values, step);
      }
      if (step == 0) {
        writer.add_text("note", "written by s3_test_writer", step);
        tblog::Image grid{4, 4, 3, std::vector<std::uint8_t>(4 * 4 * 3)};
        for (std::size_t k = 0; k < grid.pixels.size(); ++k)
          grid.pixels[k] = static_cast<std::uint8_t>(k * 5);
        writer.add_image("grid", grid, step);
      }
      if (flush_every > 0 && (step - first + 1) % flush_every == 0) {
        writer.flush();
        if (second) second->flush();
        std::printf("flushed %ld\n", step);
        if (report_backlog) {
          const tblog::UploadBacklog b = writer.upload_backlog();
          std::printf("backlog %zu %llu %lld %s\n", b.segments,
                      static_cast<unsigned long long>(b.bytes),
                      static_cast<long long>(b.failing_for.count()),
                      b.last_error.empty() ? "-" : b.last_error.c_str());
        }
        std::fflush(stdout);
      }
      if (sleep_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms));
    }
    std::printf("closing\n");
    std::fflush(stdout);
    if (second) second->close();
    writer.close();
    std::printf("closed\n");
    return 0;
  } catch (const tblog::RemoteError& e) {
    std::fprintf(stderr, "s3_test_writer: RemoteError: %s\n", e.what());
    return 3;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "s3_test_writer: %s\n", e.what());
    return 4;
  }
}
