#include "uploading_sink.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "../event_encoding.hpp"
#include "../event_file.hpp"
#include "../wall_clock.hpp"
#include "s3_location.hpp"
#include "tblog/error.hpp"
#include "tblog/reader.hpp"
#include "tblog/record.hpp"

namespace fs = std::filesystem;

namespace tblog::detail {
namespace {

using Clock = std::chrono::steady_clock;

// An upload in flight this long without an answer is reported as stuck by upload_backlog().
constexpr std::chrono::seconds kStuckAfter{10};

// Backoff between attempts at one segment: 1 s, 2 s, 4 s... up to 30 s.
Clock::duration retry_delay(int failures) {
  return std::chrono::seconds(std::min(30, 1 << std::min(failures - 1, 5)));
}

}  // namespace

UploadingSink::UploadingSink(UploadTarget target, const WriterOptions& options,
                             std::string first_records)
    : target_(std::move(target)),
      url_(target_.store->url(target_.run_key)),
      upload_interval_(std::max(options.upload_interval, std::chrono::milliseconds(1))),
      close_timeout_(options.close_upload_timeout),
      suffix_(options.filename_suffix),
      first_records_(std::move(first_records)) {
  const std::string run_prefix = target_.run_key.empty() ? "" : target_.run_key + "/";
  // The check a user needs at once (endpoint, keys, bucket), and the names already there.
  std::vector<StoredObject> existing;
  try {
    existing = target_.checking_store->list({run_prefix, "", true}).objects;
  } catch (const RemoteError& e) {
    throw RemoteError("cannot open " + url_ + " for writing: " + e.what());
  }
  target_.checking_store.reset();

  long long newest_seconds = -1;
  for (const StoredObject& object : existing)  // the run's own files: one level of it
    newest_seconds =
        std::max(newest_seconds, event_file_name_seconds(object.key.substr(run_prefix.size())));
  // What earlier writers of this run left: uploaded before anything of ours.
  const std::string run_dir = run_spool_dir(spool_root(options.spool_dir), target_.store_id, url_);
  std::vector<std::string> in_use;
  for (LockedSpool& orphan : adopt_orphans(run_dir, in_use)) {
    // Long run URLs share a spool directory name by their hash: only this run's are adopted.
    if (orphan.run_url() != url_ || orphan.endpoint() != target_.store_id) continue;
    adopted_.push_back(std::make_unique<LockedSpool>(std::move(orphan)));
    for (const std::string& file : adopted_.back()->segments_to_upload()) {
      const std::string name = fs::path(file).filename().string();
      newest_seconds = std::max(newest_seconds, event_file_name_seconds(name));
      std::error_code ec;
      const std::uint64_t bytes = fs::file_size(file, ec);  // trimmed: final
      queue_.push_back(
          {file, join_key(target_.run_key, name), adopted_.back().get(), ec ? 0 : bytes});
      queued_bytes_ += queue_.back().bytes;
    }
  }
  // Our names must sort after every name already in the run (or about to be, from the spool),
  // even when the clock says otherwise or an earlier writer started within this second.
  const long long now = static_cast<long long>(now_seconds());
  const long long seconds = std::max(now, newest_seconds + 1);
  // The writer's own number keeps two writers of one run in one process apart (each counts its
  // segments from 0): without it the second would overwrite the first's objects.
  char writer[16];
  const unsigned writer_number = next_writer_number();
  std::snprintf(writer, sizeof writer, "%04u.", writer_number);
  name_prefix_ = event_file_name_head(seconds, event_file_host(), ::getpid()) + writer;
  path_ = url_ + "/" + name_prefix_;
  spool_ = std::make_unique<LockedSpool>(
      LockedSpool::create(run_dir + "/" + std::to_string(seconds) + "." +
                              std::to_string(::getpid()) + "." + std::to_string(writer_number),
                          url_, target_.store_id));
  open_segment();
  uploader_ = std::thread([this] { upload_loop(); });
}

UploadingSink::~UploadingSink() {
  finish();
}

void UploadingSink::open_segment() {
  char sequence[16];
  std::snprintf(sequence, sizeof sequence, "%08u", next_sequence_);
  const std::string name = name_prefix_ + sequence + suffix_;
  current_ = {spool_->dir() + "/" + name, join_key(target_.run_key, name), spool_.get(), 0};
  auto file = EventFile::create_at(current_.file);
  std::string head;
  append_record(head, file_version_event(now_seconds()));
  head += first_records_;
  if (std::string err = file->write(head); !err.empty()) {
    file->remove();
    throw IoError(err);
  }
  first_records_.clear();
  ++next_sequence_;
  segment_file_ = std::move(file);
  current_has_events_ = false;
  current_opened_ = Clock::now();
}

void UploadingSink::close_segment() {
  if (!segment_file_) return;
  if (current_has_events_) {
    current_.bytes = segment_file_->size();
    segment_file_.reset();
    current_has_events_ = false;  // until the next segment has some: no interval to wait for
    queue_.push_back(current_);
    queued_bytes_ += current_.bytes;
    wake_.notify_all();
  } else {
    segment_file_->remove();
    segment_file_.reset();
    --next_sequence_;  // the name is free again: sequences stay without gaps
  }
}

std::string UploadingSink::write(std::string_view records) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!segment_file_) {
    try {
      open_segment();
    } catch (const IoError& e) {
      return e.what();
    }
  }
  // On failure the file is cut back to its last whole record, as a local event file is.
  if (std::string err = segment_file_->write(records); !err.empty()) return err;
  if (!current_has_events_) {
    current_has_events_ = true;
    current_opened_ = Clock::now();  // the interval counts from the first event it holds
    wake_.notify_all();              // the uploader's next deadline changed
  }
  return {};
}

