// Where the writer thread's encoded records go. The local event file (event_file.hpp) is one
// sink; object storage (remote/s3_sink.hpp) is another. Only the writer thread calls a sink
// (upload_backlog() aside), so implementations need no locking of their own. Internal to tblog.
#pragma once

#include <string>
#include <string_view>

#include "tblog/remote.hpp"

namespace tblog::detail {

class Sink {
 public:
  virtual ~Sink() = default;

  // Appends whole framed records. On failure the destination keeps whole records only (a reader
  // never sees a torn one) and the message names it; "" on success.
  virtual std::string write(std::string_view records) = 0;
  // Makes everything written so far durable (WriterOptions::fsync_on_flush); "" on success.
  virtual std::string sync() = 0;
  // A flush() reached the sink (after its records were written): a remote sink starts uploading
  // what it holds. "" on success.
  virtual std::string flushed() { return {}; }
  // After the last write, before the sink is destroyed: a remote sink uploads what is left and
  // says what it could not. "" on success.
  virtual std::string finish() { return {}; }
  // Where the records end up: SummaryWriter::path().
  virtual const std::string& path() const = 0;
  // What a remote sink has not uploaded yet. The one member any thread may call.
  virtual UploadBacklog upload_backlog() const { return {}; }
};

}  // namespace tblog::detail
