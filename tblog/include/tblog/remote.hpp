/// @file
/// Logdirs in object storage (docs/remote-storage.md). SummaryWriter, the reader (find_runs,
/// for_each_event, open_source...) and the `tblog` tool take "s3://bucket/prefix" wherever they
/// take a local path; this header adds what has no local counterpart.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>
#include "tblog/export.hpp"

namespace tblog {

/// True for a logdir, run or file in object storage ("s3://...").
TBLOG_API bool is_remote_path(const std::string& path);

/// Throws InvalidArgument naming `path` when it is a URL of a scheme tblog cannot reach
/// ("gs://...", "http://..."; a scheme is a letter, then letters, digits, '+', '-' or '.',
/// before "://"), which would otherwise become a local directory named "gs:". Local paths and
/// s3:// pass. SummaryWriter and the reader check it themselves; a program can check a user's
/// logdir before it starts work.
TBLOG_API void require_supported_location(const std::string& path);

/// Whether this build of tblog can reach object storage (it was built with libcurl).
TBLOG_API bool remote_storage_supported();

/// Where s3:// writers keep events until they are uploaded, when WriterOptions::spool_dir is
/// empty: $TBLOG_SPOOL_DIR, else $XDG_CACHE_HOME/tblog/spool, else ~/.cache/tblog/spool.
TBLOG_API std::string default_spool_dir();

/// What an s3:// writer holds that the server does not have yet (SummaryWriter::upload_backlog):
/// a training loop can check it while it runs instead of learning at close() that a credential
/// may list but not write, or that the server has been away for an hour. All zero for a local
/// logdir.
struct UploadBacklog {
  /// Closed segments waiting in the spool (the one being written is not counted).
  std::size_t segments = 0;
  std::uint64_t bytes = 0;  ///< their bytes
  /// While uploads fail, or one has had no answer for 10 s (stuck): the last failure, naming the
  /// object and quoting the server, or "no answer yet after N s"; empty once an upload succeeds.
  std::string last_error;
  /// How long uploads have failed or been stuck without one success in between (0 when
  /// last_error is empty).
  std::chrono::milliseconds failing_for{0};
  /// How long the upload now in flight has been running (0 when none is).
  std::chrono::milliseconds uploading_for{0};
};

/// What upload_spool did.
struct SpoolUploadReport {
  std::size_t objects = 0;            ///< objects uploaded
  std::uint64_t bytes = 0;            ///< their bytes
  std::vector<std::string> in_use;    ///< writer directories a live writer still holds: left alone
  std::vector<std::string> failures;  ///< one line per writer directory that could not be finished
};

/// Uploads what writers that are gone (killed, or closed while the server was away) left in the
/// spool at or below `dir`: for each writer directory, its segments in order, each as the object
/// it was meant to be, then removes what was uploaded. Settings come from the environment as
/// for SummaryWriter. A failure stops that writer's directory (later segments must not overtake
/// an earlier one) and is reported; the others go on. Throws IoError if `dir` is not a directory.
TBLOG_API SpoolUploadReport upload_spool(const std::string& dir);

}  // namespace tblog
