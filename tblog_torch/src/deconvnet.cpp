#include "tblog/torch/deconvnet.hpp"

#include <torch/torch.h>

#include <algorithm>

#include "tblog/torch/text_raster.hpp"

namespace tblog {

namespace {

namespace F = torch::nn::functional;

torch::Tensor activate(const ConvStack& stack, const torch::Tensor& x) {
  return stack.relu ? torch::relu(x) : torch::tanh(x);
}

// The window cropped out of one C x H x W tensor, zero outside the image.
torch::Tensor crop(const torch::Tensor& image, const Window& w) {
  const std::int64_t h = image.size(1), wd = image.size(2);
  auto out = torch::zeros({image.size(0), w.size, w.size}, image.options());
  const std::int64_t y0 = std::max<std::int64_t>(w.y0, 0), x0 = std::max<std::int64_t>(w.x0, 0);
  const std::int64_t y1 = std::min(w.y0 + w.size, h), x1 = std::min(w.x0 + w.size, wd);
  if (y1 > y0 && x1 > x0) {
    out.narrow(1, y0 - w.y0, y1 - y0).narrow(2, x0 - w.x0, x1 - x0) =
        image.narrow(1, y0, y1 - y0).narrow(2, x0, x1 - x0);
  }
  return out;
}

// A projection stretched to 0..1 over its own range (its sign is arbitrary after the filters).
torch::Tensor full_contrast(const torch::Tensor& t) {
  const auto lo = t.min(), hi = t.max();
  const auto range = (hi - lo).clamp_min(1e-12);
  return (t - lo) / range;
}

// Tiles (count x C x s x s floats in 0..1) into a grid with dark-blue separators, then a label
// margin: row labels on the left, `header` above.
Image labelled_grid(const torch::Tensor& tiles, int columns, int scale,
                    const std::vector<std::string>& row_labels,
                    const std::vector<std::pair<int, std::string>>& header) {
  GridOptions options;
  options.columns = columns;
  options.scale = scale;
  options.padding = 2;
  options.normalize = GridNormalize::kNone;
  options.separator_color = std::array<std::uint8_t, 3>{20, 30, 70};
  const auto t = tiles.to(torch::kCPU).to(torch::kFloat32).contiguous();
  const Image grid =
      make_image_grid(t.data_ptr<float>(), static_cast<int>(t.size(0)), static_cast<int>(t.size(1)),
                      static_cast<int>(t.size(2)), static_cast<int>(t.size(3)), options);
  constexpr int kText = 2;
  const int left = 4 * kText * 4 + 8, top = text_height(kText) + 10;
  Image out{grid.height + top, grid.width + left, 3,
            std::vector<std::uint8_t>(
                static_cast<std::size_t>(grid.height + top) * (grid.width + left) * 3, 255)};
  for (int y = 0; y < grid.height; ++y) {
    std::copy_n(grid.pixels.data() + static_cast<std::size_t>(y) * grid.width * 3, grid.width * 3,
                out.pixels.data() + (static_cast<std::size_t>(y + top) * out.width + left) * 3);
  }
  const int tile_h = static_cast<int>(t.size(2)) * scale + options.padding;
  for (std::size_t r = 0; r < row_labels.size(); ++r) {
    draw_text(
        out, 4,
        top + options.padding + static_cast<int>(r) * tile_h + (tile_h - text_height(kText)) / 2,
        row_labels[r], {0, 0, 0}, kText);
  }
  const int tile_w = static_cast<int>(t.size(3)) * scale + options.padding;
  for (const auto& [column, text] : header)
    draw_text(out, left + options.padding + column * tile_w, 4, text, {0, 0, 0}, kText);
  return out;
}

int zoom_for(std::int64_t size) {
  return std::max<int>(1, static_cast<int>(42 / size));
}

}  // namespace

ForwardRecord forward_with_switches(const ConvStack& stack, const torch::Tensor& images) {
  ForwardRecord record;
  torch::Tensor h = images;
  for (const ConvLayer& layer : stack.layers) {
    const auto a = activate(
        stack,
        F::conv2d(h, layer.weight, F::Conv2dFuncOptions().bias(layer.bias).padding(layer.padding)));
    auto [pooled, indices] = torch::max_pool2d_with_indices(a, 2);
    record.activations.push_back(a);
    record.switches.push_back(indices);
    h = pooled;
  }
  return record;
}

torch::Tensor project(const ConvStack& stack, const ForwardRecord& record, int layer,
                      const std::vector<Activation>& activations) {
  const auto& a = record.activations[static_cast<std::size_t>(layer)];
  const auto k = static_cast<std::int64_t>(activations.size());
  auto r = torch::zeros({k, a.size(1), a.size(2), a.size(3)}, a.options());
  std::vector<std::int64_t> images;
  for (std::int64_t i = 0; i < k; ++i) {
    const Activation& s = activations[static_cast<std::size_t>(i)];
    r[i][s.map][s.y][s.x] = s.value;
    images.push_back(s.image);
  }
  const auto image_index = torch::tensor(images, torch::kInt64).to(a.device());
  for (int l = layer; l >= 0; --l) {
    const ConvLayer& conv = stack.layers[static_cast<std::size_t>(l)];
    r = torch::relu(r);  // the paper rectifies on the way down whatever the forward nonlinearity
    r = F::conv_transpose2d(r, conv.weight, F::ConvTranspose2dFuncOptions().padding(conv.padding));
    if (l > 0) {
      const auto& below = record.activations[static_cast<std::size_t>(l - 1)];
      const auto switches =
          record.switches[static_cast<std::size_t>(l - 1)].index_select(0, image_index);
      r = torch::max_unpool2d(r, switches, {below.size(2), below.size(3)});
    }
  }
  return r;
}

std::vector<std::vector<Activation>> top_activations(const ConvStack& stack,
                                                     const torch::Tensor& images, int layer, int k,
                                                     std::int64_t batch) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> best_values, best_positions;
  std::int64_t width = 0;
  for (std::int64_t i = 0; i < images.size(0); i += batch) {
    const auto len = std::min(batch, images.size(0) - i);
    const auto a = forward_with_switches(stack, images.narrow(0, i, len))
                       .activations[static_cast<std::size_t>(layer)];
    width = a.size(3);
    auto [values, positions] = a.flatten(2).max(2);  // N x F: each image's strongest per map
    best_values.push_back(values);
    best_positions.push_back(positions);
  }
  const auto values = torch::cat(best_values).to(torch::kCPU);
  const auto positions = torch::cat(best_positions).to(torch::kCPU);
  const auto count = std::min<std::int64_t>(k, values.size(0));
  std::vector<std::vector<Activation>> per_map;
  for (std::int64_t m = 0; m < values.size(1); ++m) {
    const auto [top, idx] = values.select(1, m).topk(count);
    std::vector<Activation> row;
    for (std::int64_t j = 0; j < count; ++j) {
      const auto image = idx[j].item<std::int64_t>();
      const auto pos = positions[image][m].item<std::int64_t>();
      row.push_back({image, m, pos / width, pos % width, top[j].item<float>()});
    }
    per_map.push_back(std::move(row));
  }
  return per_map;
}

