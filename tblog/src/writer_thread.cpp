#include "writer_thread.hpp"

#include <algorithm>

#include "event_encoding.hpp"
#include "record_framing.hpp"
#include "tblog/error.hpp"
#include "tblog/record.hpp"

namespace tblog::detail {
namespace {

// Hand encoded records to the sink in chunks of about this size.
constexpr std::size_t kWriteChunkBytes = 1u << 20;
// Room past a chunk for the record that crosses it.
constexpr std::size_t kRoomPastChunk = 4096;

}  // namespace

WriterThread::WriterThread(BatchQueue& queue, Sink& sink, std::chrono::milliseconds flush_interval,
                           bool sync_on_flush)
    : queue_(queue), sink_(sink), flush_interval_(flush_interval), sync_on_flush_(sync_on_flush) {
  draining_.reserve(queue.batch_capacity());
  out_.reserve(kWriteChunkBytes + kRoomPastChunk);
  thread_ = std::thread([this] { run(); });
}

WriterThread::~WriterThread() {
  join();
}

void WriterThread::join() {
  std::lock_guard<std::mutex> lock(join_mutex_);
  if (thread_.joinable()) thread_.join();
}

void WriterThread::run() {
  const auto anchor_batch = [this] {
    // Every entry of draining_ was pushed between these two anchors.
    batch_start_ = batch_end_;
    batch_end_ = take_clock_anchor();
  };
  bool failed = false;  // after a failure batches are still taken (producers go on) but dropped
  BatchQueue::Taken taken = queue_.take(draining_, flush_interval_, anchor_batch);
  for (;;) {
    WriterFailure failure;
    if (!failed) failure = write_batch();
    if (failure.what.empty() && !failed && sync_on_flush_ && taken.flush_asked)
      failure = {sink_.sync(), true};
    if (failure.what.empty() && !failed && taken.flush_asked) failure = {sink_.flushed(), true};
    failed = failed || !failure.what.empty();
    draining_.clear();
    if (taken.last) {
      queue_.finish(taken, failure);
      break;
    }
    taken = queue_.finish_and_take(taken, failure, draining_, flush_interval_, anchor_batch);
  }
  WriterFailure failure;
  if (sync_on_flush_ && !failed) failure = {sink_.sync(), true};
  queue_.consumer_exited(failure);
}

WriterFailure WriterThread::write_batch() {
  WriterFailure err;
  out_.clear();
  auto write_out = [&] {
    if (err.what.empty() && out_.size() > 0)
      err = {sink_.write(std::string_view(out_.data(), out_.size())), true};
    out_.clear();
  };
  draining_.for_each(
      [&](const ScalarEntry& e) {
        // Encoded straight into the output and framed there: no intermediate payload string and
        // no zero-filled growth (both were 10% of writing 1M scalars, perf).
        const double wall_time =
            e.at_ticks ? wall_time_at(batch_start_, batch_end_, e.ticks) : e.wall_time;
        const std::size_t n = scalar_event_size(e.tag, e.step, wall_time);
        char* record = out_.grow(kRecordOverhead + n);
        put_scalar_event(record + kRecordHeaderSize, e.tag, e.value, e.step, wall_time);
        frame_record_in_place(record, n);
        if (out_.size() >= kWriteChunkBytes) write_out();
      },
      [&](DeferredSummary& summary) {
        if (!err.what.empty()) return;
        const bool first = tags_with_metadata_.insert(summary.tag).second;
        try {
          // Empty: the summary wrote files of its own (embeddings) and has no record.
          if (std::string payload = summary.encode(summary.tag, first); !payload.empty()) {
            char* record = out_.grow(kRecordOverhead + payload.size());
            std::copy(payload.begin(), payload.end(), record + kRecordHeaderSize);
            frame_record_in_place(record, payload.size());
          }
        } catch (const IoError& e) {
          err = {e.what(), true};
        } catch (const std::exception& e) {
          err = {"encoding '" + summary.tag + "' failed: " + e.what(), false};
        }
        if (out_.size() >= kWriteChunkBytes) write_out();
      });
  write_out();
  return err;
}

}  // namespace tblog::detail
