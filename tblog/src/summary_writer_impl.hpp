// SummaryWriter's state: the bounded queue between callers and the writer thread, and the writer
// thread itself. Internal to tblog; the add_* functions live in summary_writer*.cpp.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_set>

#include "event_encoding.hpp"
#include "event_file.hpp"
#include "pending_batch.hpp"
#include "record_framing.hpp"
#include "spin_lock.hpp"
#include "tblog/error.hpp"
#include "tblog/histogram.hpp"
#include "tblog/record.hpp"
#include "tblog/summary_writer.hpp"
#include "wall_clock.hpp"

namespace tblog {
namespace detail {

// Wake the writer thread early once this much is pending, so big batches are encoded while the
// caller goes on; below it, the periodic flush picks things up.
inline constexpr std::size_t kWakeupBytes = 256u << 10;
// Hand encoded records to the OS in chunks of about this size.
inline constexpr std::size_t kWriteChunkBytes = 1u << 20;

inline void check_tag(std::string_view tag, const char* call) {
  if (tag.empty()) throw InvalidArgument(std::string(call) + ": tag is empty");
}

inline double resolve_wall_time(std::optional<double> wall_time, const char* call) {
  if (!wall_time) return now_seconds();
  // TensorBoard's data server marks a whole file dead on a NaN wall time.
  if (!std::isfinite(*wall_time)) {
    throw InvalidArgument(std::string(call) + ": wall_time must be finite");
  }
  return *wall_time;
}

}  // namespace detail

using detail::check_tag;
using detail::now_seconds;
using detail::resolve_wall_time;

class SummaryWriter::Impl {
  using QueueLock = detail::SpinLock;

 public:
  Impl(const std::string& logdir, WriterOptions options)
      : logdir_(logdir), options_(std::move(options)), file_(logdir, options_.filename_suffix) {
    std::string head;
    const double now = now_seconds();
    append_record(head, detail::file_version_event(now));
    if (options_.purge_step)
      append_record(head, detail::session_start_event(*options_.purge_step, now));
    if (std::string err = file_.write(head); !err.empty()) {
      file_.remove();  // an empty file would show up in TensorBoard as a run with no data
      throw IoError(err);
    }
    // A scalar entry is ~30 bytes, so the queue stops at most one entry past its bound; the
    // output chunk is written once it passes kWriteChunkBytes.
    const std::size_t batch_room = std::min<std::size_t>(options_.max_queue_bytes, 64u << 20);
    pending_.reserve(batch_room + kRoomPastBound);
    draining_.reserve(batch_room + kRoomPastBound);
    out_.reserve(detail::kWriteChunkBytes + kRoomPastBound);
    thread_ = std::thread([this] { run(); });
  }

  ~Impl() { shutdown(); }

  // Blocks while the queue holds `limit` bytes or more (its bound; twice it for
  // add_finished_on_caller); throws once closed. Called with the lock held.
  void wait_for_space(std::unique_lock<QueueLock>& lock, const char* call, std::size_t limit) {
    while (pending_.bytes() >= limit && !closed_) {
      wake_writer();
      if (spin_until_next_batch(lock)) continue;
      ++producers_waiting_;
      space_available_.wait(lock);
      --producers_waiting_;
    }
    if (closed_)
      throw Error(std::string(call) + ": the SummaryWriter for '" + logdir_ + "' is closed");
  }

  // Under a steady stream the writer thread takes a batch every few hundred microseconds, and
  // putting a thread to sleep and waking it costs about as much on a virtual machine (an idle
  // vCPU is halted). So a producer facing a full queue first waits a little on its core for the
  // next batch swap. True if a swap happened; the lock is held again on return either way.
  bool spin_until_next_batch(std::unique_lock<QueueLock>& lock) {
    const std::uint64_t seen = batches_taken_.load(std::memory_order_relaxed);
    lock.unlock();
    bool swapped = false;
    for (int i = 0; i < kSpinsForNextBatch && !swapped; ++i) {
      std::this_thread::yield();
      swapped = batches_taken_.load(std::memory_order_relaxed) != seen;
    }
    lock.lock();
    return swapped;
  }

  void after_push() {
    if (writer_sleeping_ && pending_.bytes() >= wakeup_bytes_) wake_writer();
  }

