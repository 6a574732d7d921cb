#include "tblog/summary_writer.hpp"

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <functional>

#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "event_file.hpp"
#include "tblog/error.hpp"
#include "tblog/reader.hpp"
#include "tblog/sink.hpp"
#include "tblog/value_views.hpp"
#include "test_util.hpp"
#include "wall_clock.hpp"

namespace tblog {
namespace {

std::vector<Event> events_of(const SummaryWriter& w) {
  return read_events(w.path());
}

const SummaryValue* find_value(const std::vector<Event>& events, const std::string& tag,
                               std::int64_t* step = nullptr) {
  for (const auto& e : events) {
    for (const auto& v : e.values) {
      if (v.tag == tag) {
        if (step) *step = e.step;
        return &v;
      }
    }
  }
  return nullptr;
}

TEST(SummaryWriter, FirstRecordIsFileVersionAndNameFollowsConvention) {
  test::TempDir dir;
  SummaryWriter w(dir / "run", WriterOptions{".train"});
  w.close();
  const std::string name = std::filesystem::path(w.path()).filename().string();
  EXPECT_EQ(name.rfind("events.out.tfevents.", 0), 0u) << name;
  EXPECT_EQ(name.substr(name.size() - 6), ".train");
  const auto events = events_of(w);
  ASSERT_GE(events.size(), 1u);
  EXPECT_EQ(events[0].file_version, "brain.Event:2");
  EXPECT_GT(events[0].wall_time, 1.6e9);
}

TEST(SummaryWriter, FileNamesFromTheSameSecondNeitherCollideNorMisorder) {
  EXPECT_LT(detail::event_file_name(5, "h", 1, 9, ""), detail::event_file_name(5, "h", 1, 10, ""));
  EXPECT_LT(detail::event_file_name(999999999, "h", 1, 0, ""),
            detail::event_file_name(1000000000, "h", 1, 0, ""));
  // The s3:// sink reads the seconds back to name its objects after every one already there.
  EXPECT_EQ(detail::event_file_name_seconds(detail::event_file_name(1234567890, "h", 7, 3, ".x")),
            1234567890);
  EXPECT_EQ(detail::event_file_name_seconds("events.out.tfevents.0000000042.h.1.00000001"), 42);
  EXPECT_EQ(detail::event_file_name_seconds("events.out.tfevents.123.h"), -1);  // not 10 digits
  EXPECT_EQ(detail::event_file_name_seconds("events.out.tfevents.12345678x0.h"), -1);
  EXPECT_EQ(detail::event_file_name_seconds("events.out.tfevents.1234567890"), -1);  // no '.'
  EXPECT_EQ(detail::event_file_name_seconds("notes.out.tfevents.1234567890.h"), -1);
  test::TempDir dir;
  std::set<std::string> paths;
  std::vector<std::string> in_order;
  for (int i = 0; i < 20; ++i) {
    SummaryWriter w(dir.path());
    paths.insert(w.path());
    in_order.push_back(w.path());
  }
  EXPECT_EQ(paths.size(), 20u);
  EXPECT_TRUE(std::is_sorted(in_order.begin(), in_order.end()));
}

TEST(SummaryWriter, RoundTripsEveryKind) {
  test::TempDir dir;
  SummaryWriter w(dir.path());
  const std::int64_t big_step = (1LL << 40) + 3;  // steps are 64-bit
  w.add_scalar("loss", 0.25, big_step, 1700000000.123456);
  std::vector<float> values = {1.f, 2.f, 2.5f, 100.f};
  w.add_histogram("weights", values, 7);
  w.add_histogram("edges", values, 8, {{0.0, 10.0, 200.0}});
  Image img{2, 3, 3, std::vector<std::uint8_t>(18, 200)};
  w.add_image("picture", img, 9);
  w.add_text("notes", "**bold** | a |\n|---|", 10);
  w.add_hparams_session_start({{"lr", 0.01}, {"opt", std::string("adam")}, {"aug", true}});
  w.add_hparams_session_end(SessionStatus::kSuccess);
  w.add_custom_scalar_layout({{"losses", {{"all", {"loss.*"}, {}}}, false}});
  w.close();

  const auto events = events_of(w);
  std::int64_t step = -1;
  const auto* loss = find_value(events, "loss", &step);
  ASSERT_TRUE(loss);
  EXPECT_EQ(loss->kind, ValueKind::kScalar);
  EXPECT_EQ(loss->scalar(), 0.25);
  EXPECT_EQ(step, big_step);
  EXPECT_DOUBLE_EQ(events[1].wall_time, 1700000000.123456);  // microseconds survive

  const auto* hist = find_value(events, "weights", &step);
  ASSERT_TRUE(hist);
  EXPECT_EQ(hist->kind, ValueKind::kHistogram);
  EXPECT_EQ(hist->plugin, "histograms");
  EXPECT_EQ(step, 7);
  EXPECT_EQ(histogram_buckets((*hist)).front().left, 1.0);
  EXPECT_EQ(histogram_buckets((*hist)).back().right, 100.0);
  double n = 0;
  for (auto& b : histogram_buckets((*hist))) n += b.count;
  EXPECT_EQ(n, 4.0);
  const auto* edges = find_value(events, "edges");
  ASSERT_TRUE(edges);
  ASSERT_EQ(histogram_buckets((*edges)).size(), 2u);
  EXPECT_EQ(histogram_buckets((*edges))[0].count, 3.0);
  EXPECT_EQ(histogram_buckets((*edges))[1].count, 1.0);

  const auto* picture = find_value(events, "picture");
  ASSERT_TRUE(picture);
  EXPECT_EQ(picture->kind, ValueKind::kImage);
  EXPECT_EQ(images_of((*picture)).width, 3);
  EXPECT_EQ(images_of((*picture)).height, 2);
  ASSERT_EQ(images_of((*picture)).encoded.size(), 1u);
  EXPECT_EQ(images_of((*picture)).encoded[0], encode_png(img));

  const auto* text = find_value(events, "notes");
  ASSERT_TRUE(text);
  EXPECT_EQ(text->kind, ValueKind::kText);
  EXPECT_EQ(text_of((*text)), "**bold** | a |\n|---|");

  const auto* start = find_value(events, "_hparams_/session_start_info");
  ASSERT_TRUE(start);
  EXPECT_EQ(start->kind, ValueKind::kHParams);
  EXPECT_NE(start->plugin_content.find("adam"), std::string::npos);
  ASSERT_TRUE(find_value(events, "_hparams_/session_end_info"));
  const auto* layout = find_value(events, "custom_scalars__config__");
  ASSERT_TRUE(layout);
  EXPECT_EQ(layout->kind, ValueKind::kCustomScalars);
  EXPECT_NE(text_of((*layout)).find("loss.*"), std::string::npos);
}

// add_scalar without a wall time stamps ticks, turned into wall times on the writer thread
// (wall_clock.hpp): each must still read what the system clock read around the call.
TEST(SummaryWriter, DefaultScalarWallTimesAreTheClockAtTheCall) {
  test::TempDir dir;
  SummaryWriter w(dir / "run");
  std::vector<std::pair<double, double>> around;
  for (int i = 0; i < 6; ++i) {
    const double before = detail::now_seconds();
    w.add_scalar("t", i, i);
    around.emplace_back(before, detail::now_seconds());
    std::this_thread::sleep_for(std::chrono::milliseconds(i == 2 ? 1100 : 15));  // 2 batches
    if (i == 3) w.flush();
  }
  w.close();
  std::vector<double> stamped;
  for (const auto& e : events_of(w)) {
    if (find_value({e}, "t")) stamped.push_back(e.wall_time);
  }
  ASSERT_EQ(stamped.size(), around.size());
  for (std::size_t i = 0; i < around.size(); ++i) {
    // now_seconds() truncates to microseconds; allow for that and the tick-to-clock skew.
    EXPECT_GE(stamped[i], around[i].first - 2e-6) << i;
    EXPECT_LE(stamped[i], around[i].second + 2e-6) << i;
    if (i > 0) {
      EXPECT_GT(stamped[i], stamped[i - 1] + 0.01) << i;  // 15 ms apart, not lumped together
    }
  }
}

// With the queue full, add_histogram buckets on the calling thread instead of queueing a copy:
// a one-byte bound makes nearly every call take that path. Both paths must store the same
// buckets, for the default layout and for given edges, in the order of the calls.
TEST(SummaryWriter, HistogramsBucketedOnTheCallerWhenTheQueueIsFullAreTheSame) {
  std::vector<float> values(5000);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = std::sin(0.37f * i) * (i % 7);
  const BucketEdges edges{-3.0, -1.0, 0.0, 0.5, 4.0};
  const Histogram by_default = make_histogram(values.data(), values.size());
  const Histogram by_edges = make_histogram(values.data(), values.size(), edges);
  test::TempDir dir;
  WriterOptions options;
  options.max_queue_bytes = 1;
  SummaryWriter w(dir / "run", options);
  for (int i = 0; i < 40; ++i) {
    w.add_histogram("default", values, i);
    w.add_histogram("edges", values, i, {edges});
  }
  w.close();
  std::map<std::string, std::vector<std::int64_t>> steps;
  for (const auto& e : events_of(w)) {
    for (const auto& v : e.values) {
      const Histogram& expected = v.tag == "default" ? by_default : by_edges;
      ASSERT_EQ(histogram_buckets(v).size(), expected.buckets.size())
          << v.tag << " step " << e.step;
      for (std::size_t b = 0; b < expected.buckets.size(); ++b) {
        EXPECT_EQ(histogram_buckets(v)[b].left, expected.buckets[b].left);
        EXPECT_EQ(histogram_buckets(v)[b].count, expected.buckets[b].count);
      }
      steps[v.tag].push_back(e.step);
    }
  }
  for (const auto& tag : {"default", "edges"}) {
    ASSERT_EQ(steps[tag].size(), 40u) << tag;
    for (int i = 0; i < 40; ++i) EXPECT_EQ(steps[tag][i], i) << tag;
  }
}

TEST(SummaryWriter, ImagesEncodedOnTheCallerWhenTheQueueIsFullAreTheSame) {
  std::vector<Image> images;
  for (int i = 0; i < 3; ++i) {
    Image image{5 + i, 4, 3, std::vector<std::uint8_t>(std::size_t(5 + i) * 4 * 3)};
    for (std::size_t p = 0; p < image.pixels.size(); ++p)
      image.pixels[p] = static_cast<std::uint8_t>(p * 37 + i * 11);
    images.push_back(std::move(image));
  }
  test::TempDir dir;
  WriterOptions options;
  options.max_queue_bytes = 1;  // every add_image finds the queue full
  SummaryWriter w(dir / "run", options);
  for (int i = 0; i < 30; ++i) w.add_image("picture", images[i % 3], i);
  w.close();
  std::vector<std::int64_t> steps;
  for (const auto& e : events_of(w)) {
    for (const auto& v : e.values) {
      const Image& expected = images[e.step % 3];
      ASSERT_EQ(images_of(v).encoded.size(), 1u);
      EXPECT_EQ(images_of(v).width, expected.width);
      EXPECT_EQ(images_of(v).height, expected.height);
      EXPECT_EQ(images_of(v).encoded[0], encode_png(expected)) << "step " << e.step;
      steps.push_back(e.step);
    }
  }
  ASSERT_EQ(steps.size(), 30u);
  for (int i = 0; i < 30; ++i) EXPECT_EQ(steps[i], i);
}

// An idle writer sleeps whatever its bound: with a bound under 4 bytes its writer thread used to
// take an empty queue as work and spin, holding the queue lock (a caller then waited ~80 ms per
// histogram). Process CPU time over an idle spell, while this thread sleeps, is the writer's.
TEST(SummaryWriter, AnIdleWriterWithATinyQueueBoundSleeps) {
  test::TempDir dir;
  WriterOptions options;
  options.max_queue_bytes = 1;
  SummaryWriter w(dir / "run", options);
  w.add_scalar("loss", 1.0, 1);
  w.flush();
  auto cpu_seconds = [] {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
           1e-6 * (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
  };
  const double before = cpu_seconds();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_LT(cpu_seconds() - before, 0.05);  // a spinning thread takes ~0.3 s, or its share
  w.close();
}

TEST(WallClock, TicksBetweenAnchorsInterpolateAndOutsideThemClamp) {
  const detail::ClockAnchor from{1000, 100.0}, to{3000, 102.0};
  EXPECT_DOUBLE_EQ(detail::wall_time_at(from, to, 2000), 101.0);
  EXPECT_DOUBLE_EQ(detail::wall_time_at(from, to, 1500), 100.5);
  EXPECT_DOUBLE_EQ(detail::wall_time_at(from, to, 10), 100.0);    // read before `from`
  EXPECT_DOUBLE_EQ(detail::wall_time_at(from, to, 9000), 102.0);  // another core's counter
  EXPECT_DOUBLE_EQ(detail::wall_time_at(from, from, 1000), 100.0);
}

TEST(SummaryWriter, PluginMetadataOnlyOnTheFirstValueOfEachTag) {
  test::TempDir dir;
  SummaryWriter w(dir.path());
  std::vector<float> values = {1.f, 2.f};
  for (int i = 0; i < 3; ++i) w.add_histogram("h", values, i);
  w.close();
  int with_metadata = 0, total = 0;
  for (const auto& e : events_of(w)) {
    for (const auto& v : e.values) {
      ++total;
      EXPECT_EQ(v.kind, ValueKind::kHistogram);  // the reader carries the plugin forward
      with_metadata += v.has_metadata ? 1 : 0;
    }
  }
  EXPECT_EQ(total, 3);
  EXPECT_EQ(with_metadata, 1);
}

TEST(SummaryWriter, EightThreadsLoseAndTearNothing) {
  test::TempDir dir;
  WriterOptions opt;
  opt.max_queue_bytes = 64 << 10;  // small, so back-pressure is exercised too
  SummaryWriter w(dir.path(), opt);
  constexpr int kThreads = 8, kPerThread = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string tag = "thread" + std::to_string(t);
      for (int i = 0; i < kPerThread; ++i) {
        w.add_scalar(tag, t * 1000000 + i, i);
        if (i % 5000 == 0) {
          std::vector<float> v(100, static_cast<float>(i));
          w.add_histogram(tag + "/hist", v, i);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  w.close();
  std::map<std::string, std::vector<std::int64_t>> steps;
  for (const auto& e : events_of(w)) {
    for (const auto& v : e.values) {
      if (v.kind != ValueKind::kScalar) continue;
      steps[v.tag].push_back(e.step);
      EXPECT_EQ(v.scalar(), std::stoi(v.tag.substr(6)) * 1000000 + e.step);
    }
  }
  ASSERT_EQ(steps.size(), size_t(kThreads));
  for (auto& [tag, s] : steps) {
    ASSERT_EQ(s.size(), size_t(kPerThread)) << tag;
    EXPECT_TRUE(std::is_sorted(s.begin(), s.end())) << tag;  // per-thread order is kept
  }
}

TEST(SummaryWriter, FlushMakesDataVisibleWithoutClosing) {
  test::TempDir dir;
  WriterOptions opt;
  opt.flush_interval = std::chrono::hours(1);
  SummaryWriter w(dir.path(), opt);
  w.add_scalar("a", 1, 1);
  w.flush();
  EXPECT_EQ(events_of(w).size(), 2u);
  w.add_scalar("a", 2, 2);
  w.flush();
  EXPECT_EQ(events_of(w).size(), 3u);
}

TEST(SummaryWriter, ALocalLogdirHasNoUploadBacklog) {
  test::TempDir dir;
  SummaryWriter w(dir.path());
  w.add_scalar("a", 1, 1);
  w.flush();
  const UploadBacklog backlog = w.upload_backlog();
  EXPECT_EQ(backlog.segments, 0u);
  EXPECT_EQ(backlog.bytes, 0u);
  EXPECT_EQ(backlog.last_error, "");
  EXPECT_EQ(backlog.failing_for.count(), 0);
  w.close();
  EXPECT_EQ(w.upload_backlog().segments, 0u);  // still answers after close
}

TEST(SummaryWriter, PeriodicFlushWritesWithoutAnyCall) {
  test::TempDir dir;
  WriterOptions opt;
  opt.flush_interval = std::chrono::milliseconds(20);
  SummaryWriter w(dir.path(), opt);
  w.add_scalar("a", 1, 1);
  for (int i = 0; i < 200 && events_of(w).size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(events_of(w).size(), 2u);
}

TEST(SummaryWriter, BadInputThrowsAClearErrorAndKeepsWorking) {
  test::TempDir dir;
  SummaryWriter w(dir.path());
  EXPECT_THROW(w.add_scalar("", 1, 1), InvalidArgument);
  std::vector<float> none;
  EXPECT_THROW(w.add_histogram("h", none, 1), InvalidArgument);
  EXPECT_THROW(w.add_histogram("h", std::vector<float>{1.f}, 1, {{1.0}}), InvalidArgument);
  EXPECT_THROW(w.add_image("img", Image{0, 0, 3, {}}, 1), InvalidArgument);
  EXPECT_THROW(w.add_image("img", Image{2, 2, 3, std::vector<std::uint8_t>(5)}, 1),
               InvalidArgument);
  EXPECT_THROW(w.add_scalar("a", 1, 1, NAN), InvalidArgument);
  try {
    w.add_image("my/image", Image{2, 2, 7, std::vector<std::uint8_t>(28)}, 1);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("my/image"), std::string::npos);
  }
  w.add_scalar("ok", 1, 1);
  w.close();
  EXPECT_EQ(events_of(w).size(), 2u);
  EXPECT_THROW(w.add_scalar("late", 1, 1), Error);
}

TEST(SummaryWriter, LogdirThatCannotBeCreatedIsNamed) {
  test::TempDir dir;
  test::write_file(dir / "file", "x");
  try {
    SummaryWriter w(dir / "file/sub");
    FAIL();
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find(dir / "file/sub"), std::string::npos);
  }
}

TEST(SummaryWriter, NanAndInfScalarsAreWrittenAsGiven) {
  test::TempDir dir;
  SummaryWriter w(dir.path());
  w.add_scalar("nan", NAN, 1);
  w.add_scalar("inf", INFINITY, 1);
  w.close();
  const auto events = events_of(w);
  EXPECT_TRUE(std::isnan(find_value(events, "nan")->scalar()));
  EXPECT_TRUE(std::isinf(find_value(events, "inf")->scalar()));
}

TEST(SummaryWriter, ResumeWritesASessionStartAtThePurgeStep) {
  test::TempDir dir;
  {
    SummaryWriter w(dir.path());
    for (int i = 0; i < 10; ++i) w.add_scalar("x", i, i);
  }
  const auto last = last_step(dir.path());
  ASSERT_TRUE(last);
  EXPECT_EQ(*last, 9);
  WriterOptions opt;
  opt.purge_step = 5;
  SummaryWriter resumed(dir.path(), opt);
  resumed.close();
  const auto events = events_of(resumed);
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events[1].session_log_status, 1);
  EXPECT_EQ(events[1].step, 5);
  EXPECT_EQ(find_runs(dir.path()).at(0).event_files.size(), 2u);
}

// Runs `body` in a child process whose files may not grow past `max_file_bytes` (a full disk,
// as the writer sees it) and returns the child's exit code, or -1 if a signal ended it.
int exit_code_with_file_size_limit(rlim_t max_file_bytes, const std::function<int()>& body) {
  const pid_t child = fork();
  if (child < 0) return -1;
  if (child == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    rlimit limit{max_file_bytes, max_file_bytes};
    setrlimit(RLIMIT_FSIZE, &limit);
    int code = 99;
    try {
      code = body();
    } catch (...) {
      code = 98;
    }
    _exit(code);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Disk full, simulated with a file-size limit in a child process: the writer reports the error
// through flush()/error() instead of crashing or hanging, and what was written stays readable.
TEST(SummaryWriter, DiskFullIsReportedAndEarlierDataStaysReadable) {
  test::TempDir dir;
  const int code = exit_code_with_file_size_limit(16384, [&] {
    SummaryWriter w(dir.path());
    for (int i = 0; i < 100; ++i) w.add_scalar("early", i, i);
    w.flush();
    for (int i = 0; i < 5000; ++i) w.add_scalar("late", i, i);
    int result = 0;
    try {
      w.flush();
      result = 2;  // the limit was not hit: the test proves nothing
    } catch (const IoError& e) {
      result = std::string(e.what()).find("tfevents") != std::string::npos ? 0 : 3;
    }
    if (w.error().empty()) result = 4;
    for (int i = 0; i < 1000; ++i) w.add_scalar("after", i, i);  // must not hang or crash
    return result;
  });
  ASSERT_EQ(code, 0);
  const auto runs = find_runs(dir.path());
  ASSERT_EQ(runs.size(), 1u);
  bool torn = true;
  const auto events = read_events(runs[0].event_files[0], &torn);
  EXPECT_FALSE(torn);  // cut back to a record boundary
  EXPECT_GE(events.size(), 101u);
}

// A writer that cannot even write its file's first record (disk already full) throws and leaves
// no empty event file behind for TensorBoard to list as a run.
TEST(SummaryWriter, FailingToStartLeavesNoEventFile) {
  test::TempDir dir;
  const int code = exit_code_with_file_size_limit(8, [&] {  // < the 40-byte first record
    try {
      SummaryWriter w(dir / "run");
    } catch (const IoError& e) {
      return std::string(e.what()).find("tfevents") != std::string::npos ? 0 : 3;
    }
    return 1;
  });
  ASSERT_EQ(code, 0);
  EXPECT_TRUE(find_runs(dir.path()).empty()) << "an event file was left behind";
}

// A sink of the caller's own (tblog/sink.hpp): it receives the file's head, then the events, as
// whole records from the writer's thread; flush and close reach it; its failure is the writer's.
// What a MemorySink received; it outlives the sink, which its writer owns and destroys.
struct Received {
  std::string bytes;
  int flushes = 0, finishes = 0;
};

class MemorySink final : public Sink {
 public:
  explicit MemorySink(std::shared_ptr<Received> received, bool fail_writes = false)
      : received_(std::move(received)), fail_writes_(fail_writes) {}
  std::string write(std::string_view records) override {
    if (fail_writes_) return "memory sink: full";
    received_->bytes.append(records);
    return {};
  }
  std::string sync() override { return {}; }
  std::string flushed() override {
    ++received_->flushes;
    return {};
  }
  std::string finish() override {
    ++received_->finishes;
    return {};
  }
  const std::string& path() const override { return path_; }

 private:
  std::shared_ptr<Received> received_;
  bool fail_writes_;
  std::string path_ = "memory sink";
};

TEST(SummaryWriter, WritesToASinkOfItsOwn) {
  auto received = std::make_shared<Received>();
  WriterOptions options;
  options.purge_step = 5;
  {
    SummaryWriter w(std::make_unique<MemorySink>(received), options);
    EXPECT_EQ(w.path(), "memory sink");
    EXPECT_TRUE(w.logdir().empty());
    w.add_scalar("loss", 0.5, 5);
    w.add_text("note", "hi", 5);
    w.flush();
    EXPECT_EQ(received->flushes, 1);
    Embedding e;
    e.rows = 1;
    e.dims = 2;
    e.values = {1, 2};
    EXPECT_THROW(w.add_embedding("points", e, 0), InvalidArgument);
    w.close();
    EXPECT_EQ(received->finishes, 1);
  }
  std::vector<Event> events;
  for_each_event(memory_source(received->bytes, "memory sink"), OnCorruption::kStop,
                 [&](const Event& e) { events.push_back(e); });
  ASSERT_EQ(events.size(), 4u);
  EXPECT_FALSE(events[0].file_version.empty());
  EXPECT_EQ(events[1].session_log_status, 1);  // purge_step's START
  EXPECT_EQ(events[2].values.at(0).scalar(), 0.5);
  EXPECT_EQ(text_of(events[3].values.at(0)), "hi");

  EXPECT_THROW(SummaryWriter(std::unique_ptr<Sink>{}), InvalidArgument);
  // Its head could not be written.
  EXPECT_THROW(SummaryWriter(std::make_unique<MemorySink>(received, true)), IoError);
}

}  // namespace
}  // namespace tblog
