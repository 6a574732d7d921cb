#include "run_record.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "../usage_error.hpp"

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
    for (const auto& [k, v] : r.options) out << "option." << k << "=" << v << "\n";
    out << fmt::format(
        "train_accuracy={}\ntrain_loss={}\ntest_accuracy={}\ntest_loss={}\nseconds={}\n",
        r.train_accuracy, r.train_loss, r.test_accuracy, r.test_loss, r.seconds);
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, final_path);
}

std::optional<RunRecord> read_run_record(const std::string& run_dir) {
  const fs::path path = fs::path(run_dir) / kRunRecordFile;
  std::error_code ec;
  if (fs::symlink_status(path, ec).type() == fs::file_type::not_found) return std::nullopt;
  auto invalid = [&](const std::string& why) {
    return InvalidRunRecord(path.string() + ": " + why + " (not a finished run's record)");
  };
  if (!fs::is_regular_file(path, ec)) throw invalid("not a regular file");
  if (fs::file_size(path, ec) > (1 << 20)) throw invalid("larger than 1 MiB");
  std::ifstream in(path);
  if (!in) throw invalid("cannot be read");
  RunRecord r;
  int metrics = 0;
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    auto number = [&](double& out, double low, double high) {
      const auto end = value.data() + value.size();
      const auto [ptr, error] = std::from_chars(value.data(), end, out);
      if (error != std::errc() || ptr != end || !std::isfinite(out) || out < low || out > high)
        throw invalid(key + " '" + value.substr(0, 40) + "' is not a number in [" +
                      fmt::format("{}, {}", low, high) + "]");
      ++metrics;
    };
    constexpr double kHuge = 1e300;
    if (key == "name")
      r.name = value;
    else if (key.rfind("setting.", 0) == 0)
      r.setting.emplace_back(key.substr(8), value);
    else if (key.rfind("option.", 0) == 0)
      r.options.emplace_back(key.substr(7), value);
    else if (key == "train_accuracy")
      number(r.train_accuracy, 0, 1);
    else if (key == "train_loss")
      number(r.train_loss, 0, kHuge);
    else if (key == "test_accuracy")
      number(r.test_accuracy, 0, 1);
    else if (key == "test_loss")
      number(r.test_loss, 0, kHuge);
    else if (key == "seconds")
      number(r.seconds, 0, kHuge);
  }
  if (metrics != 5 || r.name.empty()) throw invalid("incomplete");
  return r;
}

std::optional<RunRecord> prepare_run_dir(const std::string& run_dir, const std::string& resumable,
                                         const Setting& options) {
  try {
    if (auto done = read_run_record(run_dir)) {
      if (!options.empty() && !done->options.empty() && done->options != options) {
        for (const auto& wanted : options) {
          const std::string& key = wanted.first;
          const auto it = std::find_if(done->options.begin(), done->options.end(),
                                       [&](const auto& kv) { return kv.first == key; });
          const std::string before = it == done->options.end() ? "(not recorded)" : it->second;
          if (before != wanted.second)
            throw UsageError(run_dir + " finished with " + key + " " + before +
                             "; this sweep has " + key + " " + wanted.second +
                             ": its results are not this sweep's (use another --logdir, or "
                             "remove the run to train it again)");
        }
      }
      return done;
    }
  } catch (const InvalidRunRecord& e) {
    fmt::print(stderr, "tbtrain: {}; the run is trained again\n", e.what());
    std::error_code ec;
    fs::remove(fs::path(run_dir) / kRunRecordFile, ec);
  }
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
