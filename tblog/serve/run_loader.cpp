#include "run_loader.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <utility>

#include "data_compat.hpp"
#include "names.hpp"
#include "scalar_decoding.hpp"
#include "tblog/byte_source.hpp"
#include "tblog/error.hpp"
#include "tblog/event.pb.h"
#include "tblog/record.hpp"
#include "tblog/text.hpp"

namespace tblog::serve {
namespace {

// Records read per hold of a run's exclusive lock: long enough to make locking cheap, short
// enough that a request waits at most a few milliseconds behind a load.
constexpr std::size_t kRecordsPerLock = 4096;
constexpr std::size_t kBytesPerLock = std::size_t{16} << 20;

std::size_t default_capacity(DataClass data_class) {
  switch (data_class) {
    case DataClass::kScalar:
      return 1000;
    case DataClass::kTensor:
      return 100;
    case DataClass::kBlobSequence:
      return 10;
    default:
      return 0;
  }
}

TimeSeries new_series(pb::SummaryMetadata metadata, const SamplingPlan& plan) {
  TimeSeries series;
  series.metadata = std::move(metadata);
  series.plugin_name = series.metadata.plugin_data().plugin_name();
  series.data_class = data_class_of(series.metadata);
  const std::size_t capacity = plan.capacity(series.plugin_name, series.data_class);
  switch (series.data_class) {
    case DataClass::kScalar:
      series.points.emplace<ScalarReservoir>(capacity);
      break;
    case DataClass::kTensor:
      series.points.emplace<TensorReservoir>(capacity);
      break;
    case DataClass::kBlobSequence:
      series.points.emplace<BlobSequenceReservoir>(capacity);
      break;
    default:
      break;
  }
  return series;
}

// One summary value into its series (created from it when it is the tag's first).
void offer(RunData& run, const SamplingPlan& plan, std::int64_t step, double wall_time,
           pb::Summary::Value& value) {
  if (value.value_case() == pb::Summary::Value::VALUE_NOT_SET) return;
  std::string tag = valid_utf8(value.tag());
  auto found = run.series.find(tag);
  if (found == run.series.end()) {
    found = run.series.emplace(std::move(tag), new_series(initial_metadata(value), plan)).first;
  }
  TimeSeries& series = found->second;
  if (auto* scalars = std::get_if<ScalarReservoir>(&series.points)) {
    if (const auto scalar = to_scalar(value)) {
      scalars->offer({step, wall_time, *scalar});
    } else {
      scalars->preempt(step);  // a value that is not a scalar still rewrites its step
    }
  } else if (auto* tensors = std::get_if<TensorReservoir>(&series.points)) {
    if (auto tensor = to_tensor(value)) {
      tensors->offer({step, wall_time, std::move(*tensor)});
    } else {
      tensors->preempt(step);
    }
  } else if (auto* blobs = std::get_if<BlobSequenceReservoir>(&series.points)) {
    if (auto sequence = to_blob_sequence(value, series.plugin_name)) {
      blobs->offer({step, wall_time, std::move(*sequence)});
    } else {
      blobs->preempt(step);
    }
  }
}

void offer_blob(RunData& run, const SamplingPlan& plan, const std::string& tag,
                pb::SummaryMetadata (*metadata)(), std::int64_t step, double wall_time,
                std::string blob) {
  auto found = run.series.find(tag);
  if (found == run.series.end())
    found = run.series.emplace(tag, new_series(metadata(), plan)).first;
  if (auto* blobs = std::get_if<BlobSequenceReservoir>(&found->second.points)) {
    std::vector<std::string> sequence;
    sequence.push_back(std::move(blob));
    blobs->offer({step, wall_time, std::move(sequence)});
  }
}

// A SessionLog START at `step`: the job restarted there, so what the run holds from `step` on
// is stale (TensorBoard purges it too).
void purge_from(RunData& run, std::int64_t step) {
  for (auto& [tag, series] : run.series) {
    std::visit(
        [step](auto& points) {
          if constexpr (!std::is_same_v<std::decay_t<decltype(points)>, std::monostate>) {
            points.preempt(step);
          }
        },
        series.points);
  }
}

// Before readers see the run again: every reservoir holds its sample alone (reservoir.hpp).
void settle(RunData& run) {
  for (auto& [tag, series] : run.series) {
    std::visit(
        [](auto& points) {
          if constexpr (!std::is_same_v<std::decay_t<decltype(points)>, std::monostate>) {
            points.settle();
          }
        },
        series.points);
  }
}

// An event holding only simple_value scalars with ASCII tags (what tblog, PyTorch and
// tensorboardX write for add_scalar), decoded by hand (scalar_decoding.hpp) rather than through
// protobuf: most of a logdir's records, and a third of the load time when they went through it.
void read_scalar_event(RunData& run, const SamplingPlan& plan, const Event& event) {
  const double wall_time = event.wall_time;
  if (std::isnan(wall_time)) return;
  if (!run.start_time || wall_time < *run.start_time) run.start_time = wall_time;
  for (const SummaryValue& value : event.values) {
    auto found = run.series.find(std::string_view(value.tag));
    if (found == run.series.end()) {
      pb::Summary::Value first;
      first.set_simple_value(static_cast<float>(value.scalar()));
      found = run.series.emplace(value.tag, new_series(initial_metadata(first), plan)).first;
    }
    if (auto* scalars = std::get_if<ScalarReservoir>(&found->second.points)) {
      scalars->offer({event.step, wall_time, static_cast<float>(value.scalar())});
    }
  }
}

void read_event(RunData& run, const SamplingPlan& plan, pb::Event& event) {
  const double wall_time = event.wall_time();
  if (std::isnan(wall_time)) return;  // no place in time: TensorBoard drops it too
  if (!run.start_time || wall_time < *run.start_time) run.start_time = wall_time;
  const std::int64_t step = event.step();
  switch (event.what_case()) {
    case pb::Event::kSummary:
      for (pb::Summary::Value& value : *event.mutable_summary()->mutable_value()) {
        offer(run, plan, step, wall_time, value);
      }
      break;
    case pb::Event::kGraphDef:
      offer_blob(run, plan, kRunGraphTag, graph_metadata, step, wall_time,
                 std::move(*event.mutable_graph_def()));
      break;
    case pb::Event::kTaggedRunMetadata:
      offer_blob(run, plan, valid_utf8(event.tagged_run_metadata().tag()),
                 tagged_run_metadata_metadata, step, wall_time,
                 std::move(*event.mutable_tagged_run_metadata()->mutable_run_metadata()));
      break;
    case pb::Event::kSessionLog:
      if (event.session_log().status() == pb::SessionLog::START) purge_from(run, step);
      break;
    default:
      break;
  }
}

}  // namespace

std::size_t SamplingPlan::capacity(const std::string& plugin_name, DataClass data_class) const {
  if (data_class == DataClass::kUnknown) return 0;
  const auto given = per_plugin.find(plugin_name);
  return given != per_plugin.end() ? given->second : default_capacity(data_class);
}

struct RunLoader::EventFile {
  std::unique_ptr<RecordReader> reader;    // open during a pass only: 10,000 files, no descriptor
  std::uint64_t offset = 0;                // where the next pass goes on
  bool done = false;                       // read to its end (write-once): not looked at again
  std::uint64_t reported_at = UINT64_MAX;  // where the last problem reported was
  std::size_t undecodable = 0, undecodable_reported = 0;
  bool failing = false;  // the last pass failed on it (said once until a pass succeeds)
};

RunLoader::RunLoader(std::shared_ptr<RunData> data, const SamplingPlan& plan, LogLine warn)
    : data_(std::move(data)), plan_(plan), warn_(std::move(warn)) {}

RunLoader::~RunLoader() = default;

std::size_t RunLoader::reload(const std::vector<std::string>& files, bool write_once) {
  // A file that is gone is closed; one that comes back later is read from its start again.
  // (A sorted copy to look names up in: runs of thousands of objects made this quadratic.)
  std::vector<std::string_view> listed(files.begin(), files.end());
  std::sort(listed.begin(), listed.end());
  for (auto it = files_.begin(); it != files_.end();) {
    it = std::binary_search(listed.begin(), listed.end(), std::string_view(it->first))
             ? std::next(it)
             : files_.erase(it);
  }
  std::size_t records = 0;
  for (const std::string& name : files) {
    auto& file = files_[name];
    if (!file) file = std::make_unique<EventFile>();
    if (!file->done) records += read_file(name, *file, write_once);
  }
  return records;
}

std::size_t RunLoader::read_file(const std::string& name, EventFile& file, bool write_once) {
  std::size_t records = 0;
  // Reports a problem once per place in the file, not on every pass that finds it again.
  auto report = [&](const std::string& what) {
    if (file.reported_at == file.reader->offset()) return;
    file.reported_at = file.reader->offset();
    warn_(printable_text(what));
  };
  try {
    std::unique_ptr<ByteSource> source = open_source(name);
    if (source->size() < file.offset) {
      // Cut short or written anew: what it holds now is read from its start.
      warn_(printable_text(name) + ": shorter than the " + std::to_string(file.offset) +
            " bytes read before; read again from its start");
      file.offset = 0;
    }
    file.reader = std::make_unique<RecordReader>(std::move(source));
    file.reader->seek(file.offset);
    std::vector<std::string> batch(kRecordsPerLock);
    bool more = true;
    while (more) {
      // Records are read with no lock held (a remote read may take a while), then decoded into
      // the run under its lock.
      std::size_t count = 0;
      std::size_t bytes = 0;
      while (count < batch.size() && bytes < kBytesPerLock) {
        const RecordStatus status = file.reader->next(batch[count]);
        if (status == RecordStatus::kOk) {
          bytes += batch[count].size();
          ++count;
          continue;
        }
        more = false;
        if (status == RecordStatus::kEnd) {
          file.done = write_once;
        } else if (status == RecordStatus::kCorrupt) {
          report(file.reader->error() + "; skipping to the next valid record");
          more = file.reader->skip_to_next_valid_record();
          if (!more) file.done = write_once;
        } else if (write_once) {  // a torn tail in an object that never grows: its end
          report(file.reader->error());
          file.done = true;
        }
        break;
      }
      records += count;
      std::unique_lock lock(data_->mutex);
      for (std::size_t i = 0; i < count; ++i) {
        if (detail::decode_scalar_event(batch[i], scalar_event_)) {
          read_scalar_event(*data_, plan_, scalar_event_);
        } else if (event_.ParseFromString(batch[i])) {
          read_event(*data_, plan_, event_);
        } else {
          ++file.undecodable;
        }
      }
      settle(*data_);
      file.offset = file.reader->offset();  // everything before it is in the run now
    }
    file.reader.reset();
    if (file.undecodable > file.undecodable_reported) {
      file.undecodable_reported = file.undecodable;
      warn_(printable_text(name) + ": " + std::to_string(file.undecodable) +
            " record(s) with valid checksums are not Events; left out");
    }
  } catch (const RemoteTimeout&) {
    // The object store did not answer: the caller stops this pass (every further object would
    // wait for it too) and says so once.
    file.reader.reset();
    throw;
  } catch (const std::exception& e) {
    // Vanished, unreadable, or its server failed: reported once, and tried again each pass after
    // the last batch decoded.
    file.reader.reset();
    if (!file.failing) warn_(printable_text(e.what()) + " (tried again each pass)");
    file.failing = true;
    return records;
  }
  file.failing = false;
  return records;
}

}  // namespace tblog::serve
