#include "tblog/torch/occlusion.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "tblog/torch/text_raster.hpp"

namespace tblog {

namespace {

namespace F = torch::nn::functional;

// Ten distinguishable class colours (a fixed palette; classes beyond ten repeat it).
constexpr Rgb kPalette[] = {{31, 119, 180},  {255, 127, 14}, {44, 160, 44},   {214, 39, 40},
                            {148, 103, 189}, {140, 86, 75},  {227, 119, 194}, {127, 127, 127},
                            {188, 189, 34},  {23, 190, 207}};

// 0..1 to a dark-blue - green - yellow ramp (low sensitivity dark, high bright).
Rgb heat(float t) {
  t = std::clamp(t, 0.f, 1.f);
  const Rgb stops[] = {{20, 20, 90}, {30, 150, 140}, {250, 230, 40}};
  const float x = t * 2;
  const int i = std::min(1, static_cast<int>(x));
  const float f = x - static_cast<float>(i);
  Rgb c;
  for (int k = 0; k < 3; ++k)
    c[k] = static_cast<std::uint8_t>(stops[i][k] + (stops[i + 1][k] - stops[i][k]) * f);
  return c;
}

// 0.934 -> "93%" (the core has no fmt dependency to lend this layer).
std::string percent(float share) {
  return std::to_string(static_cast<int>(std::lround(100 * share))) + "%";
}

std::int64_t occluder_size(const OcclusionOptions& o, std::int64_t image_size) {
  return o.size > 0 ? o.size : std::max<std::int64_t>(2, image_size / 4);
}

}  // namespace

OcclusionMaps occlusion_maps(const Classify& classify, const ConvStack& stack,
                             const torch::Tensor& image, std::int64_t truth,
                             const OcclusionOptions& options) {
  torch::NoGradGuard no_grad;
  const std::int64_t h = image.size(1), w = image.size(2);
  const std::int64_t size = std::min({occluder_size(options, h), h, w});
  const std::int64_t stride = std::max(1, options.stride);
  const std::int64_t rows = (h - size) / stride + 1, cols = (w - size) / stride + 1;
  auto batch = image.unsqueeze(0).repeat({rows * cols, 1, 1, 1});
  const auto fill = (options.fill.defined() ? options.fill.to(image.device(), image.dtype())
                                            : torch::zeros({image.size(0)}, image.options()))
                        .view({-1, 1, 1})
                        .expand({image.size(0), size, size});
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t c = 0; c < cols; ++c)
      batch[r * cols + c].narrow(1, r * stride, size).narrow(2, c * stride, size).copy_(fill);
  const auto probabilities = torch::softmax(classify(batch), 1);
  OcclusionMaps maps;
  maps.probability = probabilities.select(1, truth).view({rows, cols}).to(torch::kCPU);
  maps.label = probabilities.argmax(1).view({rows, cols}).to(torch::kCPU);
  if (!stack.layers.empty()) {
    const int top = static_cast<int>(stack.layers.size()) - 1;
    const auto intact =
        forward_with_switches(stack, image.unsqueeze(0)).activations[static_cast<std::size_t>(top)];
    maps.strongest_map = intact[0].flatten(1).amax(1).argmax().item<std::int64_t>();
    const auto occluded =
        forward_with_switches(stack, batch).activations[static_cast<std::size_t>(top)];
    maps.activation =
        occluded.select(1, maps.strongest_map).sum({1, 2}).view({rows, cols}).to(torch::kCPU);
  }
  return maps;
}

