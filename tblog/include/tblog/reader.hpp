/// @file
/// Reading event files back: the events of one file, the runs of a logdir.
/// Reads what tblog writes and what other writers (TensorBoard's, PyTorch's, tensorboardX)
/// write: legacy simple_value / histo / image values as well as plugin tensors.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>
#include "tblog/byte_source.hpp"
#include "tblog/export.hpp"

#include "tblog/embedding.hpp"
#include "tblog/graph.hpp"
#include "tblog/histogram.hpp"
#include "tblog/summary_tensor.hpp"

namespace tblog {

enum class ValueKind {
  kScalar,
  kHistogram,
  kImage,
  kText,
  kHParams,
  kCustomScalars,
  kPrCurve,
  kAudio,
  kMesh,
  kConceptualGraph,
  kOther
};
TBLOG_API const char* to_string(ValueKind kind);

/// Blobs as TensorBoard's data providers serve a value: for images "width", "height", then each
/// encoded image (PNG, GIF...); for audio each encoded clip (WAV).
struct BlobSequence {
  std::vector<std::string> blobs;
};

/// What a summary value holds, by TensorBoard's data class (its `data_compat`): nothing, a scalar,
/// a tensor or a blob sequence. Each kind's decoder (in tblog/src/kinds) says which, and how a
/// legacy value (simple_value, histo, image) converts: docs/summary-kinds.md lists them.
using SummaryData = std::variant<std::monostate, double, SummaryTensor, BlobSequence>;

struct SummaryValue {
  std::string tag;
  std::string plugin;  ///< plugin name ("scalars", "histograms", "images", "text", ...)
  ValueKind kind = ValueKind::kOther;
  /// scalars: double; histograms: float64 [k, 3] rows (left, right, count); images: blobs;
  /// audio: blobs, labels in `labels`; text, custom scalars: string tensor; PR curves: [6, n]
  /// rows (tp, fp, tn, fn, precision, recall); mesh: [1, n, 3]; conceptual graphs: one blob, the
  /// model's Keras JSON; other plugins: their tensor.
  SummaryData data;
  std::vector<std::string> labels;  ///< audio: the Markdown label of each clip
  std::string plugin_content;       ///< raw SummaryMetadata.plugin_data.content
  bool has_metadata = false;        ///< this value carried SummaryMetadata itself

  /// The scalar it holds (kScalar), NaN for other values.
  double scalar() const {
    const double* value = std::get_if<double>(&data);
    return value ? *value : std::numeric_limits<double>::quiet_NaN();
  }
  /// The tensor it holds, or nullptr.
  const SummaryTensor* tensor() const { return std::get_if<SummaryTensor>(&data); }
  /// The blobs it holds, or nullptr.
  const BlobSequence* blobs() const { return std::get_if<BlobSequence>(&data); }
};

/// One line describing a value, as `tblog cat` prints it: "scalar 0.25", "histogram 30 buckets,
/// 1000 values in [-2.1, 2.3]", "image 28x28 (1 encoded, 812 bytes)"... Each kind says it.
TBLOG_API std::string describe(const SummaryValue& value);
/// The value as one JSON object, as `tblog cat --format jsonl` prints it: tag, kind, plugin and
/// what the kind holds ("value", "buckets", "width"...).
TBLOG_API std::string describe_json(const SummaryValue& value);

struct Event {
  double wall_time = 0;
  std::int64_t step = 0;
  std::string file_version;      ///< set on the first event of a file
  int session_log_status = 0;    ///< SessionLog status: 0 none, 1 START, 2 STOP, 3 CHECKPOINT
  bool has_graph = false;        ///< the event holds a model graph (GRAPHS)
  Graph graph;                   ///< its nodes, output shapes and attributes
  std::string run_metadata_tag;  ///< non-empty: the event holds one step's node statistics
  std::vector<NodeStats> run_metadata;
  std::vector<SummaryValue> values;
};

enum class ReadStatus {
  kEvent,     ///< `event` holds the next event
  kEnd,       ///< clean end of file
  kTornTail,  ///< the last record is incomplete (still being written, or the writer crashed)
  kCorrupt,   ///< damaged bytes or a record that is not an Event; error() says where
};

class TBLOG_API EventFileReader {
 public:
  explicit EventFileReader(const std::string& path);  ///< throws IoError
  /// Reads `source` (tblog/byte_source.hpp: a file, memory, or a caller's own).
  explicit EventFileReader(std::unique_ptr<ByteSource> source);
  ~EventFileReader();
  EventFileReader(EventFileReader&&) noexcept;
  EventFileReader& operator=(EventFileReader&&) noexcept;