std::string UploadingSink::sync() {
  std::lock_guard<std::mutex> lock(mutex_);
  return segment_file_ ? segment_file_->sync() : std::string();
}

std::string UploadingSink::flushed() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (current_has_events_) close_segment();
  return {};
}

std::string UploadingSink::finish() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (finished_) return finish_message_;
    close_segment();
    stopping_ = true;
    drain_deadline_ = Clock::now() + close_timeout_;
    // An upload still in flight then is cut off: close() keeps its deadline whatever the server
    // does (a PUT answered a byte a second would otherwise hold it for minutes).
    target_.store->cancel_at(drain_deadline_);
    wake_.notify_all();
  }
  if (uploader_.joinable()) uploader_.join();
  std::lock_guard<std::mutex> lock(mutex_);
  finished_ = true;
  finish_message_ = queue_.empty() ? "" : unfinished_message();
  return finish_message_;
}

UploadBacklog UploadingSink::upload_backlog() const {
  std::lock_guard<std::mutex> lock(mutex_);
  UploadBacklog backlog;
  backlog.segments = queue_.size();
  backlog.bytes = queued_bytes_;
  const auto now = Clock::now();
  if (failures_in_row_ > 0) {
    backlog.last_error = last_error_;
    backlog.failing_for =
        std::chrono::duration_cast<std::chrono::milliseconds>(now - failing_since_);
  }
  if (in_flight_) {
    backlog.uploading_for =
        std::chrono::duration_cast<std::chrono::milliseconds>(now - in_flight_since_);
    // An upload with no answer yet is stuck once it has taken this long: said while it lasts,
    // not only once it fails.
    if (backlog.uploading_for >= kStuckAfter) {
      if (failures_in_row_ == 0) {
        backlog.last_error = "upload of " + target_.store->describe(queue_.front().key) +
                             ": no answer yet after " +
                             std::to_string(backlog.uploading_for.count() / 1000) + " s";
      }
      backlog.failing_for = std::max(backlog.failing_for, backlog.uploading_for);
    }
  }
  return backlog;
}

std::string UploadingSink::unfinished_message() const {
  std::ostringstream out;
  out << queue_.size() << (queue_.size() == 1 ? " segment" : " segments") << " (" << queued_bytes_
      << " bytes) of " << url_ << " could not be uploaded within close_upload_timeout ("
      << close_timeout_.count() << " ms): " << last_error_ << "; kept in the spool '"
      << queue_.front().owner->dir()
      << "': `tblog upload` that directory, or open a writer of this run again, to upload them";
  return out.str();
}

void UploadingSink::upload_loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    const auto now = Clock::now();
    if (current_has_events_ && now - current_opened_ >= upload_interval_) close_segment();
    if (stopping_ && (queue_.empty() || now >= drain_deadline_)) return;
    if (!queue_.empty() && now >= retry_at_) {
      const Segment segment = queue_.front();
      in_flight_ = true;
      in_flight_since_ = now;
      lock.unlock();
      const std::string err = upload(segment);
      lock.lock();
      in_flight_ = false;
      if (err.empty()) {
        queued_bytes_ -= queue_.front().bytes;
        queue_.pop_front();
        failures_in_row_ = 0;
        // An adopted directory whose last segment is up is released (and removed).
        const bool owner_done = std::none_of(queue_.begin(), queue_.end(), [&](const Segment& s) {
          return s.owner == segment.owner;
        });
        if (owner_done && segment.owner != spool_.get()) {
          adopted_.erase(std::remove_if(adopted_.begin(), adopted_.end(),
                                        [&](const auto& p) { return p.get() == segment.owner; }),
                         adopted_.end());
        }
      } else {
        // A try cut off by close's deadline says less than the failure before it, if any.
        if (!(stopping_ && Clock::now() >= drain_deadline_ && !last_error_.empty()))
          last_error_ = err;
        if (failures_in_row_ == 0) failing_since_ = Clock::now();
        retry_at_ = Clock::now() + retry_delay(++failures_in_row_);
      }
      continue;
    }
    // Sleep until the next thing to do: a retry, the current segment's interval, the deadline.
    auto wake_at = Clock::time_point::max();
    if (!queue_.empty()) wake_at = std::min(wake_at, retry_at_);
    if (current_has_events_) wake_at = std::min(wake_at, current_opened_ + upload_interval_);
    if (stopping_) wake_at = std::min(wake_at, drain_deadline_);
    if (wake_at == Clock::time_point::max())
      wake_.wait(lock);
    else
      wake_.wait_until(lock, wake_at);
  }
}

std::string UploadingSink::upload(const Segment& segment) {
  try {
    target_.store->put(segment.key, read_segment(segment.file));
  } catch (const IoError& e) {  // RemoteError too
    return e.what();
  }
  std::error_code ec;
  fs::remove(segment.file, ec);
  return {};
}

}  // namespace tblog::detail
