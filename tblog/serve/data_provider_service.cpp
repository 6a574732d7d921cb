#include "data_provider_service.hpp"

#include <algorithm>
#include <mutex>
#include <set>
#include <unordered_set>

#include "blob_key.hpp"
#include "downsample.hpp"

namespace tblog::serve {
namespace data = tensorboard::data;
namespace {

// Runs or tags a request asks for: all when the filter is missing, none when it is empty.
class NameFilter {
 public:
  NameFilter(bool present, const google::protobuf::RepeatedPtrField<std::string>& names)
      : all_(!present), names_(names.begin(), names.end()) {}
  bool wants(const std::string& name) const { return all_ || names_.count(name) != 0; }

 private:
  bool all_;
  std::unordered_set<std::string> names_;
};

// What every List* and Read* request has: a plugin (required) and runs and tags.
struct Selection {
  std::string plugin;
  NameFilter runs;
  NameFilter tags;
};

template <typename Request>
grpc::Status select(const Request& request, std::optional<Selection>& selection) {
  if (request.plugin_filter().plugin_name().empty()) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "must specify non-empty plugin name"};
  }
  const auto& filter = request.run_tag_filter();
  selection.emplace(Selection{request.plugin_filter().plugin_name(),
                              NameFilter(filter.has_runs(), filter.runs().names()),
                              NameFilter(filter.has_tags(), filter.tags().names())});
  return grpc::Status::OK;
}

template <typename Request>
grpc::Status points_wanted(const Request& request, std::size_t& num_points) {
  if (!request.has_downsample()) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "must specify downsample"};
  }
  const std::int64_t n = request.downsample().num_points();
  if (n < 0) {
    return {grpc::StatusCode::INVALID_ARGUMENT,
            "num_points must be non-negative; got " + std::to_string(n)};
  }
  num_points = static_cast<std::size_t>(n);
  return grpc::Status::OK;
}

// Calls `visit(run name, tag, series, points)` for every series of data class `Points` that the
// selection wants and that has points, each run under its shared lock.
template <typename Points, typename Visit>
void for_each_series(const LogdirLoader& logdir, const Selection& selection, Visit visit) {
  for (const auto& [run_name, run] : logdir.runs()) {
    if (!selection.runs.wants(run_name)) continue;
    std::shared_lock lock(run->mutex);
    for (const auto& [tag, series] : run->series) {
      if (series.plugin_name != selection.plugin || !selection.tags.wants(tag)) continue;
      const auto* points = std::get_if<Points>(&series.points);
      if (points == nullptr || points->points().empty()) continue;
      visit(run_name, tag, series, points->points());
    }
  }
}

// The run's entry in `response`, added on its first tag (runs without tags are left out).
template <typename Response>
auto& run_entry(Response& response, const std::string& run_name) {
  if (response.runs_size() == 0 || response.runs(response.runs_size() - 1).run_name() != run_name) {
    response.add_runs()->set_run_name(run_name);
  }
  return *response.mutable_runs(response.runs_size() - 1);
}

template <typename Metadata, typename Point>
void describe(Metadata& metadata, const TimeSeries& series, const std::vector<Point>& points) {
  metadata.set_max_step(points.back().step);
  double max_wall_time = points.front().wall_time;
  for (const Point& point : points) {
    const double wall_time = point.wall_time;  // a copy: ScalarPoint is packed
    if (wall_time > max_wall_time) max_wall_time = wall_time;
  }
  metadata.set_max_wall_time(max_wall_time);
  *metadata.mutable_summary_metadata() = series.metadata;
}

}  // namespace

grpc::Status DataProviderService::GetExperiment(grpc::ServerContext*,
                                                const data::GetExperimentRequest*,
                                                data::GetExperimentResponse* response) {
  response->set_data_location(logdir_.logdir());
  return grpc::Status::OK;
}

grpc::Status DataProviderService::ListPlugins(grpc::ServerContext*, const data::ListPluginsRequest*,
                                              data::ListPluginsResponse* response) {
  std::set<std::string> names;
  for (const auto& [run_name, run] : logdir_.runs()) {
    std::shared_lock lock(run->mutex);
    for (const auto& [tag, series] : run->series) {
      if (series.data_class != DataClass::kUnknown) names.insert(series.plugin_name);
    }
  }
  for (const std::string& name : names) response->add_plugins()->set_name(name);
  return grpc::Status::OK;
}

