// SummaryWriter's parts: the output (a sink), the bounded queue, the writer thread, and what the
// kinds share across calls (the custom-scalar layout). Each kind's add_* call lives in
// kinds/<plugin>.cpp and reaches the queue through the functions here. Internal to tblog.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "batch_queue.hpp"
#include "kinds/layout_registry.hpp"
#include "pending_batch.hpp"
#include "sink.hpp"
#include "tblog/summary_writer.hpp"
#include "writer_thread.hpp"

namespace tblog {
namespace detail {

// Throws InvalidArgument naming `call` for an empty tag.
void check_tag(std::string_view tag, const char* call);
// `wall_time`, or now; throws InvalidArgument naming `call` unless finite (TensorBoard's data
// server marks a whole file dead on a NaN wall time).
double resolve_wall_time(std::optional<double> wall_time, const char* call);
// "<call>('<tag>')", how the kinds' messages name the call that failed.
std::string call_name(const char* call, std::string_view tag);

}  // namespace detail

class SummaryWriter::Impl {
 public:
  Impl(const std::string& logdir, WriterOptions options);
  // A caller's own sink: the writer writes the file's head (file_version, and a purge_step's
  // SessionLog START) to it first. logdir() is then empty.
  Impl(std::unique_ptr<Sink> sink, WriterOptions options);
  ~Impl();

  void add_scalar(std::string_view tag, float value, std::int64_t step, double wall_time) {
    queue_.push("add_scalar", queue_.bound(), [&](detail::PendingBatch& batch) {
      batch.add_scalar(tag, value, step, wall_time);
    });
  }
  // Stamped "now" by the tick counter; the writer thread makes it a wall time (wall_clock.hpp).
  void add_scalar_now(std::string_view tag, float value, std::int64_t step) {
    const std::uint64_t ticks = detail::read_ticks();
    queue_.push("add_scalar", queue_.bound(), [&](detail::PendingBatch& batch) {
      batch.add_scalar_at_ticks(tag, value, step, ticks);
    });
  }

  // A summary encoded later, on the writer thread; `bytes` is what it holds, against the bound.
  // `plugin`: the kind's plugin, which the tag must not have held another of (check_kind_of_tag).
  void add_deferred(detail::DeferredSummary summary, std::size_t bytes, const char* call,
                    std::string_view plugin) {
    push_deferred(std::move(summary), bytes, call, plugin, queue_.bound());
  }
  // A summary the caller finished itself because its input did not fit in the queue (a
  // histogram's buckets, a PNG): rather than wait, it may take the queue past its bound, up to
  // twice it, so that the caller and the writer thread both work while the queue is full
  // (bench/peer_cpp.sh).
  void add_finished_on_caller(detail::DeferredSummary summary, std::size_t bytes, const char* call,
                              std::string_view plugin) {
    push_deferred(std::move(summary), bytes, call, plugin, 2 * queue_.bound());
  }
  // A summary whose payload was built on the caller's thread (rare ones: hparams, layouts).
  void add_prebuilt(const char* tag, std::string payload, const char* call);
  // Whether `bytes` more fit under the queue's bound now; kinds with large inputs finish on the
  // caller's thread when not.
  bool queue_has_room_for(std::size_t bytes) { return queue_.has_room_for(bytes); }

  detail::LayoutRegistry& layouts() { return layouts_; }

  void flush() { queue_.flush(); }
  void close();
  std::string error() const { return queue_.failure(); }
  UploadBacklog upload_backlog() const { return sink_->upload_backlog(); }
  const std::string& path() const { return sink_->path(); }
  const std::string& logdir() const { return logdir_; }

 private:
  // Every non-scalar summary comes through here: the one place its tag's kind is checked.
  void push_deferred(detail::DeferredSummary summary, std::size_t bytes, const char* call,
                     std::string_view plugin, std::size_t limit) {
    check_kind_of_tag(summary.tag, plugin, call);
    queue_.push(call, limit, [&](detail::PendingBatch& batch) {
      batch.add_deferred(std::move(summary), bytes);
    });
  }
  void shutdown();
  // Throws InvalidArgument when this writer logged `tag` as another plugin's: TensorBoard reads a
  // tag's values as the kind it first held, so the second kind would be misread, silently.
  // Scalars (the hot path) are not recorded; an empty `plugin` (embeddings: files) checks nothing.
  void check_kind_of_tag(const std::string& tag, std::string_view plugin, const char* call);

  const std::string logdir_;
  const WriterOptions options_;
  std::unique_ptr<detail::Sink> sink_;
  std::once_flag sink_finished_;
  std::string sink_failure_;  // what Sink::finish() reported (uploads left undone)
  detail::BatchQueue queue_;
  detail::LayoutRegistry layouts_;
  std::mutex kinds_mutex_;
  std::unordered_map<std::string, std::string> plugin_of_tag_;  // guarded by kinds_mutex_
  detail::WriterThread thread_;  // last: starts once the sink and the queue exist
};

}  // namespace tblog
