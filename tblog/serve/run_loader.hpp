// Reads one run's event files into its RunData, incrementally: each file is kept open at the
// offset where the last pass stopped (a torn tail waits there for its bytes), so a reload reads
// only what was appended; files that are written once (objects in remote storage) are not looked
// at again once read to their end. Damage is reported in one line and skipped over.
// Internal to tblog-data-server.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tblog/event.pb.h"
#include "tblog/reader.hpp"
#include "time_series.hpp"

namespace tblog {
class RecordReader;
}

namespace tblog::serve {

// How many points each series keeps: per plugin name where given (kUnbounded for "all"), else
// TensorBoard's data server's defaults by data class (scalars 1000, tensors 100, blobs 10).
struct SamplingPlan {
  std::map<std::string, std::size_t> per_plugin;
  std::size_t capacity(const std::string& plugin_name, DataClass data_class) const;
};

using LogLine = std::function<void(const std::string&)>;

class RunLoader {
 public:
  RunLoader(std::shared_ptr<RunData> data, const SamplingPlan& plan, LogLine warn);
  ~RunLoader();
  RunLoader(const RunLoader&) = delete;
  RunLoader& operator=(const RunLoader&) = delete;

  // `files`: the run's event files now, in reading order. `write_once`: they never grow once
  // listed (remote objects). Returns the number of records read. Throws RemoteTimeout when the
  // object store leaves a request unanswered; every other problem is reported and skipped.
  std::size_t reload(const std::vector<std::string>& files, bool write_once);

 private:
  struct EventFile;
  std::size_t read_file(const std::string& name, EventFile& file, bool write_once);

  std::shared_ptr<RunData> data_;
  const SamplingPlan& plan_;
  LogLine warn_;
  std::map<std::string, std::unique_ptr<EventFile>> files_;
  // Decoding buffers, kept between records: scalar-only events by hand, the rest by protobuf.
  Event scalar_event_;
  pb::Event event_;
};

}  // namespace tblog::serve