  // Once per sleep: every push after the one that crossed kWakeupBytes used to signal again
  // until the writer thread was back on a core (4% of add_scalar, perf). Called with the lock held.
  void wake_writer() {
    if (!writer_sleeping_) return;
    writer_sleeping_ = false;
    writer_wakeup_.notify_one();
  }

  void add_scalar(std::string_view tag, float value, std::int64_t step, double wall_time) {
    std::unique_lock<QueueLock> lock(queue_lock_);
    wait_for_space(lock, "add_scalar", options_.max_queue_bytes);
    pending_.add_scalar(tag, value, step, wall_time);
    after_push();
  }

  // Stamped "now" by the tick counter; the writer thread makes it a wall time (wall_clock.hpp).
  void add_scalar_now(std::string_view tag, float value, std::int64_t step) {
    const std::uint64_t ticks = detail::read_ticks();
    std::unique_lock<QueueLock> lock(queue_lock_);
    wait_for_space(lock, "add_scalar", options_.max_queue_bytes);
    pending_.add_scalar_at_ticks(tag, value, step, ticks);
    after_push();
  }

  void add_deferred(detail::DeferredSummary summary, std::size_t bytes, const char* call) {
    push_deferred(std::move(summary), bytes, call, options_.max_queue_bytes);
  }

  // A summary the caller finished itself because its input did not fit in the queue (a
  // histogram's buckets, a PNG): rather than wait, it may take the queue past its bound, up to
  // twice it, so that the caller and the writer thread both work while the queue is full
  // (bench/peer_cpp.sh).
  void add_finished_on_caller(detail::DeferredSummary summary, std::size_t bytes,
                              const char* call) {
    push_deferred(std::move(summary), bytes, call, 2 * options_.max_queue_bytes);
  }

  template <typename T>
  void add_histogram(std::string_view tag, const T* values, std::size_t n, std::int64_t step,
                     const HistogramOptions& options) {
    const BucketEdges& edges = options.edges;
    check_tag(tag, "add_histogram");
    if (n == 0 || values == nullptr) {
      throw InvalidArgument("add_histogram('" + std::string(tag) + "'): no values");
    }
    if (!edges.empty()) validate_bucket_edges(edges);  // reject bad edges now, not later
    const double wt = resolve_wall_time(options.wall_time, "add_histogram");
    if (!queue_has_room_for(n * sizeof(T))) {
      // A copy of the values would take the queue past its bound (the caller would wait for the
      // writer thread, or a histogram bigger than the bound would sit in it whole): the caller
      // buckets its own values instead.
      Histogram h = edges.empty() ? make_histogram(values, n) : make_histogram(values, n, edges);
      const std::size_t bytes = sizeof(Histogram) + h.buckets.size() * sizeof(HistogramBucket);
      auto encode = [h = std::move(h), step, wt](const std::string& stored_tag, bool first) {
        return detail::histogram_event(stored_tag, h, step, wt, first);
      };
      add_finished_on_caller({std::string(tag), std::move(encode)}, bytes, "add_histogram");
      return;
    }
    auto encode = [copy = std::vector<T>(values, values + n), edges, step, wt](
                      const std::string& stored_tag, bool first) {
      const Histogram h = edges.empty() ? make_histogram(copy.data(), copy.size())
                                        : make_histogram(copy.data(), copy.size(), edges);
      return detail::histogram_event(stored_tag, h, step, wt, first);
    };
    add_deferred({std::string(tag), std::move(encode)}, n * sizeof(T), "add_histogram");
  }

  // Whether `bytes` more fit under the queue's bound now (the writer may free room at any
  // moment). A closed writer says yes, so that the add_* call reports it.
  bool queue_has_room_for(std::size_t bytes) {
    std::lock_guard<QueueLock> lock(queue_lock_);
    return pending_.bytes() + bytes <= options_.max_queue_bytes || closed_;
  }

  // A summary whose payload is built on the caller's thread (rare ones: hparams, layouts).
  void add_prebuilt(const char* tag, std::string payload, const char* call) {
    const std::size_t bytes = payload.size();
    add_deferred({tag, [p = std::move(payload)](const std::string&, bool) { return p; }}, bytes,
                 call);
  }

  void flush() {
    std::unique_lock<QueueLock> lock(queue_lock_);
    const std::uint64_t ticket = ++flush_requested_;
    wake_writer();
    flushed_.wait(lock, [&] { return flush_done_ >= ticket || thread_exited_; });
    throw_pending_error();
  }

