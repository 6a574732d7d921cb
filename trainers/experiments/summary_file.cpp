#include "summary_file.hpp"

#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "tblog/reader.hpp"

namespace fs = std::filesystem;

namespace trainers {

void write_summary_file(const std::string& run_dir, const std::string& name,
                        const std::function<void(tblog::SummaryWriter&)>& fill) {
  // Written in a scratch directory beside the run, then renamed over the old file: readers
  // see the old file or the new one, never half of one. The zero timestamp sorts it first.
  // The scratch name is unique per process and call: shards of a sweep may write at once.
  static std::atomic<unsigned> counter{0};
  const fs::path scratch =
      fs::path(run_dir).parent_path() /
      (".summary-tmp-" + name + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(scratch);
  std::string written;
  {
    tblog::SummaryWriter writer(scratch.string());
    fill(writer);
    writer.close();
    written = writer.path();
  }
  fs::create_directories(run_dir);
  fs::rename(written, fs::path(run_dir) / ("events.out.tfevents.0000000000." + name));
  fs::remove_all(scratch);
}

}  // namespace trainers
