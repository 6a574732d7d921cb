#include "run_record.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace trainers {

void write_run_record(const std::string& run_dir, const RunRecord& r) {
  // Written to a temporary name and renamed, so a crash never leaves a half record.
  const fs::path final_path = fs::path(run_dir) / kRunRecordFile;
  const fs::path tmp = final_path.string() + ".tmp";
  {
    std::ofstream out(tmp);
    out << "name=" << r.name << "\n";
    for (const auto& [k, v] : r.setting) out << "setting." << k << "=" << v << "\n";
    out << fmt::format(
        "train_accuracy={}\ntrain_loss={}\ntest_accuracy={}\ntest_loss={}\nseconds={}\n",
        r.train_accuracy, r.train_loss, r.test_accuracy, r.test_loss, r.seconds);
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, final_path);
}

std::optional<RunRecord> read_run_record(const std::string& run_dir) {
  std::ifstream in(fs::path(run_dir) / kRunRecordFile);
  if (!in) return std::nullopt;
  RunRecord r;
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "name")
      r.name = value;
    else if (key.rfind("setting.", 0) == 0)
      r.setting.emplace_back(key.substr(8), value);
    else if (key == "train_accuracy")
      r.train_accuracy = std::stod(value);
    else if (key == "train_loss")
      r.train_loss = std::stod(value);
    else if (key == "test_accuracy")
      r.test_accuracy = std::stod(value);
    else if (key == "test_loss")
      r.test_loss = std::stod(value);
    else if (key == "seconds")
      r.seconds = std::stod(value);
  }
  return r;
}

std::optional<RunRecord> prepare_run_dir(const std::string& run_dir, const std::string& resumable) {
  if (auto done = read_run_record(run_dir)) return done;
  std::error_code ec;
  if (!resumable.empty() && fs::exists(fs::path(run_dir) / resumable, ec)) return std::nullopt;
  fs::remove_all(run_dir, ec);  // half-finished: start over with an empty directory
  return std::nullopt;
}

std::string results_markdown(std::vector<RunRecord> records) {
  std::stable_sort(records.begin(), records.end(), [](const RunRecord& a, const RunRecord& b) {
    if (a.finished() != b.finished()) return a.finished();  // unfinished runs last
    return a.test_accuracy > b.test_accuracy;
  });
  std::string md =
      "| rank | run | test accuracy | test loss | train accuracy | train loss | seconds |\n"
      "|---|---|---|---|---|---|---|\n";
  int rank = 0;
  for (const auto& r : records) {
    if (r.failed()) {
      md += fmt::format("| - | {} | FAILED: {} | | | | {:.1f} |\n", r.name, r.error, r.seconds);
      continue;
    }
    if (r.pending) {
      md += fmt::format("| - | {} | not finished yet | | | | |\n", r.name);
      continue;
    }
    md += fmt::format("| {} | {} | {:.4f} | {:.4f} | {:.4f} | {:.4f} | {:.1f} |\n", ++rank, r.name,
                      r.test_accuracy, r.test_loss, r.train_accuracy, r.train_loss, r.seconds);
  }
  return md;
}

}  // namespace trainers
