// Entries a command could not read (an unreadable event file or directory, a symlink loop, a
// FIFO): each is said on stderr when met, the listing or verification carries on with the rest,
// and the command ends non-zero saying how many there were.
#pragma once

#include <fmt/format.h>

#include <cstddef>
#include <string_view>
#include <vector>

#include "tblog/reader.hpp"
#include "text_format.hpp"

namespace tblog::cli {

class Problems {
 public:
  void report(std::string_view path, std::string_view reason) {
    fmt::print(stderr, "tblog: {}: {}\n", terminal_text(path), message_text(reason));
    ++count_;
  }
  void report_all(const std::vector<LogdirProblem>& problems) {
    for (const auto& p : problems) report(p.path, p.reason);
  }
  std::size_t count() const { return count_; }
  // `status`, or 1 after saying how many entries failed when any did.
  int finish(int status) const {
    if (count_ == 0) return status;
    fmt::print(stderr, "tblog: {} {} could not be read\n", count_,
               count_ == 1 ? "entry" : "entries");
    return status == 0 ? 1 : status;
  }

 private:
  std::size_t count_ = 0;
};

}  // namespace tblog::cli
