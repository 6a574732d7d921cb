// The events a writer puts at the head of its file (the scalar fast path is scalar_encoding.cpp;
// each kind's events are in kinds/).
#include "event_encoding.hpp"

#include "event_encoding_helpers.hpp"

namespace tblog::detail {

std::string file_version_event(double wall_time) {
  pb::Event event;
  event.set_wall_time(wall_time);
  event.set_file_version("brain.Event:2");
  event.mutable_source_metadata()->set_writer("tblog");
  return serialize(event);
}

std::string session_start_event(std::int64_t step, double wall_time) {
  pb::Event event;
  event.set_wall_time(wall_time);
  event.set_step(step);
  event.mutable_session_log()->set_status(pb::SessionLog::START);
  return serialize(event);
}

}  // namespace tblog::detail
