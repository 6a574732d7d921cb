// The local side of an s3:// writer: a spool directory per writer where segments (each a future
// object) are written before they are uploaded, kept until the upload succeeds. A writer holds
// an advisory lock (flock) on its directory while it lives; a directory whose lock can be taken
// belongs to a writer that is gone (killed, or closed with uploads left), and its segments are
// "orphans" that the next writer of the run, or `tblog upload`, uploads.
//
//   <root>/<endpoint, encoded>/<bucket/key of the run, encoded>/<writer id>/
//       target        "s3://bucket/key\n<endpoint>\n"
//       lock          the flock
//       events.out.tfevents.<secs>.<host>.<pid>.<8-digit sequence><suffix>   the segments
//
// Internal to tblog.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tblog::detail {

// `configured` if not empty, else $TBLOG_SPOOL_DIR, else $XDG_CACHE_HOME/tblog/spool, else
// $HOME/.cache/tblog/spool, else /tmp/tblog-spool-<uid>.
std::string spool_root(const std::string& configured);
// The run's spool directory under `root` (one path component each for endpoint and run).
std::string run_spool_dir(const std::string& root, const std::string& endpoint,
                          const std::string& run_url);

// A spool directory whose lock this process holds: its own, or an orphan it adopted.
class LockedSpool {
 public:
  // Creates `dir` (and parents) with its target file, and locks it. Throws IoError naming it.
  static LockedSpool create(const std::string& dir, const std::string& run_url,
                            const std::string& endpoint);
  LockedSpool(LockedSpool&& other) noexcept;
  LockedSpool& operator=(LockedSpool&& other) = delete;
  LockedSpool(const LockedSpool&) = delete;
  LockedSpool& operator=(const LockedSpool&) = delete;
  // Unlocks; the directory is removed when no segment is left in it.
  ~LockedSpool();

  const std::string& dir() const { return dir_; }
  const std::string& run_url() const { return run_url_; }
  const std::string& endpoint() const { return endpoint_; }
  // The segment files in it, in name (= upload) order.
  std::vector<std::string> segments() const;
  // Those worth uploading, in order: each cut back to whole records (trim_to_whole_records);
  // those holding only their file_version record (nothing to show) are deleted instead.
  std::vector<std::string> segments_to_upload() const;

 private:
  friend std::vector<LockedSpool> adopt_orphans(const std::string&, std::vector<std::string>&);
  LockedSpool(std::string dir, std::string run_url, std::string endpoint, int lock_fd)
      : dir_(std::move(dir)), run_url_(std::move(run_url)), endpoint_(std::move(endpoint)),
        lock_fd_(lock_fd) {}
  std::string dir_, run_url_, endpoint_;
  int lock_fd_ = -1;
};

// Every writer directory at or below `dir` whose lock could be taken, in path order; those
// still locked by a live writer are named in `in_use`. Does not follow symlinks.
std::vector<LockedSpool> adopt_orphans(const std::string& dir, std::vector<std::string>& in_use);

// The bytes of the segment file at `path`, to upload whole (a regular file of at most 5 GiB, S3's
// limit for one PUT). Throws IoError naming it.
std::string read_segment(const std::string& path);

// Cuts the segment file at `path` back to its last whole, valid record (a writer killed while
// writing leaves a torn one). Returns how many records it holds. Throws IoError naming it.
std::size_t trim_to_whole_records(const std::string& path);

}  // namespace tblog::detail
