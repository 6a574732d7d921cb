/// @file
/// Exceptions thrown by tblog. Every message names the thing that was wrong.
#pragma once

#include <stdexcept>
#include <string>
#include "tblog/export.hpp"

namespace tblog {

/// What every exception tblog throws is, beside the standard exception callers already catch for
/// its kind: `catch (const tblog::Error&)` catches all of tblog's, `catch (const
/// std::invalid_argument&)` its bad arguments, `catch (const std::runtime_error&)` the rest, and
/// `catch (const std::exception&)` every one.
class TBLOG_API Error {
 public:
  virtual ~Error();
  /// The message: it names the thing that was wrong.
  virtual const char* what() const noexcept = 0;

 protected:
  Error() = default;
  Error(const Error&) = default;
  Error& operator=(const Error&) = default;
};

/// A caller passed something tblog cannot log (empty tag, empty histogram, bad image shape, a
/// tensor of the wrong shape or dtype...). A std::invalid_argument.
class TBLOG_API InvalidArgument : public std::invalid_argument, public Error {
 public:
  using std::invalid_argument::invalid_argument;
  const char* what() const noexcept override;
};

/// Something failed at run time: a closed writer, an encoder's failure, and the causes below. A
/// std::runtime_error.
class TBLOG_API RuntimeError : public std::runtime_error, public Error {
 public:
  using std::runtime_error::runtime_error;
  const char* what() const noexcept override;
};

/// The file system refused (logdir not creatable, disk full, unreadable file...).
class TBLOG_API IoError : public RuntimeError {
 public:
  using RuntimeError::RuntimeError;
};

/// Object storage (an s3:// logdir) refused a request or could not be reached. The message names
/// the endpoint, the bucket or object and the server's own code and message. An IoError, so code
/// that handles a local logdir's failures handles these too.
class TBLOG_API RemoteError : public IoError {
 public:
  using IoError::IoError;
};

/// A remote operation had no answer within its deadline (TBLOG_S3_TIMEOUT, docs/remote-storage.md
/// "Deadlines"): the server is down, stalled or trickling. Other requests to the same endpoint
/// would wait as long, so a caller reading many objects stops at the first of these (the tblog
/// CLI does), where it would go on past an unreadable object.
class TBLOG_API RemoteTimeout : public RemoteError {
 public:
  using RemoteError::RemoteError;
};

/// An event file holds damaged data. Its subclasses say which layer of the reader found it.
class TBLOG_API CorruptData : public RuntimeError {
 public:
  using RuntimeError::RuntimeError;
};

/// The record layer: bytes that are not a valid record (a CRC mismatch, an impossible length).
class TBLOG_API CorruptRecord : public CorruptData {
 public:
  using CorruptData::CorruptData;
};

/// The event layer: a record whose CRCs hold but whose payload is not a valid Event (not an Event
/// protobuf, or a summary inconsistent with itself).
class TBLOG_API CorruptEvent : public CorruptData {
 public:
  using CorruptData::CorruptData;
};

}  // namespace tblog
