// The writer thread: takes batches from the queue, encodes them (scalars straight into the
// output, other kinds through their deferred encoders) and hands the records to the sink.
// Internal to tblog.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>

#include "batch_queue.hpp"
#include "pending_batch.hpp"
#include "sink.hpp"
#include "wall_clock.hpp"

namespace tblog::detail {

class WriterThread {
 public:
  // Starts the thread. `queue` and `sink` must outlive it (join() before destroying them).
  // `flush_interval`: the longest a pushed entry waits; `sync_on_flush`: sink.sync() after each
  // batch a flush() waits for, and at the end.
  WriterThread(BatchQueue& queue, Sink& sink, std::chrono::milliseconds flush_interval,
               bool sync_on_flush);
  ~WriterThread();
  WriterThread(const WriterThread&) = delete;
  WriterThread& operator=(const WriterThread&) = delete;

  // Waits for the thread to finish, after BatchQueue::close(). Safe from several threads.
  void join();

 private:
  void run();
  WriterFailure write_batch();

  BatchQueue& queue_;
  Sink& sink_;
  const std::chrono::milliseconds flush_interval_;
  const bool sync_on_flush_;

  PendingBatch draining_;
  ByteArena out_;  // encoded records not yet handed to the sink
  // The clock anchors around the batch being drained (the end one taken when it was swapped
  // out), for the wall times of scalars stamped with ticks; batch_end_'s first value is taken
  // before the thread starts.
  ClockAnchor batch_start_, batch_end_ = take_clock_anchor();
  // Tags that got their plugin metadata in this file (TensorBoard needs it on a tag's first
  // value only).
  std::unordered_set<std::string> tags_with_metadata_;

  std::mutex join_mutex_;
  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace tblog::detail
