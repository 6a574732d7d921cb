/// @file
/// SummaryWriter: writes TensorBoard event files without TensorFlow, Python or LibTorch.
///
/// ```cpp
///   tblog::SummaryWriter writer("runs/exp1");
///   writer.add_scalar("loss", 0.25, step);
/// ```
///
/// Every add_* call validates its input on the calling thread, copies what it needs and returns;
/// one writer thread per SummaryWriter encodes, frames and writes. The queue between them is
/// bounded: when it is full, callers wait (back-pressure) instead of events being dropped.
/// All member functions are thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
#include "tblog/export.hpp"

#include "tblog/audio.hpp"
#include "tblog/embedding.hpp"
#include "tblog/graph.hpp"
#include "tblog/histogram.hpp"
#include "tblog/hparams.hpp"
#include "tblog/image.hpp"
#include "tblog/layout.hpp"
#include "tblog/mesh.hpp"
#include "tblog/pr_curve.hpp"
#include "tblog/remote.hpp"
#include "tblog/sink.hpp"
#include "tblog/summary_tensor.hpp"
#include "tblog/video.hpp"

namespace tblog {

struct WriterOptions {
  /// Appended to the event file name, e.g. ".train".
  std::string filename_suffix;
  /// Longest time a logged event waits in memory before it is written to the file. Anything
  /// written is visible to TensorBoard and survives a crash of this process.
  std::chrono::milliseconds flush_interval{1000};
  /// Bound of the queue, in bytes of pending data; add_* calls wait while it is full (but for
  /// add_histogram and add_image, which then bucket or encode on the calling thread instead of
  /// queueing a copy that does not fit). 1 MiB keeps the writer thread busy (no measurable
  /// slowdown against 64 MiB) and a burst of large histograms within ~3 MiB of the process's own
  /// size (bench/peer_cpp.sh).
  std::size_t max_queue_bytes = 1u << 20;
  /// Resuming a run: points of this run at steps >= purge_step, logged by an earlier writer, are
  /// discarded by TensorBoard (a SessionLog START at that step), so a restart from a checkpoint
  /// does not leave a doubled tail. See tblog::last_step() to find where a run stopped.
  std::optional<std::int64_t> purge_step;
  /// fsync after every flush(): survives power loss too, at the cost of a disk round trip.
  bool fsync_on_flush = false;

  /// For s3:// logdirs (docs/remote-storage.md): events are uploaded as a new object at least this
  /// often, and on every flush() and close(). 30 s: TensorBoard lists a run again every 5 s but
  /// its web page asks for new data only every 30 s or more, so smaller intervals would show a
  /// point no sooner and only make more objects to list (a run of a day: 2,880).
  std::chrono::milliseconds upload_interval{30000};
  /// For s3:// logdirs: how long close() (and the destructor) keep retrying uploads that fail
  /// before giving up; what is left stays in the spool for `tblog upload`. It holds whatever the
  /// server does: an upload still in flight then is cut off.
  std::chrono::milliseconds close_upload_timeout{60000};
  /// For s3:// logdirs: where events wait for their upload. Empty: $TBLOG_SPOOL_DIR, else
  /// $XDG_CACHE_HOME/tblog/spool, else ~/.cache/tblog/spool.
  std::string spool_dir;
};

/// Bucket edges for add_histogram: k+1 ascending edges make k buckets.
using BucketEdges = std::vector<double>;

/// The optional parts of add_histogram, named so that neither can be passed for the other.
struct HistogramOptions {
  BucketEdges edges;                ///< empty: TensorBoard's default exponential layout
  std::optional<double> wall_time;  ///< empty: now
};

class TBLOG_API SummaryWriter {
 public:
  /// Creates `logdir` (and parents) and a new event file in it. Throws IoError naming the
  /// directory if it cannot be created or written.
  ///
  /// `logdir` may be an object-storage URL, "s3://bucket/prefix/run" (docs/remote-storage.md):
  /// events go to a local spool first and are uploaded as objects written once, off the caller's
  /// thread. Settings come from the environment TensorBoard and AWS tools read (S3_ENDPOINT,
  /// AWS_ACCESS_KEY_ID...). Throws RemoteError naming the endpoint and bucket and quoting the
  /// server when it cannot be reached or refuses (wrong keys, no such bucket).
  explicit SummaryWriter(const std::string& logdir, WriterOptions options = {});
  /// Writes to a sink of your own (tblog/sink.hpp): the same events, the file's head
  /// (file_version, and purge_step's SessionLog START) first. logdir() is empty, and
  /// add_embedding, which writes files beside the events, is refused. Throws InvalidArgument for
  /// a null sink and IoError when its first write fails.
  explicit SummaryWriter(std::unique_ptr<Sink> sink, WriterOptions options = {});
  /// Flushes everything and closes the file. Never throws; a pending error is lost, so call
  /// close() first when you want to know.
  ~SummaryWriter();

