// In-memory image-classification data sets: MNIST / Fashion-MNIST (IDX) and CIFAR-10 (binary).
#pragma once

#include <torch/types.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace trainers {

// A missing, truncated or malformed data file; the message names the file and what was expected.
class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Dataset {
  torch::Tensor images;  // uint8, N x C x H x W
  torch::Tensor labels;  // int64, N
  std::int64_t size() const { return labels.defined() ? labels.size(0) : 0; }
};

struct DataSplit {
  std::string name;  // "mnist", "fashion-mnist", "cifar10", "cifar10-gray28"
  Dataset train, test;
  std::vector<std::string> class_names;
  int channels() const { return static_cast<int>(train.images.size(1)); }
  int image_size() const { return static_cast<int>(train.images.size(2)); }
};

// The four IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-...), each gzipped
// or not, in `dir`.
DataSplit load_idx_dataset(const std::string& dir, const std::string& name);

// CIFAR-10 binary version: data_batch_*.bin and test_batch*.bin (gzipped or not) in `dir` or
// in `dir`/cifar-10-batches-bin. Any number of records per file (partial batches too).
DataSplit load_cifar10(const std::string& dir);

// Where Debian's dataset-fashion-mnist package installs Fashion-MNIST.
std::string default_fashion_mnist_dir();

// The file's bytes, inflated when gzipped; DataError naming the file when it is missing, not a
// regular file, corrupt, truncated, or longer than `limit` bytes once inflated (inflation stops
// there: memory follows the limit, not what the file holds).
inline constexpr std::size_t kUnlimited = std::size_t{1} << 34;  // 16 GiB
std::string read_maybe_gzipped(const std::string& path, std::size_t limit = kUnlimited);
// Its first `bytes` bytes (fewer when it is shorter), inflating no more than those.
std::string read_prefix(const std::string& path, std::size_t bytes);

}  // namespace trainers
