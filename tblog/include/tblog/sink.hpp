/// @file
/// Where a SummaryWriter's records go, as an interface you can implement (spdlog's sinks are the
/// model): the local event file and the s3:// uploader are tblog's own sinks; a sink of yours (a
/// socket, a database, a test's memory) is passed to `SummaryWriter(std::unique_ptr<Sink>)`.
#pragma once

#include <string>
#include <string_view>

#include "tblog/export.hpp"
#include "tblog/remote.hpp"

namespace tblog {

/// Receives whole TFRecord-framed records (each an Event) from the writer's thread. Only that
/// thread calls a sink (upload_backlog() aside), so an implementation needs no locking for the
/// other members. Failures are returned as a message, never thrown: the writer keeps the first
/// and reports it through SummaryWriter::error() and close().
class TBLOG_API Sink {
 public:
  virtual ~Sink();

  /// Appends whole framed records (the first call brings the file_version event). On failure
  /// keep whole records only (a reader must never see a torn one) and name the destination in
  /// the message; "" on success.
  virtual std::string write(std::string_view records) = 0;
  /// Makes everything written so far durable (WriterOptions::fsync_on_flush); "" on success.
  virtual std::string sync() = 0;
  /// A flush() reached the sink, after its records were written: a sink that batches sends
  /// what it holds. "" on success.
  virtual std::string flushed() { return {}; }
  /// After the last write, before the sink is destroyed: send what is left and say what could
  /// not be. "" on success.
  virtual std::string finish() { return {}; }
  /// Where the records end up (SummaryWriter::path()).
  virtual const std::string& path() const = 0;
  /// What has not reached its destination yet. The one member any thread may call.
  virtual UploadBacklog upload_backlog() const { return {}; }
};

}  // namespace tblog