  SummaryWriter(const SummaryWriter&) = delete;
  SummaryWriter& operator=(const SummaryWriter&) = delete;

  /// wall_time defaults to now, in seconds since the Unix epoch: the call reads the CPU's tick
  /// counter (7 ns against the clock's 18) and the writer thread converts it between two clock
  /// readings around the batch, which keeps it within a microsecond or so of the clock.
  void add_scalar(std::string_view tag, double value, std::int64_t step,
                  std::optional<double> wall_time = std::nullopt);

  /// A histogram of n values (copied and bucketed on the writer thread; bucketed on the calling
  /// thread instead when the copy does not fit in the queue, rather than wait). NaN and +/-Inf are
  /// left out of the buckets. Throws InvalidArgument when n == 0 or the edges are not ascending.
  void add_histogram(std::string_view tag, const float* values, std::size_t n, std::int64_t step,
                     const HistogramOptions& options = {});
  void add_histogram(std::string_view tag, const double* values, std::size_t n, std::int64_t step,
                     const HistogramOptions& options = {});
  template <typename Container>
  void add_histogram(std::string_view tag, const Container& values, std::int64_t step,
                     const HistogramOptions& options = {}) {
    add_histogram(tag, values.data(), values.size(), step, options);
  }

  /// A histogram bucketed elsewhere (make_histogram, histogram_from_default_counts, a GPU):
  /// rows of ascending, non-overlapping finite buckets. Throws InvalidArgument otherwise.
  void add_histogram_data(std::string_view tag, Histogram histogram, std::int64_t step,
                          std::optional<double> wall_time = std::nullopt);

  /// An 8-bit HxWxC image, PNG-encoded on the writer thread (on the calling thread instead when
  /// its pixels do not fit in the queue, rather than wait).
  void add_image(std::string_view tag, Image image, std::int64_t step,
                 std::optional<double> wall_time = std::nullopt);

  /// Several images of one size under one tag at one step: the IMAGES dashboard's sample slider.
  void add_images(std::string_view tag, std::vector<Image> images, std::int64_t step,
                  std::optional<double> wall_time = std::nullopt);

  /// An animation (frames of one size), written as an animated GIF shown in IMAGES.
  void add_video(std::string_view tag, std::vector<Image> frames, std::int64_t step,
                 const VideoOptions& options = {});

  /// Related scalars on one chart without extra runs: writes "<main_tag>/<name>" for each pair in
  /// this run and, the first time a main_tag is seen, a CUSTOM SCALARS chart drawing all of them.
  /// (PyTorch's add_scalars makes a run directory per name instead.)
  void add_scalars(std::string_view main_tag,
                   const std::vector<std::pair<std::string, double>>& values, std::int64_t step,
                   std::optional<double> wall_time = std::nullopt);

  /// A PR curve from predictions in [0, 1] and their true labels (see compute_pr_curve).
  void add_pr_curve(std::string_view tag, const std::vector<float>& predictions,
                    const std::vector<bool>& labels, std::int64_t step,
                    const PrCurveOptions& options = {});
  /// A PR curve from counts you computed (six rows of equal length >= 2).
  void add_pr_curve_data(std::string_view tag, const PrCurveData& data, std::int64_t step,
                         std::optional<double> wall_time = std::nullopt);
  /// One curve per class, "<tag>/<class name>", from row-major scores (rows x classes, each in
  /// [0, 1], e.g. softmax outputs) and each row's true class in 0..classes-1.
  void add_pr_curves(std::string_view tag, const std::vector<float>& scores,
                     const std::vector<int>& labels, const std::vector<std::string>& class_names,
                     std::int64_t step, const PrCurveOptions& options = {});

