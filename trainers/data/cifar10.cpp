// CIFAR-10 binary version: records of <1 label byte><3072 pixel bytes: R plane, G, B>.
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <regex>

#include "datasets.hpp"

namespace fs = std::filesystem;

namespace trainers {
namespace {

constexpr std::int64_t kRecordBytes = 1 + 3 * 32 * 32;

// Exactly the layout's names: "<prefix>.bin" or "<prefix>.bin.gz" where prefix is data_batch_<N>
// or test_batch, optionally with one ".<label>" before ".bin" for a subset
// ("data_batch_1.first4000.bin.gz"). Backups (".bin.orig", ".bin~") are not data; two files for
// one batch (".bin" beside ".bin.gz") are an error naming both.
std::vector<std::string> batch_files(const std::string& dir, const std::regex& name_pattern,
                                     const std::string& what) {
  std::map<std::string, std::string> by_batch;  // batch name -> path
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    std::smatch m;
    if (!std::regex_match(name, m, name_pattern)) continue;
    std::error_code ec;
    if (!entry.is_regular_file(ec)) throw DataError(entry.path().string() + ": not a regular file");
    const auto [it, added] = by_batch.emplace(m[1].str(), entry.path().string());
    if (!added) {
      throw DataError(dir + ": " + fs::path(it->second).filename().string() + " and " + name +
                      " are both " + what + " " + m[1].str() + "; keep one");
    }
  }
  std::vector<std::string> files;
  for (const auto& [batch, path] : by_batch) files.push_back(path);
  return files;
}

Dataset read_batches(const std::vector<std::string>& files) {
  std::vector<torch::Tensor> images, labels;
  for (const auto& path : files) {
    const std::string data = read_maybe_gzipped(path);
    if (data.empty() || data.size() % kRecordBytes != 0) {
      throw DataError(path + ": " + std::to_string(data.size()) +
                      " bytes is not a whole number of 3073-byte CIFAR-10 records");
    }
    const std::int64_t n = static_cast<std::int64_t>(data.size()) / kRecordBytes;
    auto raw = torch::empty({n, kRecordBytes}, torch::kUInt8);
    std::memcpy(raw.data_ptr(), data.data(), data.size());
    auto label = raw.select(1, 0).to(torch::kInt64);
    if (label.max().item<std::int64_t>() > 9) {
      const auto bad = (label > 9).nonzero()[0][0].item<std::int64_t>();
      throw DataError(path + ": record " + std::to_string(bad) + " has label " +
                      std::to_string(label[bad].item<std::int64_t>()) + " (expected 0..9)");
    }
    labels.push_back(label);
    images.push_back(raw.narrow(1, 1, 3072).reshape({n, 3, 32, 32}).clone());
  }
  return {torch::cat(images), torch::cat(labels)};
}

}  // namespace

DataSplit load_cifar10(const std::string& dir_in) {
  std::string dir = dir_in;
  if (fs::is_directory(fs::path(dir) / "cifar-10-batches-bin")) {
    dir = (fs::path(dir) / "cifar-10-batches-bin").string();
  }
  if (!fs::is_directory(dir)) throw DataError(dir + ": data directory not found");
  // Names are the user's own files' names, short and trusted: std::regex is fine here.
  const auto train =
      batch_files(dir, std::regex(R"((data_batch_[1-9][0-9]*)(\.[A-Za-z0-9_-]+)?\.bin(\.gz)?)"),
                  "training batch");
  const auto test =
      batch_files(dir, std::regex(R"((test_batch)(\.[A-Za-z0-9_-]+)?\.bin(\.gz)?)"), "test batch");
  if (train.empty())
    throw DataError(dir + ": no data_batch_*.bin[.gz] files (CIFAR-10 binary version expected)");
  if (test.empty())
    throw DataError(dir + ": no test_batch.bin[.gz] file (CIFAR-10 binary version expected)");
  DataSplit split;
  split.name = "cifar10";
  split.train = read_batches(train);
  split.test = read_batches(test);
  split.class_names = {"airplane", "automobile", "bird",  "cat",  "deer",
                       "dog",      "frog",       "horse", "ship", "truck"};
  return split;
}

}  // namespace trainers
