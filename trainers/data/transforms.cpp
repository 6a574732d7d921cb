// Batched tensor transforms of whole data sets and of training batches.
#include "transforms.hpp"

namespace trainers {
namespace {

Dataset gray_resized(const Dataset& d, int size) {
  auto x = d.images.to(torch::kFloat32);
  if (x.size(1) == 3) {
    const auto weights = torch::tensor({0.299f, 0.587f, 0.114f}).view({1, 3, 1, 1});
    x = (x * weights).sum(1, true);
  }
  if (x.size(2) != size || x.size(3) != size) {
    x = torch::upsample_bilinear2d(x, {size, size}, /*align_corners=*/false);
  }
  return {x.round().clamp(0, 255).to(torch::kUInt8), d.labels};
}

Dataset head(const Dataset& d, std::int64_t n) {
  if (n <= 0 || n >= d.size()) return d;
  return {d.images.narrow(0, 0, n), d.labels.narrow(0, 0, n)};
}

}  // namespace

DataSplit to_grayscale(const DataSplit& split, int size) {
  DataSplit out = split;
  out.name = split.name + "-gray" + std::to_string(size);
  out.train = gray_resized(split.train, size);
  out.test = gray_resized(split.test, size);
  return out;
}

DataSplit take_subset(const DataSplit& split, std::int64_t train_n, std::int64_t test_n) {
  DataSplit out = split;
  out.train = head(split.train, train_n);
  out.test = head(split.test, test_n);
  return out;
}

Normalizer Normalizer::fit(const Dataset& train) {
  const auto x = train.images.to(torch::kFloat32).div_(255.f);
  return {x.mean({0, 2, 3}).view({1, -1, 1, 1}), x.std({0, 2, 3}).view({1, -1, 1, 1})};
}

torch::Tensor Normalizer::operator()(const torch::Tensor& images_uint8) const {
  return images_uint8.to(torch::kFloat32).div_(255.f).sub_(mean).div_(std);
}

torch::Tensor augment_batch(const torch::Tensor& x, int pad, bool flip) {
  const auto n = x.size(0), h = x.size(2), w = x.size(3);
  auto out = x;
  if (pad > 0) {
    // Random crop: pad once, then gather each image's window with one indexing call.
    const auto padded = torch::constant_pad_nd(x, {pad, pad, pad, pad}, 0);
    const auto oy = torch::randint(0, 2 * pad + 1, {n, 1}, torch::kInt64);
    const auto ox = torch::randint(0, 2 * pad + 1, {n, 1}, torch::kInt64);
    const auto rows = oy + torch::arange(h, torch::kInt64).view({1, h});  // n x h
    const auto cols = ox + torch::arange(w, torch::kInt64).view({1, w});  // n x w
    const auto batch = torch::arange(n, torch::kInt64).view({n, 1, 1});
    using torch::indexing::Slice;
    out = padded
              .index({batch, Slice(), rows.view({n, h, 1}), cols.view({n, 1, w})})  // n,h,w,c
              .permute({0, 3, 1, 2})
              .contiguous();
  }
  if (flip) {
    const auto mask = (torch::rand({n}) < 0.5).view({n, 1, 1, 1});
    out = torch::where(mask, out.flip({3}), out);
  }
  return out;
}

}  // namespace trainers
