// One event file on disk: a collision-free name, exclusive creation, whole-record writes. The
// writer's local sink.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "sink.hpp"

namespace tblog::detail {

class EventFile final : public Sink {
 public:
  // Creates `logdir` if needed and a new file in it named
  // events.out.tfevents.<10-digit seconds>.<host>.<pid>.<4-digit counter><suffix>.
  // Throws IoError naming the directory or file when that fails.
  EventFile(const std::string& logdir, const std::string& suffix);
  // A new file at exactly `path`, whose directory exists (an s3:// writer's spool segment).
  // Throws IoError naming it when it exists already or cannot be created.
  static std::unique_ptr<EventFile> create_at(const std::string& path);
  ~EventFile() override;
  EventFile(const EventFile&) = delete;
  EventFile& operator=(const EventFile&) = delete;

  // Appends whole records. On failure (disk full...) the file is cut back to its last complete
  // record, so readers never see a torn record; returns a message naming the file, else "".
  std::string write(std::string_view bytes) override;
  std::string sync() override;
  // Closes and deletes the file: for a writer that failed before writing anything.
  void remove();

  const std::string& path() const override { return path_; }
  std::uint64_t size() const { return size_; }

 private:
  EventFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

  std::string path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

// This machine's name as event file names carry it ('/' replaced by '_').
std::string event_file_host();

// What every event file name of ours starts with: "events.out.tfevents.<seconds, 10 digits>.<host>.
// <pid>.". Zero-padded seconds make names sort by time, and TensorBoard reads a run's files in
// name order. The local sink and the s3:// sink add their own counters to it.
std::string event_file_name_head(std::int64_t seconds, const std::string& host, long pid);

// A number no other writer of this process has had (local event files and s3:// writers draw
// from the same counter): it keeps the names of two writers of one run apart, even within one
// second.
unsigned next_writer_number();

// The seconds a name starting like event_file_name_head()'s does carries, or -1 for any other
// name: only names of that shape sort by their seconds.
long long event_file_name_seconds(std::string_view name);

// The file name part after the logdir; exposed for tests of naming and ordering.
std::string event_file_name(std::int64_t seconds, const std::string& host, long pid,
                            unsigned counter, const std::string& suffix);

}  // namespace tblog::detail
