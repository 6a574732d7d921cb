// The floor of the writer benchmarks: framed records appended to a file in 1 MiB chunks on the
// calling thread, with no queue, no writer thread and no clock. writer_bench and peer_cpp_bench
// both measure against it, so their floors are one loop.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tblog/record.hpp"

namespace bench {

class BareRecordFile {
 public:
  explicit BareRecordFile(const std::string& path) : file_(std::fopen(path.c_str(), "wb")) {
    if (!file_) {
      std::perror(path.c_str());
      std::exit(1);
    }
  }
  ~BareRecordFile() {
    std::fwrite(out_.data(), 1, out_.size(), file_);
    std::fclose(file_);
  }
  BareRecordFile(const BareRecordFile&) = delete;
  BareRecordFile& operator=(const BareRecordFile&) = delete;

  void append(std::string_view payload) {
    tblog::append_record(out_, payload);
    if (out_.size() > (1u << 20)) {
      std::fwrite(out_.data(), 1, out_.size(), file_);
      out_.clear();
    }
  }

 private:
  std::FILE* file_;
  std::string out_;
};

}  // namespace bench