  /// A sound clip (16-bit WAV) with an optional Markdown label shown beside the player.
  void add_audio(std::string_view tag, Audio audio, std::int64_t step,
                 std::string_view label_markdown = {},
                 std::optional<double> wall_time = std::nullopt);

  /// A point cloud or triangle mesh (MESH dashboard).
  void add_mesh(std::string_view tag, Mesh mesh, std::int64_t step,
                std::optional<double> wall_time = std::nullopt);

  /// The model graph (GRAPHS dashboard). Throws InvalidArgument for an empty graph, duplicate or
  /// empty names, and inputs naming no node.
  void add_graph(const Graph& graph);
  /// One step's per-node compute time and memory, selectable under `tag` in GRAPHS.
  void add_run_metadata(std::string_view tag, std::vector<NodeStats> stats, std::int64_t step);
  /// A model's layers as GRAPHS' conceptual graph, selectable under `tag` (as Keras writes its
  /// model under "keras"). Throws InvalidArgument for a model without layers, an empty, repeated
  /// or '/'-holding name, and inputs naming no earlier sibling (ModelLayer says what they mean).
  void add_conceptual_graph(std::string_view tag, const ModelLayer& model, std::int64_t step = 0,
                            std::optional<double> wall_time = std::nullopt);

  /// Points for the PROJECTOR: writes the tensor, labels and sprite beside the event file and keeps
  /// projector_config.pbtxt listing every embedding of the directory (also those added by other
  /// writers of the same run). Shown as "<tag>@<step>".
  void add_embedding(std::string_view tag, Embedding embedding, std::int64_t step);

  /// Markdown text (tables and fenced code render in the TEXT dashboard).
  void add_text(std::string_view tag, std::string_view markdown, std::int64_t step,
                std::optional<double> wall_time = std::nullopt);

  /// Any plugin's summary: the primitive under the add_* calls, for a plugin tblog has none for
  /// (an opt-in header of your own can wrap it, as tblog::torch wraps tensors). Its plugin data
  /// goes with the tag's first value in each file, as TensorBoard's plugins expect. Throws
  /// InvalidArgument for an empty plugin name, a negative dimension, or a shape whose element
  /// count differs from the numbers (strings for kString) given.
  void add_summary(std::string_view tag, PluginSummary summary, std::int64_t step,
                   std::optional<double> wall_time = std::nullopt);

  /// HParams: the experiment definition (usually in a sweep's root directory) ...
  void add_hparams_experiment(const HParamsExperiment& experiment);
  /// ... and this run's session: its hyperparameter values, then its end status.
  /// group_name empty: the run is its own group.
  void add_hparams_session_start(const HParams& hparams, const std::string& group_name = {});
  void add_hparams_session_end(SessionStatus status);

  /// Custom-scalar layout (written at step 0; TensorBoard merges the layouts of all runs). Merged
  /// with earlier layouts and add_scalars charts of this writer: a category of the same title
  /// replaces the earlier one.
  void add_custom_scalar_layout(const Layout& layout);

  /// Writes everything logged so far to the file and waits for it. Throws if the writer thread
  /// met an error: IoError when the file system refused (disk full...), Error when a summary
  /// could not be encoded. What was written before the error stays readable.
  ///
  /// On an s3:// logdir the events are then in the local spool (a crash of this process loses
  /// none of them: the next writer of the run, or `tblog upload`, uploads them) and a new object
  /// with them starts uploading; flush() does not wait for the network.
  void flush();
  /// Flushes and closes; later add_* calls throw. Throws like flush(). Idempotent.
  /// On an s3:// logdir it waits for the uploads (retrying up to
  /// WriterOptions::close_upload_timeout) and throws RemoteError saying what could not be
  /// uploaded and where it is kept.
  void close();

  /// The first error of the writer thread, empty while all is well. Never throws.
  std::string error() const;
  /// For an s3:// logdir: what waits to be uploaded, and why while uploads fail (failed uploads
  /// are retried and do not make error() say anything: nothing is lost while they wait in the
  /// spool). All zero for a local logdir. Never throws.
  UploadBacklog upload_backlog() const;
  /// The event file; for an s3:// logdir the URL its objects' names start with (each object adds
  /// a sequence number).
  const std::string& path() const;
  /// The logdir given; empty for a writer of a sink of its own.
  const std::string& logdir() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tblog