  ReadStatus next(Event& event);
  /// After kCorrupt: continue at the next valid record. False if there is none.
  bool skip_corruption();
  /// After kCorrupt: whether the record framing was damaged (the record layer) or a well-framed
  /// record did not hold a valid Event (the event layer).
  enum class Layer { kRecord, kEvent };
  Layer corruption_layer() const;

  /// "<file>: <what> at byte offset N" after kTornTail / kCorrupt.
  const std::string& error() const;
  std::uint64_t offset() const;
  const std::string& path() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

/// What to do where a file holds damaged bytes or an inconsistent event.
enum class OnCorruption {
  kStop,  ///< stop reading that file there
  kSkip,  ///< go on at the next valid record (what a tolerant summary reader wants)
};

/// What reading one whole file found.
struct FileReadReport {
  std::size_t events = 0;               ///< events passed to the callback
  std::vector<std::string> corruption;  ///< "<file>: <what> at byte offset N", one per damage
  /// The layer that found the first damage (record framing or event decoding).
  EventFileReader::Layer first_corruption_layer = EventFileReader::Layer::kRecord;
  std::string torn_tail;  ///< non-empty when the file ends inside a record
};

/// Calls `on_event` for every event of the file at `path`, in order. Throws IoError if the file
/// cannot be opened; damage never throws, it is reported. The Event passed is reused between
/// calls: copy what must outlive the call.
TBLOG_API FileReadReport for_each_event(const std::string& path, OnCorruption policy,
                                        const std::function<void(const Event&)>& on_event);
/// The same over any byte source.
TBLOG_API FileReadReport for_each_event(std::unique_ptr<ByteSource> source, OnCorruption policy,
                                        const std::function<void(const Event&)>& on_event);

/// Reads every event of a file; throws CorruptRecord or CorruptEvent (both CorruptData; file and
/// offset in the message) on corruption. A torn tail ends the list quietly unless `torn_tail` is
/// given, which is set.
TBLOG_API std::vector<Event> read_events(const std::string& path, bool* torn_tail = nullptr);

/// A run as TensorBoard sees it: a directory that directly holds event files.
struct RunFiles {
  std::string name;  ///< path relative to the logdir, "." for the logdir itself
  std::string directory;
  std::vector<std::string> event_files;  ///< in TensorBoard's (lexicographic) reading order
};

/// All runs below `logdir`, sorted by name. Throws IoError if logdir is not a directory.
/// Directories that cannot be listed are left out; the overload below says which.
TBLOG_API std::vector<RunFiles> find_runs(const std::string& logdir);

/// An entry of a logdir that could not be searched or read: reported, and the rest carries on.
struct LogdirProblem {
  std::string path;
  std::string reason;  ///< "Permission denied", "Too many levels of symbolic links"...
};
/// find_runs that reports, in `problems`, every directory it could not list (unreadable, a name
/// too long, nested deeper than 256 levels) and every event-file entry it could not stat (a
/// symlink loop, a dangling link). Directory symlinks are not followed, as before.
TBLOG_API std::vector<RunFiles> find_runs(const std::string& logdir,
                                          std::vector<LogdirProblem>& problems);

/// True when a file name is an event file to TensorBoard (its name contains "tfevents").
TBLOG_API bool is_event_file_name(const std::string& filename);

/// The largest step of any summary in the run directory `run_dir`, or nullopt if it has none.
/// Use it to resume: WriterOptions::purge_step = *last_step(dir) + 1.
TBLOG_API std::optional<std::int64_t> last_step(const std::string& run_dir);

/// An embedding of the PROJECTOR as a run directory's projector_config.pbtxt lists it.
struct StoredEmbedding {
  std::string name;        ///< the projector's tensor name, "<tag>@<step>" when tblog wrote it
  Embedding embedding;     ///< points and metadata columns (thumbnails are left in the sprite)
  std::string sprite_png;  ///< the sprite file, empty when there is none
  int sprite_tile_width = 0, sprite_tile_height = 0;
};
/// Every embedding of `run_dir` (none without a projector_config.pbtxt). Throws CorruptData naming
/// the file when the config, a tensor or a metadata file cannot be read as the config says.
TBLOG_API std::vector<StoredEmbedding> read_embeddings(const std::string& run_dir);

struct ScalarPoint {
  double wall_time;
  std::int64_t step;
  double value;
};
/// The points of one scalar tag of one run, in file order.
TBLOG_API std::vector<ScalarPoint> read_scalars(const RunFiles& run, const std::string& tag);

}  // namespace tblog