grpc::Status DataProviderService::ListRuns(grpc::ServerContext*, const data::ListRunsRequest*,
                                           data::ListRunsResponse* response) {
  std::vector<std::pair<double, std::string>> started;
  for (const auto& [run_name, run] : logdir_.runs()) {
    std::shared_lock lock(run->mutex);
    if (run->start_time) started.emplace_back(*run->start_time, run_name);
  }
  std::stable_sort(started.begin(), started.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [start_time, name] : started) {
    data::Run* run = response->add_runs();
    run->set_name(name);
    run->set_start_time(start_time);
  }
  return grpc::Status::OK;
}

grpc::Status DataProviderService::ListScalars(grpc::ServerContext*,
                                              const data::ListScalarsRequest* request,
                                              data::ListScalarsResponse* response) {
  std::optional<Selection> selection;
  if (auto status = select(*request, selection); !status.ok()) return status;
  for_each_series<ScalarReservoir>(
      logdir_, *selection,
      [&](const std::string& run, const std::string& tag, const TimeSeries& series,
          const std::vector<ScalarPoint>& points) {
        auto* entry = run_entry(*response, run).add_tags();
        entry->set_tag_name(tag);
        describe(*entry->mutable_metadata(), series, points);
      });
  return grpc::Status::OK;
}

grpc::Status DataProviderService::ReadScalars(grpc::ServerContext*,
                                              const data::ReadScalarsRequest* request,
                                              data::ReadScalarsResponse* response) {
  std::optional<Selection> selection;
  std::size_t num_points = 0;
  if (auto status = select(*request, selection); !status.ok()) return status;
  if (auto status = points_wanted(*request, num_points); !status.ok()) return status;
  for_each_series<ScalarReservoir>(
      logdir_, *selection,
      [&](const std::string& run, const std::string& tag, const TimeSeries&,
          const std::vector<ScalarPoint>& points) {
        auto* entry = run_entry(*response, run).add_tags();
        entry->set_tag_name(tag);
        data::ScalarData& out = *entry->mutable_data();
        const std::vector<std::size_t> kept = downsample(points.size(), num_points);
        out.mutable_step()->Reserve(static_cast<int>(kept.size()));
        out.mutable_wall_time()->Reserve(static_cast<int>(kept.size()));
        out.mutable_value()->Reserve(static_cast<int>(kept.size()));
        for (std::size_t i : kept) {
          out.add_step(points[i].step);
          out.add_wall_time(points[i].wall_time);
          out.add_value(static_cast<float>(points[i].value));
        }
      });
  return grpc::Status::OK;
}

grpc::Status DataProviderService::ListTensors(grpc::ServerContext*,
                                              const data::ListTensorsRequest* request,
                                              data::ListTensorsResponse* response) {
  std::optional<Selection> selection;
  if (auto status = select(*request, selection); !status.ok()) return status;
  for_each_series<TensorReservoir>(
      logdir_, *selection,
      [&](const std::string& run, const std::string& tag, const TimeSeries& series,
          const std::vector<TensorPoint>& points) {
        auto* entry = run_entry(*response, run).add_tags();
        entry->set_tag_name(tag);
        describe(*entry->mutable_metadata(), series, points);
      });
  return grpc::Status::OK;
}

grpc::Status DataProviderService::ReadTensors(grpc::ServerContext*,
                                              const data::ReadTensorsRequest* request,
                                              data::ReadTensorsResponse* response) {
  std::optional<Selection> selection;
  std::size_t num_points = 0;
  if (auto status = select(*request, selection); !status.ok()) return status;
  if (auto status = points_wanted(*request, num_points); !status.ok()) return status;
  for_each_series<TensorReservoir>(logdir_, *selection,
                                   [&](const std::string& run, const std::string& tag,
                                       const TimeSeries&, const std::vector<TensorPoint>& points) {
                                     auto* entry = run_entry(*response, run).add_tags();
                                     entry->set_tag_name(tag);
                                     data::TensorData& out = *entry->mutable_data();
                                     for (std::size_t i : downsample(points.size(), num_points)) {
                                       out.add_step(points[i].step);
                                       out.add_wall_time(points[i].wall_time);
                                       // Stored serialized (leaner); it parsed when it was read, so
                                       // it parses again.
                                       out.add_value()->ParseFromString(points[i].tensor);
                                     }
                                   });
  return grpc::Status::OK;
}

