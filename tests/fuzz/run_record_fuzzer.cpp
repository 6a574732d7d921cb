// libFuzzer target for tbtrain's run-record reader (what decides that a sweep's run finished):
// an input is a run_record.txt. Every outcome but a valid record must be InvalidRunRecord, and a
// record read back holds finite metrics in range.
//
// Build: cmake -DTBLOG_FUZZ=ON with clang (see .ci/run). Run: run_record_fuzzer CORPUS_DIR.
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "experiments/run_record.hpp"

namespace {

const std::filesystem::path& run_dir() {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() /
             ("tbtrain-run-record-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::ofstream(run_dir() / trainers::kRunRecordFile, std::ios::binary)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  try {
    const auto record = trainers::read_run_record(run_dir().string());
    if (!record) __builtin_trap();  // the file is there
    for (const double v : {record->train_accuracy, record->test_accuracy})
      if (!(v >= 0 && v <= 1)) __builtin_trap();
    for (const double v : {record->train_loss, record->test_loss, record->seconds})
      if (!std::isfinite(v) || v < 0) __builtin_trap();
  } catch (const trainers::InvalidRunRecord&) {
  }
  return 0;
}