  void close() {
    shutdown();
    std::lock_guard<QueueLock> lock(queue_lock_);
    throw_pending_error();
  }

  std::string error() const {
    std::lock_guard<QueueLock> lock(queue_lock_);
    return error_;
  }

  // Merges `categories` into this writer's custom-scalar layout (same title: replaced) and
  // returns the whole layout to write, or nothing when it did not change.
  std::optional<Layout> merge_layout(const Layout& categories) {
    std::lock_guard<std::mutex> lock(layout_mutex_);
    bool changed = false;
    for (const auto& category : categories) {
      auto same = std::find_if(layout_.begin(), layout_.end(),
                               [&](const LayoutCategory& c) { return c.title == category.title; });
      if (same == layout_.end()) {
        layout_.push_back(category);
        changed = true;
      } else if (!same_category(*same, category)) {
        *same = category;
        changed = true;
      }
    }
    if (!changed) return std::nullopt;
    return layout_;
  }

  // True the first time `main_tag` is passed to add_scalars.
  bool first_scalar_group(std::string_view main_tag) {
    std::lock_guard<std::mutex> lock(layout_mutex_);
    return scalar_groups_.emplace(main_tag).second;
  }

  const std::string& path() const { return file_.path(); }
  const std::string& logdir() const { return logdir_; }

 private:
  static constexpr std::size_t kRoomPastBound = 4096;
  // About half a millisecond of yielding on this machine, then the producer sleeps.
  static constexpr int kSpinsForNextBatch = 2000;

  // Queues a summary once fewer than `limit` bytes are pending (see wait_for_space).
  void push_deferred(detail::DeferredSummary summary, std::size_t bytes, const char* call,
                     std::size_t limit) {
    std::unique_lock<QueueLock> lock(queue_lock_);
    wait_for_space(lock, call, limit);
    pending_.add_deferred(std::move(summary), bytes);
    after_push();
  }

  static bool same_chart(const LayoutChart& a, const LayoutChart& b) {
    return a.title == b.title && a.multiline_tags == b.multiline_tags &&
           std::equal(a.margin_series.begin(), a.margin_series.end(), b.margin_series.begin(),
                      b.margin_series.end(), [](const MarginSeries& x, const MarginSeries& y) {
                        return x.value == y.value && x.lower == y.lower && x.upper == y.upper;
                      });
  }
  static bool same_category(const LayoutCategory& a, const LayoutCategory& b) {
    return a.closed == b.closed && std::equal(a.charts.begin(), a.charts.end(), b.charts.begin(),
                                              b.charts.end(), same_chart);
  }

  // The writer thread's first error, typed by its cause. Called with queue_lock_ held.
  void throw_pending_error() const {
    if (error_.empty()) return;
    if (error_is_io_) throw IoError(error_);
    throw Error(error_);
  }

  void shutdown() {
    {
      std::lock_guard<QueueLock> lock(queue_lock_);
      closed_ = true;
      writer_wakeup_.notify_one();
      space_available_.notify_all();
    }
    std::lock_guard<std::mutex> join_lock(join_mutex_);
    if (thread_.joinable()) thread_.join();
  }

  void run() {
    std::unique_lock<QueueLock> lock(queue_lock_);
    bool streaming = false;
    for (;;) {
      // While callers stream (the last batch was a big one) go straight on with whatever they
      // added meanwhile: sleeping and being woken again costs more than a batch takes.
      if (!(streaming && !pending_.empty())) {
        const auto deadline = std::chrono::steady_clock::now() + options_.flush_interval;
        writer_sleeping_ = true;
        writer_wakeup_.wait_until(lock, deadline, [&] {
          return closed_ || flush_requested_ > flush_done_ || producers_waiting_ > 0 ||
                 pending_.bytes() >= wakeup_bytes_;
        });
        writer_sleeping_ = false;
      }
      const bool stopping = closed_;
      const std::uint64_t serving = flush_requested_;
      std::swap(pending_, draining_);
      batches_taken_.fetch_add(1, std::memory_order_relaxed);
      streaming = draining_.bytes() >= wakeup_bytes_;
      // Every entry of draining_ was added between these two anchors.
      batch_start_ = batch_end_;
      batch_end_ = detail::take_clock_anchor();
      if (producers_waiting_) space_available_.notify_all();
      const bool failed = !error_.empty();
      lock.unlock();

      Failure err;
      if (!failed) err = write_batch();
      if (err.what.empty() && !failed && options_.fsync_on_flush && serving > flush_done_) {
        err = {file_.sync(), true};
      }
      draining_.clear();

      lock.lock();
      if (!err.what.empty() && error_.empty()) {
        error_ = err.what;
        error_is_io_ = err.io;
      }
      flush_done_ = serving;
      flushed_.notify_all();
      if (stopping) break;
    }
    if (options_.fsync_on_flush && error_.empty()) {
      if (std::string err = file_.sync(); !err.empty()) {
        error_ = err;
        error_is_io_ = true;
      }
    }
    thread_exited_ = true;
    flushed_.notify_all();
  }