grpc::Status DataProviderService::ListBlobSequences(grpc::ServerContext*,
                                                    const data::ListBlobSequencesRequest* request,
                                                    data::ListBlobSequencesResponse* response) {
  std::optional<Selection> selection;
  if (auto status = select(*request, selection); !status.ok()) return status;
  for_each_series<BlobSequenceReservoir>(
      logdir_, *selection,
      [&](const std::string& run, const std::string& tag, const TimeSeries& series,
          const std::vector<BlobSequencePoint>& points) {
        auto* entry = run_entry(*response, run).add_tags();
        entry->set_tag_name(tag);
        data::BlobSequenceMetadata& metadata = *entry->mutable_metadata();
        describe(metadata, series, points);
        std::size_t max_length = 0;
        for (const BlobSequencePoint& point : points) {
          max_length = std::max(max_length, point.blobs.size());
        }
        metadata.set_max_length(static_cast<std::int64_t>(max_length));
      });
  return grpc::Status::OK;
}

grpc::Status DataProviderService::ReadBlobSequences(grpc::ServerContext*,
                                                    const data::ReadBlobSequencesRequest* request,
                                                    data::ReadBlobSequencesResponse* response) {
  std::optional<Selection> selection;
  std::size_t num_points = 0;
  if (auto status = select(*request, selection); !status.ok()) return status;
  if (auto status = points_wanted(*request, num_points); !status.ok()) return status;
  for_each_series<BlobSequenceReservoir>(
      logdir_, *selection,
      [&](const std::string& run, const std::string& tag, const TimeSeries&,
          const std::vector<BlobSequencePoint>& points) {
        auto* entry = run_entry(*response, run).add_tags();
        entry->set_tag_name(tag);
        data::BlobSequenceData& out = *entry->mutable_data();
        BlobKey key{request->experiment_id(), run, tag, 0, 0};
        for (std::size_t i : downsample(points.size(), num_points)) {
          out.add_step(points[i].step);
          out.add_wall_time(points[i].wall_time);
          data::BlobReferenceSequence& refs = *out.add_values();
          key.step = points[i].step;
          for (key.index = 0; key.index < points[i].blobs.size(); ++key.index) {
            refs.add_blob_refs()->set_blob_key(encode_blob_key(key));
          }
        }
      });
  return grpc::Status::OK;
}

grpc::Status DataProviderService::ReadBlob(grpc::ServerContext*,
                                           const data::ReadBlobRequest* request,
                                           grpc::ServerWriter<data::ReadBlobResponse>* writer) {
  const std::optional<BlobKey> key = decode_blob_key(request->blob_key());
  if (!key) return {grpc::StatusCode::INVALID_ARGUMENT, "not a blob key: " + request->blob_key()};
  const std::shared_ptr<RunData> run = logdir_.run(key->run);
  std::string blob;
  bool found = false;
  if (run) {
    std::shared_lock lock(run->mutex);
    const auto series = run->series.find(key->tag);
    const auto* sequences = series == run->series.end()
                                ? nullptr
                                : std::get_if<BlobSequenceReservoir>(&series->second.points);
    if (sequences != nullptr) {
      const auto& points = sequences->points();
      const auto point = std::lower_bound(
          points.begin(), points.end(), key->step,
          [](const BlobSequencePoint& p, std::int64_t step) { return p.step < step; });
      if (point != points.end() && point->step == key->step && key->index < point->blobs.size()) {
        blob = point->blobs[key->index];  // copied: the stream is written with no lock held
        found = true;
      }
    }
  }
  if (!found) return {grpc::StatusCode::NOT_FOUND, "no such blob (run, tag, step or index)"};
  // Chunks far below gRPC's 4 MiB default message limit, whatever a client set.
  constexpr std::size_t kChunk = std::size_t{1} << 20;
  std::size_t at = 0;
  do {
    data::ReadBlobResponse chunk;
    chunk.set_data(blob.substr(at, kChunk));
    if (!writer->Write(chunk)) break;  // the client went away
    at += kChunk;
  } while (at < blob.size());
  return grpc::Status::OK;
}

}  // namespace tblog::serve
