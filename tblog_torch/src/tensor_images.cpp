// Images, grids and videos from tensors. Pixels are converted to 8 bits (or grids to float)
// where the tensor lives, so only the final pixels cross to the host.
#include <ATen/ATen.h>

#include <cstring>
#include <vector>

#include "pixels.hpp"
#include "tblog/torch/tensors.hpp"
#include "tensor_checks.hpp"

namespace tblog {
namespace {

using torch_detail::batch_images;
using torch_detail::host_image;
using torch_detail::is_image_dtype;
using torch_detail::reject;
using torch_detail::require_real;
using torch_detail::to_bytes;
using torch_detail::to_int_size;
using torch_detail::to_unit_floats;

Image grid_of(const char* call, std::string_view tag, const at::Tensor& images,
              const GridOptions& options) {
  require_real(call, tag, images);
  const auto c = images.dim() == 4 ? images.size(1) : 0;
  if (images.dim() != 4 || (c != 1 && c != 3) || !is_image_dtype(images))
    reject(call, tag, "NCHW images with 1 or 3 channels, floating in [0, 1] or uint8", images);
  const at::Tensor host = to_unit_floats(images.detach()).contiguous().cpu();
  return make_image_grid(host.data_ptr<float>(), to_int_size(call, tag, host.size(0)),
                         static_cast<int>(c), to_int_size(call, tag, host.size(2)),
                         to_int_size(call, tag, host.size(3)), options);
}

Image one_image(const char* call, std::string_view tag, const at::Tensor& image,
                ImageLayout layout) {
  require_real(call, tag, image);
  at::Tensor hwc = image.detach();
  if (hwc.dim() == 2)
    hwc = hwc.unsqueeze(2);
  else if (hwc.dim() == 3 && layout == ImageLayout::kCHW)
    hwc = hwc.permute({1, 2, 0});
  const auto c = hwc.dim() == 3 ? hwc.size(2) : 0;
  if (hwc.dim() != 3 || (c != 1 && c != 3 && c != 4) || !is_image_dtype(image)) {
    reject(call, tag,
           std::string(layout == ImageLayout::kCHW ? "CHW" : "HWC") +
               " or HW with 1, 3 or 4 channels, floating in [0, 1] or uint8",
           image);
  }
  to_int_size(call, tag, hwc.numel());
  return host_image(to_bytes(hwc).contiguous().cpu());
}

}  // namespace

Image to_image(const at::Tensor& image, ImageLayout layout) {
  return one_image("to_image", "", image, layout);
}

GridOptions torchvision_grid_options() {
  GridOptions options;
  options.columns = 8;
  options.padding = 2;
  options.normalize = GridNormalize::kNone;
  return options;
}

Image make_grid(const at::Tensor& images, const GridOptions& options) {
  return grid_of("make_grid", "", images, options);
}

void add_image(SummaryWriter& writer, std::string_view tag, const at::Tensor& image,
               std::int64_t step, ImageLayout layout) {
  if (image.defined() && image.dim() == 4) {
    writer.add_image(tag, grid_of("add_image", tag, image, torchvision_grid_options()), step);
  } else {
    writer.add_image(tag, one_image("add_image", tag, image, layout), step);
  }
}

void add_images(SummaryWriter& writer, std::string_view tag, const at::Tensor& images,
                std::int64_t step) {
  writer.add_images(tag, batch_images("add_images", tag, images), step);
}

void add_video(SummaryWriter& writer, std::string_view tag, const at::Tensor& video,
               std::int64_t step, const VideoOptions& options) {
  require_real("add_video", tag, video);
  const auto c = video.dim() == 5 ? video.size(2) : 0;
  if (video.dim() != 5 || (c != 1 && c != 3) || !is_image_dtype(video))
    reject("add_video", tag, "NTCHW videos with 1 or 3 channels, floating in [0, 1] or uint8",
           video);
  std::vector<Image> frames;
  frames.reserve(static_cast<std::size_t>(video.size(1)));
  for (std::int64_t t = 0; t < video.size(1); ++t)
    frames.push_back(grid_of("add_video", tag, video.select(1, t), torchvision_grid_options()));
  writer.add_video(tag, std::move(frames), step, options);
}

}  // namespace tblog
