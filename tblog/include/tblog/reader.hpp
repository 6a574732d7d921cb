/// @file
/// Reading event files back: the events of one file, the runs of a logdir.
/// Reads what tblog writes and what other writers (TensorBoard's, PyTorch's, tensorboardX)
/// write: legacy simple_value / histo / image values as well as plugin tensors.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include "tblog/byte_source.hpp"
#include "tblog/export.hpp"

#include "tblog/embedding.hpp"
#include "tblog/graph.hpp"
#include "tblog/histogram.hpp"

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
  kOther
};
TBLOG_API const char* to_string(ValueKind kind);

struct SummaryValue {
  std::string tag;
  std::string plugin;  ///< plugin name ("scalars", "histograms", "images", "text", ...)
  ValueKind kind = ValueKind::kOther;
  double scalar = 0;                       ///< kScalar
  std::vector<HistogramBucket> histogram;  ///< kHistogram: (left, right, count) rows
  int image_width = 0;                     ///< kImage
  int image_height = 0;
  std::vector<std::string> images;  ///< kImage: encoded image files (PNG...)
  std::string text;                 ///< kText: the markdown (cells joined by newlines)
  /// kPrCurve: [6, thresholds] rows (tp, fp, tn, fn, precision, recall); kMesh: [1, n, 3] of the
  /// part named by mesh_part. Row-major.
  std::vector<double> tensor;
  std::vector<std::int64_t> tensor_shape;
  std::string mesh_name;  ///< kMesh: the mesh's tag as written (values are "<name>_VERTEX"...)
  std::string mesh_part;  ///< kMesh: "VERTEX", "FACE" or "COLOR"
  std::vector<std::string> audio;         ///< kAudio: encoded clips (WAV)
  std::vector<std::string> audio_labels;  ///< kAudio: the Markdown label of each clip
  std::string plugin_content;             ///< raw SummaryMetadata.plugin_data.content
  bool has_metadata = false;              ///< this value carried SummaryMetadata itself
};

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
