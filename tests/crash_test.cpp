// A child process logs continuously and is killed with SIGKILL at random moments. Everything it
// flushed before the kill must read back intact; nothing damaged may be accepted.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <random>
#include <thread>

#include "tblog/reader.hpp"
#include "tblog/summary_writer.hpp"
#include "tblog/value_views.hpp"
#include "test_util.hpp"

namespace tblog {
namespace {

// The child reports each flushed step through a pipe, so the parent knows what must survive.
[[noreturn]] void child_main(const std::string& logdir, int report_fd) {
  WriterOptions opt;
  opt.flush_interval = std::chrono::milliseconds(1);
  SummaryWriter w(logdir, opt);
  std::vector<float> values(2000);
  for (std::int64_t step = 0;; ++step) {
    w.add_scalar("loss", 1.0 / (step + 1), step);
    if (step % 50 == 0) {
      for (std::size_t i = 0; i < values.size(); ++i) values[i] = float(i % 97) * step;
      w.add_histogram("weights", values, step);
      w.add_image("img", Image{8, 8, 3, std::vector<std::uint8_t>(192, std::uint8_t(step))}, step);
    }
    if (step % 100 == 0) {
      w.flush();
      if (write(report_fd, &step, sizeof step) != sizeof step) _exit(3);
    }
  }
}

TEST(CrashSafety, SigkillAtRandomMomentsLosesOnlyUnflushedData) {
  std::mt19937 rng(std::random_device{}());
  int torn_tails = 0;
  for (int round = 0; round < 40; ++round) {
    test::TempDir dir;
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(fds[0]);
      child_main(dir.path(), fds[1]);
    }
    close(fds[1]);
    std::this_thread::sleep_for(std::chrono::microseconds(2000 + rng() % 60000));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status));
    std::int64_t flushed = -1, step;
    while (read(fds[0], &step, sizeof step) == sizeof step) flushed = step;
    close(fds[0]);

    const auto runs = find_runs(dir.path());
    if (runs.empty()) {
      EXPECT_EQ(flushed, -1);  // killed before the file existed
      continue;
    }
    EventFileReader reader(runs[0].event_files[0]);
    Event e;
    std::int64_t last_loss_step = -1;
    ReadStatus s;
    while ((s = reader.next(e)) == ReadStatus::kEvent) {
      for (const auto& v : e.values) {
        if (v.tag == "loss") {
          EXPECT_EQ(e.step, last_loss_step + 1);  // no gaps: a prefix of what was logged
          EXPECT_FLOAT_EQ(v.scalar(), 1.0 / (e.step + 1));
          last_loss_step = e.step;
        }
        if (v.tag == "img") {
          ASSERT_EQ(images_of(v).encoded.size(), 1u);
        }
      }
    }
    EXPECT_NE(s, ReadStatus::kCorrupt) << reader.error();
    if (s == ReadStatus::kTornTail) ++torn_tails;
    EXPECT_GE(last_loss_step, flushed) << "round " << round;
  }
  // Not asserted (timing-dependent), but shown: how often the kill hit mid-record.
  std::printf("torn tails seen: %d of 40 rounds\n", torn_tails);
}

}  // namespace
}  // namespace tblog
