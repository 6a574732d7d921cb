#include "pixels.hpp"

#include <ATen/ATen.h>

#include <cstring>

#include "tensor_checks.hpp"

namespace tblog::torch_detail {

bool is_image_dtype(const at::Tensor& t) {
  return t.is_floating_point() || t.scalar_type() == at::kByte;
}

at::Tensor to_bytes(const at::Tensor& t) {
  if (t.scalar_type() == at::kByte) return t;
  return at::nan_to_num(t.to(at::kFloat), 0.0, 1.0, 0.0).clamp(0, 1).mul(255).round().to(at::kByte);
}

at::Tensor to_unit_floats(const at::Tensor& t) {
  if (t.scalar_type() == at::kByte) return t.to(at::kFloat).div(255);
  return at::nan_to_num(t.to(at::kFloat), 0.0, 1.0, 0.0);
}

Image host_image(const at::Tensor& hwc) {
  Image image;
  image.height = static_cast<int>(hwc.size(0));
  image.width = static_cast<int>(hwc.size(1));
  image.channels = static_cast<int>(hwc.size(2));
  image.pixels.resize(static_cast<std::size_t>(hwc.numel()));
  std::memcpy(image.pixels.data(), hwc.data_ptr<std::uint8_t>(), image.pixels.size());
  return image;
}

std::vector<Image> batch_images(const char* call, std::string_view tag, const at::Tensor& batch) {
  require_real(call, tag, batch);
  const auto c = batch.dim() == 4 ? batch.size(1) : 0;
  if (batch.dim() != 4 || (c != 1 && c != 3 && c != 4) || !is_image_dtype(batch))
    reject(call, tag, "NCHW images with 1, 3 or 4 channels, floating in [0, 1] or uint8", batch);
  to_int_size(call, tag, batch.size(2) * batch.size(3) * c);
  const at::Tensor nhwc = to_bytes(batch.detach().permute({0, 2, 3, 1})).contiguous().cpu();
  std::vector<Image> images;
  images.reserve(static_cast<std::size_t>(nhwc.size(0)));
  for (std::int64_t i = 0; i < nhwc.size(0); ++i) images.push_back(host_image(nhwc[i]));
  return images;
}

}  // namespace tblog::torch_detail