Window receptive_field(const ConvStack& stack, int layer, std::int64_t y, std::int64_t x) {
  Window w{y, x, 1};
  for (int l = layer; l >= 0; --l) {
    const ConvLayer& conv = stack.layers[static_cast<std::size_t>(l)];
    const std::int64_t kernel = conv.weight.size(2);
    w = {w.y0 - conv.padding, w.x0 - conv.padding, w.size + kernel - 1};  // into the conv's input
    if (l > 0) w = {w.y0 * 2, w.x0 * 2, w.size * 2};                      // through the pool below
  }
  return w;
}

Image top_activation_figure(const ConvStack& stack, const torch::Tensor& images,
                            const torch::Tensor& standardized, int layer, int k) {
  torch::NoGradGuard no_grad;
  const auto per_map = top_activations(stack, standardized, layer, k);
  std::vector<torch::Tensor> tiles;
  std::vector<std::string> labels;
  std::int64_t size = 0;
  for (const auto& row : per_map) {
    // Forward again on just this map's images, to have their switches.
    std::vector<std::int64_t> which;
    std::vector<Activation> local = row;
    for (std::size_t j = 0; j < row.size(); ++j) {
      which.push_back(row[j].image);
      local[j].image = static_cast<std::int64_t>(j);
    }
    const auto index = torch::tensor(which, torch::kInt64).to(standardized.device());
    const auto batch = standardized.index_select(0, index);
    const auto projections =
        project(stack, forward_with_switches(stack, batch), layer, local).to(torch::kCPU);
    std::vector<torch::Tensor> patches;
    for (std::size_t j = 0; j < row.size(); ++j) {
      const Window w = receptive_field(stack, layer, row[j].y, row[j].x);
      size = w.size;
      tiles.push_back(full_contrast(crop(projections[static_cast<std::int64_t>(j)], w)));
      patches.push_back(crop(images[row[j].image].to(torch::kFloat32) / 255.0, w));
    }
    for (std::int64_t j = static_cast<std::int64_t>(row.size()); j < k; ++j)
      tiles.push_back(torch::ones_like(tiles.back()));
    tiles.push_back(torch::ones_like(tiles.back()));  // the white gap between the halves
    for (auto& p : patches) tiles.push_back(p);
    for (std::int64_t j = static_cast<std::int64_t>(row.size()); j < k; ++j)
      tiles.push_back(torch::ones_like(tiles.back()));
    labels.push_back(std::to_string(row.front().map));
  }
  const int zoom = zoom_for(size);
  return labelled_grid(torch::stack(tiles), 2 * k + 1, zoom, labels,
                       {{0, "PROJECTIONS"}, {k + 1, "IMAGE PATCHES"}});
}

