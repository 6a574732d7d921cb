// A small S3 client over Debian's libcurl, which signs each request (AWS SigV4) itself. Only what
// tblog needs: PUT an object whole, GET a byte range, HEAD for a size, list a prefix. One client
// holds one connection (kept alive between requests) and is used by one thread at a time, except
// cancel_at(), which any thread may call.
//
// Deadlines (docs/remote-storage.md, "Deadlines"): each operation ends within
// settings.operation_timeout (a PUT: one second more per MiB), its tries and the waits between
// them together; a try that connects in no 10 s or receives nothing for a stall time is cut off
// and retried while time is left. An operation that ends without an answer marks its endpoint as
// not answering for one operation_timeout: in that time, operations on it fail at once (a
// command reading a thousand objects from a dead server waits once, not a thousand times). Both
// throw RemoteTimeout; every other failure S3RequestError.
// Internal to tblog.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "object_store.hpp"
#include "s3_settings.hpp"
#include "tblog/error.hpp"

namespace tblog::detail {

// A request that failed: the server's answer (HTTP status, S3 error code and message) or the
// connection's failure. transient(): worth retrying (5xx, SlowDown, throttling, timeouts, lost or
// refused connections); a wrong key, a missing bucket or a denied request are not.
class S3RequestError : public RemoteError {
 public:
  S3RequestError(const std::string& what, long http_status, std::string code, bool transient,
                 bool no_answer = false)
      : RemoteError(what),
        http_status_(http_status),
        code_(std::move(code)),
        transient_(transient),
        no_answer_(no_answer) {}
  long http_status() const { return http_status_; }  // 0: no answer
  const std::string& code() const { return code_; }
  bool transient() const { return transient_; }
  // The server gave no (complete) answer in time: a connection that timed out or stalled.
  bool no_answer() const { return no_answer_; }

 private:
  long http_status_;
  std::string code_;
  bool transient_;
  bool no_answer_;
};

using S3Object = StoredObject;

// One listing: the objects, and with a delimiter the "directories" one level down (CommonPrefixes,
// each ending in '/').
struct S3Listing {
  std::vector<S3Object> objects;
  std::vector<std::string> directories;
  std::size_t requests = 0;  // pages asked for (tries not counted)
};

class S3Client {
 public:
  using Clock = std::chrono::steady_clock;

  // `attempts`: how often a transient failure is tried in all (>= 1), with backoff between (3,
  // as the AWS SDKs' standard retry mode).
  explicit S3Client(S3Settings settings, int attempts = 3);
  ~S3Client();
  S3Client(const S3Client&) = delete;
  S3Client& operator=(const S3Client&) = delete;

  // Writes the object whole. The body's CRC-32C travels along (x-amz-checksum-crc32c): the
  // server refuses bytes damaged on the way instead of storing them.
  void put_object(const std::string& bucket, const std::string& key, std::string_view body);
  // Up to `size` bytes from `offset` (fewer where the object ends; none past its end).
  std::string get_range(const std::string& bucket, const std::string& key, std::uint64_t offset,
                        std::size_t size);
  std::uint64_t object_size(const std::string& bucket, const std::string& key);
  // Every object whose key starts with `prefix`, in key order (all pages of ListObjectsV2);
  // with `direct_only`, only those with no further '/' after the prefix (one "directory"), the
  // deeper ones summed up as `directories`. `start_after`: only keys after it (S3's StartAfter).
  // Keys and directories a server sends beyond that are left out.
  S3Listing list(const std::string& bucket, const std::string& prefix, bool direct_only = false,
                 const std::string& start_after = "");

  // From any thread: a request still in flight at `when` is cut off (within about a second) and
  // fails as cancelled; none is started after it. Clock::time_point::max(): no such limit.
  void cancel_at(Clock::time_point when);

  const S3Settings& settings() const { return settings_; }
  // Bytes of object bodies sent by put_object so far (for tests and benchmarks).
  std::uint64_t bytes_put() const { return bytes_put_; }

 private:
  struct Request;
  struct Response;
  Response perform(const Request& request, Clock::time_point deadline);
  Response perform_with_retries(const Request& request);

  S3Settings settings_;
  int attempts_;
  std::atomic<Clock::rep> cancel_at_{Clock::time_point::max().time_since_epoch().count()};
  std::uint64_t bytes_put_ = 0;
  void* curl_ = nullptr;  // CURL*, kept for its connection
};

// Text a server sent (an error's code and message, a key it listed) as a message may quote it:
// control characters and escape sequences made visible, cut after `limit` characters.
std::string server_text(std::string_view text, std::size_t limit = 300);

// "<endpoint>/<bucket>/<key>": how messages name an object.
std::string describe_object(const S3Settings& settings, const std::string& bucket,
                            const std::string& key);

}  // namespace tblog::detail
