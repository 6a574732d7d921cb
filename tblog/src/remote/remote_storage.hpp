// What the writer and the reader use of remote storage. Each function is defined by the file of
// its part when tblog is built with S3 support (TBLOG_WITH_S3: libcurl found), and by
// without_s3.cpp, which refuses with one clear line, when not. Internal to tblog.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "../sink.hpp"
#include "object_store.hpp"
#include "s3_location.hpp"
#include "tblog/byte_source.hpp"
#include "tblog/reader.hpp"
#include "tblog/summary_writer.hpp"

namespace tblog::detail {

// The writer's s3:// sink (s3_sink.cpp).
std::unique_ptr<Sink> open_s3_sink(const std::string& url, const WriterOptions& options,
                                   std::string first_records);
// An object read with ranged GETs (s3_source.cpp). Throws RemoteError naming it when it cannot
// be read (missing, denied, unreachable).
std::unique_ptr<ByteSource> open_s3_source(const std::string& url);
// An s3:// logdir: its bucket as a store, and its key there (s3_logdir.cpp).
struct StoredLogdir {
  std::shared_ptr<ObjectStore> store;
  std::string root;  // "" for the bucket's root, no trailing '/'
};
StoredLogdir open_s3_logdir(const std::string& url);
// The runs below an s3:// logdir, as find_runs gives them for a local one (s3_logdir.cpp).
std::vector<RunFiles> find_s3_runs(const std::string& url);
// The event files directly in the s3:// run `run_url`, in name order (s3_logdir.cpp).
std::vector<std::string> s3_run_event_files(const std::string& run_url);

// Requests sent to S3 servers by this process so far, by kind (tries included): what a reload
// of a remote logdir costs, for the data server's log and the benchmarks. Zeros without S3.
struct S3RequestCounts {
  std::uint64_t list = 0, get = 0, head = 0, put = 0;
};
S3RequestCounts s3_request_counts();

}  // namespace tblog::detail
