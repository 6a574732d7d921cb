// SummaryWriter's lifetime: opening the output, starting and stopping the writer thread, flush
// and close. The add_* calls live in kinds/, one file per plugin.
#include "tblog/summary_writer.hpp"

#include <cmath>

#include "event_encoding.hpp"
#include "event_file.hpp"
#include "record_framing.hpp"
#include "remote/store_schemes.hpp"
#include "remote/uploading_sink.hpp"
#include "summary_writer_impl.hpp"
#include "tblog/error.hpp"
#include "tblog/record.hpp"
#include "tblog/remote.hpp"
#include "wall_clock.hpp"

namespace tblog {
namespace detail {

void check_tag(std::string_view tag, const char* call) {
  if (tag.empty()) throw InvalidArgument(std::string(call) + ": tag is empty");
}

double resolve_wall_time(std::optional<double> wall_time, const char* call) {
  if (!wall_time) return now_seconds();
  if (!std::isfinite(*wall_time))
    throw InvalidArgument(std::string(call) + ": wall_time must be finite");
  return *wall_time;
}

std::string call_name(const char* call, std::string_view tag) {
  return std::string(call) + "('" + std::string(tag) + "')";
}

namespace {

// When resuming (purge_step), the SessionLog START that purges the earlier tail; else nothing.
std::string purge_records(const WriterOptions& options, double now) {
  std::string purge;
  if (options.purge_step) append_record(purge, session_start_event(*options.purge_step, now));
  return purge;
}

// The first records of every file: file_version, then purge_records.
std::string head_records(const WriterOptions& options) {
  const double now = now_seconds();
  std::string head;
  append_record(head, file_version_event(now));
  return head + purge_records(options, now);
}

// Where the events go: a new event file in `logdir` that starts with the head, or objects in
// remote storage that start the same way. Throws IoError when that cannot be opened or written.
std::unique_ptr<Sink> open_sink(const std::string& logdir, const WriterOptions& options) {
  require_supported_location(logdir);
  if (const StoreScheme* scheme = store_scheme_of(logdir)) {
    UploadTarget target;
    StoredLogdir run = scheme->open(logdir, 1, {});  // the uploader retries segments itself
    target.store = std::move(run.store);
    target.checking_store = scheme->open(logdir, 3, {}).store;
    target.run_key = std::move(run.root);
    target.store_id = scheme->store_id(logdir);
    // The uploader writes each object's file_version itself; the purge goes in the first.
    return std::make_unique<UploadingSink>(std::move(target), options,
                                           purge_records(options, now_seconds()));
  }
  auto file = std::make_unique<EventFile>(logdir, options.filename_suffix);
  if (std::string err = file->write(head_records(options)); !err.empty()) {
    file->remove();  // an empty file would show up in TensorBoard as a run with no data
    throw IoError(err);
  }
  return file;
}

std::unique_ptr<Sink> start_own_sink(std::unique_ptr<Sink> sink, const WriterOptions& options) {
  if (!sink) throw InvalidArgument("SummaryWriter: no sink given");
  if (std::string err = sink->write(head_records(options)); !err.empty()) throw IoError(err);
  return sink;
}

}  // namespace
}  // namespace detail

SummaryWriter::Impl::Impl(const std::string& logdir, WriterOptions options)
    : logdir_(logdir),
      options_(std::move(options)),
      sink_(detail::open_sink(logdir_, options_)),
      queue_(options_.max_queue_bytes, logdir_),
      thread_(queue_, *sink_, options_.flush_interval, options_.fsync_on_flush) {}

SummaryWriter::Impl::Impl(std::unique_ptr<Sink> sink, WriterOptions options)
    : options_(std::move(options)),
      sink_(detail::start_own_sink(std::move(sink), options_)),
      queue_(options_.max_queue_bytes, sink_->path()),
      thread_(queue_, *sink_, options_.flush_interval, options_.fsync_on_flush) {}

SummaryWriter::Impl::~Impl() {
  shutdown();
}

void SummaryWriter::Impl::shutdown() {
  queue_.close();
  thread_.join();
  std::call_once(sink_finished_, [this] { sink_failure_ = sink_->finish(); });
}

void SummaryWriter::Impl::close() {
  shutdown();
  queue_.throw_failure();
  if (!sink_failure_.empty()) throw RemoteError(sink_failure_);
}

void SummaryWriter::Impl::add_prebuilt(const char* tag, std::string payload, const char* call) {
  const std::size_t bytes = payload.size();
  // Its tags are the plugins' own reserved names (_hparams_/..., custom_scalars__config__).
  add_deferred({tag, [p = std::move(payload)](const std::string&, bool) { return p; }}, bytes, call,
               {});
}

void SummaryWriter::Impl::check_kind_of_tag(const std::string& tag, std::string_view plugin,
                                            const char* call) {
  if (plugin.empty()) return;
  const std::lock_guard<std::mutex> lock(kinds_mutex_);
  const auto [known, added] = plugin_of_tag_.try_emplace(tag, plugin);
  if (added || known->second == plugin) return;
  throw InvalidArgument(detail::call_name(call, tag) + ": the tag holds " + known->second +
                        " values already, and TensorBoard reads a tag as the kind it first held: "
                        "give this one a tag of its own");
}

SummaryWriter::SummaryWriter(const std::string& logdir, WriterOptions options)
    : impl_(std::make_unique<Impl>(logdir, std::move(options))) {}

SummaryWriter::SummaryWriter(std::unique_ptr<Sink> sink, WriterOptions options)
    : impl_(std::make_unique<Impl>(std::move(sink), std::move(options))) {}

SummaryWriter::~SummaryWriter() = default;

Sink::~Sink() = default;

void SummaryWriter::flush() {
  impl_->flush();
}
void SummaryWriter::close() {
  impl_->close();
}
std::string SummaryWriter::error() const {
  return impl_->error();
}
UploadBacklog SummaryWriter::upload_backlog() const {
  return impl_->upload_backlog();
}
const std::string& SummaryWriter::path() const {
  return impl_->path();
}
const std::string& SummaryWriter::logdir() const {
  return impl_->logdir();
}

}  // namespace tblog