Image occlusion_figure(const Classify& classify, const ConvStack& stack,
                       const torch::Tensor& images, const torch::Tensor& standardized,
                       const torch::Tensor& labels, const std::vector<std::string>& class_names,
                       const OcclusionOptions& options) {
  const int n = static_cast<int>(std::min<std::int64_t>(options.images, images.size(0)));
  const int h = static_cast<int>(images.size(2)), w = static_cast<int>(images.size(3));
  const int zoom = std::max(1, 128 / h), th = h * zoom, tw = w * zoom, gap = 8;
  constexpr int kText = 2;
  const int header = text_height(kText) + 2 * gap;
  const int legend =
      (static_cast<int>(class_names.size()) + 4) / 5 * (text_height(kText) + gap) + gap;
  const int caption = text_height(kText) + gap;
  Image out{header + n * (th + caption + gap) + legend, gap + 4 * (tw + gap), 3, {}};
  out.pixels.assign(static_cast<std::size_t>(out.width) * out.height * 3, 255);
  const char* titles[] = {"INPUT", "P(TRUE CLASS)", "STRONGEST MAP", "MOST LIKELY"};
  for (int c = 0; c < 4; ++c) {
    if (c == 2 && stack.layers.empty()) continue;  // no conv stack: no feature maps to show
    draw_text(out, gap + c * (tw + gap), gap, titles[c], {0, 0, 0}, kText);
  }

  const auto originals = images.to(torch::kCPU).to(torch::kUInt8).contiguous();
  for (int i = 0; i < n; ++i) {
    const auto truth = labels[i].item<std::int64_t>();
    const OcclusionMaps maps = occlusion_maps(classify, stack, standardized[i], truth, options);
    // Each map resized to the image: bilinear for the numbers, nearest for the labels.
    auto resize = [&](const torch::Tensor& m, bool nearest) {
      auto opts = F::InterpolateFuncOptions().size(std::vector<std::int64_t>{h, w});
      opts = nearest ? opts.mode(torch::kNearest) : opts.mode(torch::kBilinear).align_corners(true);
      return F::interpolate(m.to(torch::kFloat32).unsqueeze(0).unsqueeze(0), opts)[0][0];
    };
    // Both maps on their own range: what matters is where the sensitivity is (the caption gives
    // the probability's range).
    const auto p = resize(maps.probability, false);
    const auto probability = (p - p.min()) / (p.max() - p.min()).clamp_min(1e-12);
    torch::Tensor activation;
    if (maps.activation.defined()) {
      const auto a = resize(maps.activation, false);
      activation = (a - a.min()) / (a.max() - a.min()).clamp_min(1e-12);
    }
    const auto label = resize(maps.label, true).round().to(torch::kInt64);
    const int y0 = header + i * (th + caption + gap);
    const auto img_t = originals[i].contiguous();
    const auto img = img_t.accessor<std::uint8_t, 3>();
    const int channels = static_cast<int>(img_t.size(0));
    const auto p_t = probability.contiguous();
    const auto p_acc = p_t.accessor<float, 2>();
    const auto a_t = activation.defined() ? activation.contiguous() : torch::zeros({h, w});
    const auto a_acc = a_t.accessor<float, 2>();
    const auto l_t = label.contiguous();
    const auto l_acc = l_t.accessor<std::int64_t, 2>();
    for (int y = 0; y < th; ++y) {
      for (int x = 0; x < tw; ++x) {
        const int sy = y / zoom, sx = x / zoom;
        Rgb pixel;
        for (int k = 0; k < 3; ++k) pixel[k] = img[channels == 3 ? k : 0][sy][sx];
        const std::uint8_t gray = static_cast<std::uint8_t>((pixel[0] + pixel[1] + pixel[2]) / 3);
        auto blend = [&](Rgb c) {
          Rgb b;
          for (int k = 0; k < 3; ++k) b[k] = static_cast<std::uint8_t>(0.35f * gray + 0.65f * c[k]);
          return b;
        };
        fill_rect(out, gap + x, y0 + y, 1, 1, pixel);
        fill_rect(out, gap + (tw + gap) + x, y0 + y, 1, 1, blend(heat(p_acc[sy][sx])));
        if (activation.defined())
          fill_rect(out, gap + 2 * (tw + gap) + x, y0 + y, 1, 1, blend(heat(a_acc[sy][sx])));
        const auto cls = static_cast<std::size_t>(l_acc[sy][sx]);
        fill_rect(out, gap + 3 * (tw + gap) + x, y0 + y, 1, 1, blend(kPalette[cls % 10]));
      }
    }
    const int ty = y0 + th + 3;
    draw_text(out, gap, ty, class_names[static_cast<std::size_t>(truth)], {0, 0, 0}, kText);
    draw_text(out, gap + (tw + gap), ty,
              percent(maps.probability.min().item<float>()) + "-" +
                  percent(maps.probability.max().item<float>()),
              {0, 0, 0}, kText);
    if (maps.strongest_map >= 0)
      draw_text(
          out, gap + 2 * (tw + gap), ty,
          "CONV" + std::to_string(stack.layers.size()) + " #" + std::to_string(maps.strongest_map),
          {0, 0, 0}, kText);
  }
  // Legend: each class's colour and name.
  const int ly = header + n * (th + caption + gap);
  for (std::size_t c = 0; c < class_names.size(); ++c) {
    const int x = gap + static_cast<int>(c % 5) * ((out.width - gap) / 5);
    const int y = ly + static_cast<int>(c / 5) * (text_height(kText) + gap);
    fill_rect(out, x, y, text_height(kText), text_height(kText), kPalette[c % 10]);
    draw_text(out, x + text_height(kText) + 4, y, class_names[c], {0, 0, 0}, kText);
  }
  return out;
}

}  // namespace tblog
