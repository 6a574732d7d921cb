// EventFileReader: records -> events over any byte source, with torn tails and corruption told
// apart and corruption typed by the layer that found it.
#include <map>

#include "event_decoding.hpp"
#include "tblog/error.hpp"
#include "tblog/reader.hpp"
#include "tblog/record.hpp"

namespace tblog {

class EventFileReader::Impl {
 public:
  explicit Impl(std::unique_ptr<ByteSource> source) : records(std::move(source)) {}
  RecordReader records;
  std::string payload;
  std::string error;
  std::map<std::string, std::string> plugin_of_tag;
  bool invalid_event = false;  // last record had good CRCs but was not an Event
  Layer corrupt_layer = Layer::kRecord;
};

EventFileReader::EventFileReader(const std::string& path)
    : EventFileReader(open_source(path)) {}
EventFileReader::EventFileReader(std::unique_ptr<ByteSource> source)
    : impl_(std::make_unique<Impl>(std::move(source))) {}
EventFileReader::~EventFileReader() = default;
EventFileReader::EventFileReader(EventFileReader&&) noexcept = default;
EventFileReader& EventFileReader::operator=(EventFileReader&&) noexcept = default;

ReadStatus EventFileReader::next(Event& event) {
  Impl& d = *impl_;
  d.error.clear();
  d.invalid_event = false;
  const std::uint64_t at = d.records.offset();
  switch (d.records.next(d.payload)) {
    case RecordStatus::kEnd:
      return ReadStatus::kEnd;
    case RecordStatus::kTornTail:
      d.error = d.records.error();
      return ReadStatus::kTornTail;
    case RecordStatus::kCorrupt:
      d.error = d.records.error();
      d.corrupt_layer = Layer::kRecord;
      return ReadStatus::kCorrupt;
    case RecordStatus::kOk:
      break;
  }
  const std::string why = detail::decode_event(d.payload, d.plugin_of_tag, event);
  if (!why.empty()) {
    d.invalid_event = true;
    d.corrupt_layer = Layer::kEvent;
    d.error = d.records.path() + ": " + why + " at byte offset " + std::to_string(at);
    return ReadStatus::kCorrupt;
  }
  return ReadStatus::kEvent;
}

bool EventFileReader::skip_corruption() {
  // A record that framed fine but did not decode: its successor starts right after it.
  if (impl_->invalid_event) {
    impl_->invalid_event = false;
    return true;
  }
  return impl_->records.skip_to_next_valid_record();
}

EventFileReader::Layer EventFileReader::corruption_layer() const {
  return impl_->corrupt_layer;
}

const std::string& EventFileReader::error() const {
  return impl_->error;
}
std::uint64_t EventFileReader::offset() const {
  return impl_->records.offset();
}
const std::string& EventFileReader::path() const {
  return impl_->records.path();
}

FileReadReport for_each_event(const std::string& path, OnCorruption policy,
                              const std::function<void(const Event&)>& on_event) {
  return for_each_event(open_source(path), policy, on_event);
}

FileReadReport for_each_event(std::unique_ptr<ByteSource> source, OnCorruption policy,
                              const std::function<void(const Event&)>& on_event) {
  EventFileReader reader(std::move(source));
  FileReadReport report;
  Event event;
  for (;;) {
    switch (reader.next(event)) {
      case ReadStatus::kEvent:
        ++report.events;
        on_event(event);
        continue;
      case ReadStatus::kEnd:
        return report;
      case ReadStatus::kTornTail:
        report.torn_tail = reader.error();
        return report;
      case ReadStatus::kCorrupt:
        if (report.corruption.empty()) report.first_corruption_layer = reader.corruption_layer();
        report.corruption.push_back(reader.error());
        if (policy == OnCorruption::kSkip && reader.skip_corruption()) continue;
        return report;
    }
  }
}

std::vector<Event> read_events(const std::string& path, bool* torn_tail) {
  std::vector<Event> events;
  const FileReadReport report =
      for_each_event(path, OnCorruption::kStop, [&](const Event& e) { events.push_back(e); });
  if (!report.corruption.empty()) {
    if (report.first_corruption_layer == EventFileReader::Layer::kEvent)
      throw CorruptEvent(report.corruption.front());
    throw CorruptRecord(report.corruption.front());
  }
  if (torn_tail) *torn_tail = !report.torn_tail.empty();
  return events;
}

}  // namespace tblog
