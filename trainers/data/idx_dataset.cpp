// MNIST-layout IDX files: big-endian int32 header (magic, dims), then unsigned bytes.
#include <cstring>
#include <filesystem>

#include "datasets.hpp"

namespace trainers {
namespace {

std::uint32_t be32(const std::string& data, std::size_t at) {
  auto b = [&](std::size_t i) { return std::uint32_t(static_cast<unsigned char>(data[at + i])); };
  return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}

// Finds "<stem>" with the dash or dot spelling, gzipped or not.
std::string find_idx_file(const std::string& dir, const std::string& prefix,
                          const std::string& kind) {
  namespace fs = std::filesystem;
  for (const std::string sep : {"-", "."}) {
    for (const std::string ext : {"", ".gz"}) {
      const fs::path p = fs::path(dir) / (prefix + sep + kind + ext);
      if (fs::is_regular_file(p)) return p.string();
    }
  }
  throw DataError((std::filesystem::path(dir) / (prefix + "-" + kind + "[.gz]")).string() +
                  ": file not found (expected the IDX file of a MNIST-layout data set)");
}

torch::Tensor read_idx(const std::string& path, std::uint32_t magic, int dims,
                       std::vector<std::int64_t>& shape) {
  // The header first: the rest is inflated only up to what it claims, so a small gzip claiming
  // more than it holds, or holding more than it claims, costs no more than the claim.
  const std::size_t header = 4 + 4 * std::size_t(dims);
  const std::string head = read_prefix(path, header);
  if (head.size() < header) {
    throw DataError(path + ": " + std::to_string(head.size()) +
                    " bytes, too short for an IDX header");
  }
  if (be32(head, 0) != magic) {
    throw DataError(path + ": bad magic number " + std::to_string(be32(head, 0)) + " (expected " +
                    std::to_string(magic) + ")");
  }
  shape.clear();
  std::uint64_t count = 1;
  bool overflow = false;
  std::string dims_text;
  for (int d = 0; d < dims; ++d) {
    shape.push_back(be32(head, 4 + 4 * d));
    overflow |= __builtin_mul_overflow(count, static_cast<std::uint64_t>(shape.back()), &count);
    dims_text += (d ? "x" : "") + std::to_string(shape.back());
  }
  if (overflow || count > kUnlimited)
    throw DataError(path + ": header dimensions " + dims_text + " are too large");
  const std::string data = read_maybe_gzipped(path, header + count);
  if (data.size() - header != static_cast<std::size_t>(count)) {
    throw DataError(path + ": expected " + std::to_string(count) +
                    " bytes of data after the header, found " +
                    std::to_string(data.size() - header));
  }
  auto tensor = torch::empty(shape, torch::kUInt8);
  std::memcpy(tensor.data_ptr(), data.data() + header, count);
  return tensor;
}

Dataset read_part(const std::string& dir, const std::string& prefix) {
  std::vector<std::int64_t> image_shape, label_shape;
  const std::string image_path = find_idx_file(dir, prefix, "images-idx3-ubyte");
  const std::string label_path = find_idx_file(dir, prefix, "labels-idx1-ubyte");
  Dataset d;
  d.images = read_idx(image_path, 2051, 3, image_shape).unsqueeze(1);
  d.labels = read_idx(label_path, 2049, 1, label_shape).to(torch::kInt64);
  if (image_shape[1] < 4 || image_shape[2] < 4 || image_shape[1] != image_shape[2]) {
    throw DataError(image_path + ": images of " + std::to_string(image_shape[1]) + "x" +
                    std::to_string(image_shape[2]) +
                    " pixels (expected square images of at least 4x4)");
  }
  if (label_shape[0] != image_shape[0]) {
    throw DataError(label_path + ": " + std::to_string(label_shape[0]) + " labels but " +
                    image_path + " holds " + std::to_string(image_shape[0]) + " images");
  }
  if (d.labels.numel() && d.labels.max().item<std::int64_t>() > 9) {
    throw DataError(label_path + ": label above 9 (expected classes 0..9)");
  }
  return d;
}

}  // namespace

DataSplit load_idx_dataset(const std::string& dir, const std::string& name) {
  if (!std::filesystem::is_directory(dir)) throw DataError(dir + ": data directory not found");
  DataSplit split;
  split.name = name;
  split.train = read_part(dir, "train");
  split.test = read_part(dir, "t10k");
  if (split.train.images.sizes().slice(1) != split.test.images.sizes().slice(1)) {
    throw DataError(dir + ": training images are " + std::to_string(split.image_size()) +
                    " pixels wide, test images " + std::to_string(split.test.images.size(3)) +
                    " (expected the same size)");
  }
  if (name == "fashion-mnist") {
    split.class_names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                         "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  } else {
    for (int i = 0; i < 10; ++i) split.class_names.push_back(std::to_string(i));
  }
  return split;
}

std::string default_fashion_mnist_dir() {
  return "/usr/share/datasets/fashion-mnist";
}

}  // namespace trainers
