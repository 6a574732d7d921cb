// Loaders on generated files of the real layouts: gzipped or not, full size, and broken ones.
#include <gtest/gtest.h>
#include <torch/torch.h>
#include <zlib.h>

#include "../test_util.hpp"
#include "data/datasets.hpp"
#include "data/transforms.hpp"

namespace trainers {
namespace {

std::string be32(std::uint32_t v) {
  return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}

void write_gz(const std::string& path, const std::string& bytes) {
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(f);
}

// IDX pair where image i is filled with value i % 256 and labelled i % 10.
void write_idx(const std::string& dir, const std::string& prefix, int n, bool gz) {
  std::string images = be32(2051) + be32(n) + be32(28) + be32(28);
  for (int i = 0; i < n; ++i) images += std::string(784, char(i % 256));
  std::string labels = be32(2049) + be32(n);
  for (int i = 0; i < n; ++i) labels += char(i % 10);
  const std::string base = dir + "/" + prefix;
  if (gz) {
    write_gz(base + "-images-idx3-ubyte.gz", images);
    write_gz(base + "-labels-idx1-ubyte.gz", labels);
  } else {
    tblog::test::write_file(base + "-images-idx3-ubyte", images);
    tblog::test::write_file(base + "-labels-idx1-ubyte", labels);
  }
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const DataError& e) {
    return e.what();
  }
  return "no DataError";
}

TEST(IdxLoader, ReadsGzippedAndPlainFiles) {
  for (bool gz : {true, false}) {
    tblog::test::TempDir dir;
    write_idx(dir.path(), "train", 300, gz);
    write_idx(dir.path(), "t10k", 50, gz);
    const DataSplit s = load_idx_dataset(dir.path(), "mnist");
    EXPECT_EQ(s.train.images.sizes(), (std::vector<std::int64_t>{300, 1, 28, 28}));
    EXPECT_EQ(s.test.size(), 50);
    EXPECT_EQ(s.train.images[257][0][5][5].item<int>(), 1);
    EXPECT_EQ(s.train.labels[257].item<std::int64_t>(), 7);
  }
}

TEST(IdxLoader, ClearErrorsNamingTheFile) {
  tblog::test::TempDir dir;
  EXPECT_NE(
      error_of([&] { load_idx_dataset(dir.path(), "mnist"); }).find("train-images-idx3-ubyte"),
      std::string::npos);
  write_idx(dir.path(), "train", 10, false);
  write_idx(dir.path(), "t10k", 10, false);
  const std::string images = dir / "t10k-images-idx3-ubyte";
  std::string bytes = tblog::test::read_file(images);
  tblog::test::write_file(images, bytes.substr(0, bytes.size() - 100));
  std::string e = error_of([&] { load_idx_dataset(dir.path(), "mnist"); });
  EXPECT_NE(e.find(images), std::string::npos) << e;
  EXPECT_NE(e.find("expected 7840 bytes"), std::string::npos) << e;
  bytes[3] = 9;  // magic 2057
  tblog::test::write_file(images, bytes);
  e = error_of([&] { load_idx_dataset(dir.path(), "mnist"); });
  EXPECT_NE(e.find("bad magic"), std::string::npos) << e;
  write_gz(images + ".gz", "x");  // not consulted: the plain file wins; now break the gzip one
  std::filesystem::remove(images);
  tblog::test::write_file(images + ".gz", tblog::test::read_file(images + ".gz").substr(0, 10));
  e = error_of([&] { load_idx_dataset(dir.path(), "mnist"); });
  EXPECT_NE(e.find(images + ".gz"), std::string::npos) << e;
}

// Full-size CIFAR-10 binary batches (10000 records each), as a user's download would have.
TEST(Cifar10Loader, FullSizeBatchesGzippedOrNotInTheStandardFolder) {
  tblog::test::TempDir dir;
  const std::string bin = dir / "cifar-10-batches-bin";
  std::filesystem::create_directories(bin);
  auto batch = [](int seed) {
    std::string bytes;
    bytes.reserve(10000 * 3073);
    for (int r = 0; r < 10000; ++r) {
      bytes += char((r + seed) % 10);
      bytes += std::string(1024, char(r % 200));      // red plane
      bytes += std::string(1024, char(r % 200 + 1));  // green
      bytes += std::string(1024, char(r % 200 + 2));  // blue
    }
    return bytes;
  };
  for (int b = 1; b <= 5; ++b)
    tblog::test::write_file(bin + "/data_batch_" + std::to_string(b) + ".bin", batch(b));
  write_gz(bin + "/test_batch.bin.gz", batch(0));
  const DataSplit s = load_cifar10(dir.path());
  EXPECT_EQ(s.train.images.sizes(), (std::vector<std::int64_t>{50000, 3, 32, 32}));
  EXPECT_EQ(s.test.size(), 10000);
  EXPECT_EQ(s.train.labels[10000 + 3].item<std::int64_t>(), (3 + 2) % 10);  // batch 2, record 3
  EXPECT_EQ(s.train.images[3][0][31][31].item<int>(), 3);
  EXPECT_EQ(s.train.images[3][2][0][0].item<int>(), 5);
  EXPECT_EQ(s.class_names[9], "truck");
  const DataSplit gray = to_grayscale(take_subset(s, 10, 10), 28);
  EXPECT_EQ(gray.train.images.sizes(), (std::vector<std::int64_t>{10, 1, 28, 28}));
}

TEST(Cifar10Loader, BrokenFilesAreNamed) {
  tblog::test::TempDir dir;
  std::string e = error_of([&] { load_cifar10(dir.path()); });
  EXPECT_NE(e.find("data_batch_"), std::string::npos) << e;
  tblog::test::write_file(dir / "data_batch_1.bin", std::string(3073 * 2 + 5, '\0'));
  tblog::test::write_file(dir / "test_batch.bin", std::string(3073, '\0'));
  e = error_of([&] { load_cifar10(dir.path()); });
  EXPECT_NE(e.find(dir / "data_batch_1.bin"), std::string::npos) << e;
  EXPECT_NE(e.find("3073-byte"), std::string::npos) << e;
  std::string bad(3073, '\0');
  bad[0] = 12;
  tblog::test::write_file(dir / "data_batch_1.bin", bad);
  e = error_of([&] { load_cifar10(dir.path()); });
  EXPECT_NE(e.find("label 12"), std::string::npos) << e;
}

TEST(Transforms, AugmentIsBatchedAndKeepsShape) {
  auto x = torch::arange(2 * 3 * 8 * 8, torch::kFloat32).view({2, 3, 8, 8});
  torch::manual_seed(0);
  const auto y = augment_batch(x, 2, true);
  EXPECT_EQ(y.sizes(), x.sizes());
  EXPECT_FALSE(torch::equal(x, y));
  const auto same = augment_batch(x, 0, false);
  EXPECT_TRUE(torch::equal(x, same));
}

TEST(Transforms, NormalizerStandardisesPerChannel) {
  DataSplit s;
  s.train = {torch::randint(0, 256, {64, 3, 4, 4}, torch::kInt64).to(torch::kUInt8),
             torch::zeros({64}, torch::kInt64)};
  const Normalizer n = Normalizer::fit(s.train);
  const auto z = n(s.train.images);
  EXPECT_NEAR(z.mean().item<double>(), 0.0, 1e-4);
  EXPECT_NEAR(z.std().item<double>(), 1.0, 1e-2);
}

}  // namespace
}  // namespace trainers