  // What went wrong on the writer thread: a message ("" for nothing) and whether the file
  // system caused it (IoError) or encoding did (Error).
  struct Failure {
    std::string what;
    bool io = false;
  };

  // Encodes and writes draining_.
  Failure write_batch() {
    Failure err;
    out_.clear();
    auto write_out = [&] {
      if (err.what.empty() && out_.size() > 0)
        err = {file_.write(std::string_view(out_.data(), out_.size())), true};
      out_.clear();
    };
    draining_.for_each(
        [&](const detail::ScalarEntry& e) {
          // Encoded straight into the output and framed there: no intermediate payload string
          // and no zero-filled growth (both were 10% of writing 1M scalars, perf).
          const double wall_time =
              e.at_ticks ? detail::wall_time_at(batch_start_, batch_end_, e.ticks) : e.wall_time;
          const std::size_t n = detail::scalar_event_size(e.tag, e.step, wall_time);
          char* record = out_.grow(kRecordOverhead + n);
          detail::put_scalar_event(record + kRecordHeaderSize, e.tag, e.value, e.step, wall_time);
          detail::frame_record_in_place(record, n);
          if (out_.size() >= detail::kWriteChunkBytes) write_out();
        },
        [&](detail::DeferredSummary& summary) {
          if (!err.what.empty()) return;
          const bool first = tags_with_metadata_.insert(summary.tag).second;
          try {
            // Empty: the summary wrote files of its own (embeddings) and has no record.
            if (std::string payload = summary.encode(summary.tag, first); !payload.empty()) {
              char* record = out_.grow(kRecordOverhead + payload.size());
              std::copy(payload.begin(), payload.end(), record + kRecordHeaderSize);
              detail::frame_record_in_place(record, payload.size());
            }
          } catch (const IoError& e) {
            err = {e.what(), true};
          } catch (const std::exception& e) {
            err = {"encoding '" + summary.tag + "' failed: " + e.what(), false};
          }
          if (out_.size() >= detail::kWriteChunkBytes) write_out();
        });
    write_out();
    return err;
  }

  const std::string logdir_;
  const WriterOptions options_;
  // At least one byte: with a bound under 4 bytes a zero here made an empty queue worth waking
  // for, and the writer thread spun on it, holding the queue lock nearly all the time.
  const std::size_t wakeup_bytes_ =
      std::max<std::size_t>(1, std::min(detail::kWakeupBytes, options_.max_queue_bytes / 4));
  detail::EventFile file_;

  mutable QueueLock queue_lock_;
  std::mutex join_mutex_;
  std::condition_variable_any writer_wakeup_, space_available_, flushed_;
  detail::PendingBatch pending_;  // guarded by queue_lock_
  bool writer_sleeping_ = false;
  std::atomic<std::uint64_t> batches_taken_{0};  // read unlocked by spin_until_next_batch
  int producers_waiting_ = 0;
  bool closed_ = false;
  bool thread_exited_ = false;
  std::uint64_t flush_requested_ = 0;
  std::uint64_t flush_done_ = 0;
  std::string error_;
  bool error_is_io_ = false;

  std::mutex layout_mutex_;
  Layout layout_;                                     // guarded by layout_mutex_
  std::set<std::string, std::less<>> scalar_groups_;  // guarded by layout_mutex_

  // Writer thread only.
  detail::PendingBatch draining_;
  detail::ByteArena out_;  // encoded records not yet handed to the file
  // The clock anchors around the batch being drained (the end one taken when it was swapped
  // out), for the wall times of scalars stamped with ticks. Writer thread only, but for
  // batch_end_'s first value, taken before the thread starts.
  detail::ClockAnchor batch_start_, batch_end_ = detail::take_clock_anchor();
  std::unordered_set<std::string> tags_with_metadata_;

  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace tblog
