// What a writer wrote, read back by tag: the torch layer's tests check values, not just calls.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tblog/reader.hpp"
#include "tblog/summary_writer.hpp"

namespace tblog::test {

struct Logged {
  std::int64_t step;
  SummaryValue value;
};

// Closes the writer and returns every summary value of its file, by tag, in order.
inline std::map<std::string, std::vector<Logged>> read_back(SummaryWriter& writer) {
  writer.close();
  std::map<std::string, std::vector<Logged>> by_tag;
  for (const Event& event : read_events(writer.path()))
    for (const SummaryValue& value : event.values) by_tag[value.tag].push_back({event.step, value});
  return by_tag;
}

}  // namespace tblog::test
