// The writer's sink for logdirs in object storage, over any ObjectStore (the writer opens it
// for a store scheme's URL, store_schemes.hpp; tests use memory's). Records are appended to a local
// segment file in the writer's spool directory (so a crash of the process loses nothing flushed, as
// with a local logdir); a segment is closed every upload_interval, on flush() and on close(), and
// an uploader thread PUTs each closed segment whole as one new object, strictly in order, deleting
// the file once the server has it. No object is ever rewritten: the bytes uploaded are the event
// bytes. Segments that fail to upload stay queued (retried with backoff) and on disk; close() waits
// up to close_upload_timeout and reports what is left. Internal to tblog.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "../event_file.hpp"
#include "../sink.hpp"
#include "object_store.hpp"
#include "spool.hpp"
#include "tblog/summary_writer.hpp"

namespace tblog::detail {

// Where a run's objects go.
struct UploadTarget {
  std::shared_ptr<ObjectStore> store;  // the uploader thread's: it retries segments itself
  // For the listing that opens the sink (the check a user needs at once), with retries.
  std::shared_ptr<ObjectStore> checking_store;
  std::string run_key;   // the run's key in the store ("" for its root), no trailing '/'
  std::string store_id;  // names the store among others (S3: its endpoint) in the spool
};

class UploadingSink final : public Sink {
 public:
  // Checks the store with a listing of the run (RemoteError naming it and quoting the server),
  // adopts what earlier writers of the run left in the spool (uploaded first: TensorBoard never
  // goes back to a name sorting before the one it reads), and starts the uploader.
  // `first_records`: records the first object carries after file_version (a resumed run's
  // SessionLog START).
  UploadingSink(UploadTarget target, const WriterOptions& options, std::string first_records);
  ~UploadingSink() override;
  UploadingSink(const UploadingSink&) = delete;
  UploadingSink& operator=(const UploadingSink&) = delete;

  std::string write(std::string_view records) override;
  std::string sync() override;
  std::string flushed() override;
  std::string finish() override;
  const std::string& path() const override { return path_; }
  UploadBacklog upload_backlog() const override;

 private:
  struct Segment {
    std::string file;
    std::string key;
    LockedSpool* owner;   // whose directory it is in (ours or an adopted one)
    std::uint64_t bytes;  // its size when queued: the backlog is counted without a stat
  };

  void open_segment();   // under mutex_; throws IoError naming the file
  void close_segment();  // under mutex_: queues it if it holds events, else deletes it
  void upload_loop();
  std::string upload(const Segment& segment);
  std::string unfinished_message() const;  // under mutex_

  UploadTarget target_;
  const std::string url_;
  const std::chrono::milliseconds upload_interval_, close_timeout_;
  std::vector<std::unique_ptr<LockedSpool>> adopted_;
  std::unique_ptr<LockedSpool> spool_;
  std::string name_prefix_;  // events.out.tfevents.<secs>.<host>.<pid>.
  std::string suffix_;
  std::string path_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Segment> queue_;                // closed segments, in upload order
  std::uint64_t queued_bytes_ = 0;           // the sum of queue_'s sizes
  std::unique_ptr<EventFile> segment_file_;  // the segment being written; none between segments
  Segment current_;
  bool current_has_events_ = false;
  std::chrono::steady_clock::time_point current_opened_;
  unsigned next_sequence_ = 0;
  std::string first_records_;
  bool stopping_ = false;
  bool finished_ = false;
  std::string finish_message_;
  std::chrono::steady_clock::time_point drain_deadline_, retry_at_;
  int failures_in_row_ = 0;
  bool in_flight_ = false;  // the uploader is sending queue_.front()
  std::chrono::steady_clock::time_point in_flight_since_;
  std::chrono::steady_clock::time_point failing_since_;  // the first of failures_in_row_
  std::string last_error_;
  std::thread uploader_;  // last: starts once everything above exists
};

}  // namespace tblog::detail
