// Where the writer thread's encoded records go. The local event file (event_file.hpp) is one
// sink; a destination that is not a local file (object storage) is another. Only the writer
// thread calls a sink, so implementations need no locking of their own. Internal to tblog.
#pragma once

#include <string>
#include <string_view>

namespace tblog::detail {

class Sink {
 public:
  virtual ~Sink() = default;

  // Appends whole framed records. On failure the destination keeps whole records only (a reader
  // never sees a torn one) and the message names it; "" on success.
  virtual std::string write(std::string_view records) = 0;
  // Makes everything written so far durable (WriterOptions::fsync_on_flush); "" on success.
  virtual std::string sync() = 0;
  // Where the records end up: SummaryWriter::path().
  virtual const std::string& path() const = 0;
};

}  // namespace tblog::detail
