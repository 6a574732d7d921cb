#include "tblog/torch/filters.hpp"

#include <ATen/ATen.h>

#include <algorithm>
#include <stdexcept>

#include "tensor_checks.hpp"

namespace tblog {

Image filter_grid(const at::Tensor& filters) {
  if (!filters.defined() || filters.dim() != 4 || filters.numel() == 0 || filters.is_complex())
    torch_detail::reject("filter_grid", "", "out x in x kh x kw filters", filters);
  at::Tensor f = filters.detach().to(at::kCPU, at::kFloat).contiguous();
  int channels = 3;
  if (f.size(1) != 3) {
    f = f.reshape({-1, 1, f.size(2), f.size(3)}).contiguous();  // one gray tile per channel
    channels = 1;
  }
  GridOptions options;
  options.scale = std::max<int>(1, 40 / static_cast<int>(f.size(2)));
  options.columns = 0;  // near-square (6 filters: 3x2), so the grid fits a TensorBoard card
  options.padding = 3;
  options.separator_color = {{40, 70, 130}};  // dark blue: not a gray level, so not a weight
  options.label_tiles = true;
  options.normalize = GridNormalize::kPerImage;
  return make_image_grid(f.data_ptr<float>(), static_cast<int>(f.size(0)), channels,
                         static_cast<int>(f.size(2)), static_cast<int>(f.size(3)), options);
}

}  // namespace tblog