Image strongest_projections_row(const ConvStack& stack, const torch::Tensor& standardized,
                                int layer, const std::vector<std::int64_t>& maps) {
  torch::NoGradGuard no_grad;
  const auto per_map = top_activations(stack, standardized, layer, 1);
  std::vector<Activation> chosen;
  std::vector<std::int64_t> which;
  for (const std::int64_t m : maps) {
    Activation a = per_map[static_cast<std::size_t>(m)].front();
    which.push_back(a.image);
    a.image = static_cast<std::int64_t>(chosen.size());
    chosen.push_back(a);
  }
  const auto batch =
      standardized.index_select(0, torch::tensor(which, torch::kInt64).to(standardized.device()));
  const auto projections =
      project(stack, forward_with_switches(stack, batch), layer, chosen).to(torch::kCPU);
  std::vector<torch::Tensor> tiles;
  std::vector<std::pair<int, std::string>> header;
  std::int64_t size = 0;
  for (std::size_t j = 0; j < chosen.size(); ++j) {
    const Window w = receptive_field(stack, layer, chosen[j].y, chosen[j].x);
    size = w.size;
    tiles.push_back(full_contrast(crop(projections[static_cast<std::int64_t>(j)], w)));
    header.emplace_back(static_cast<int>(j), "#" + std::to_string(maps[j]));
  }
  return labelled_grid(torch::stack(tiles), static_cast<int>(tiles.size()), zoom_for(size), {},
                       header);
}

std::vector<std::int64_t> followed_maps(const ConvStack& stack) {
  std::vector<std::int64_t> maps;
  const auto n = stack.layers.back().weight.size(0);
  for (std::int64_t m = 0; m < std::min<std::int64_t>(8, n); ++m) maps.push_back(m);
  return maps;
}

}  // namespace tblog
