#include "tblog/torch/diagnostics.hpp"

#include <ATen/ATen.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "tblog/torch/text_raster.hpp"

namespace tblog {
namespace {

// "97%": printf's rounding, as the captions have always had.
std::string percent(double fraction) {
  char text[16];
  std::snprintf(text, sizeof text, "%.0f%%", 100 * fraction);
  return text;
}

constexpr Rgb kWhite{255, 255, 255}, kBlack{0, 0, 0}, kGrid{200, 200, 200};

// White (0) to dark blue (1): the colour scale of the matrix.
Rgb blues(double share) {
  const Rgb dark{8, 48, 107};
  Rgb c;
  for (int i = 0; i < 3; ++i)
    c[i] = static_cast<std::uint8_t>(255 + (dark[i] - 255) * std::clamp(share, 0.0, 1.0));
  return c;
}

std::size_t longest(const std::vector<std::string>& names) {
  std::size_t n = 0;
  for (const auto& s : names) n = std::max(n, s.size());
  return n;
}

Image blank_rgb(int width, int height) {
  return {height, width, 3,
          std::vector<std::uint8_t>(static_cast<std::size_t>(width) * height * 3, 255)};
}

}  // namespace

at::Tensor confusion_counts(const at::Tensor& predicted, const at::Tensor& labels, int classes) {
  const auto flat =
      labels.to(at::kCPU).to(at::kLong) * classes + predicted.to(at::kCPU).to(at::kLong);
  return at::bincount(flat, {}, static_cast<std::int64_t>(classes) * classes)
      .view({classes, classes});
}

Image confusion_matrix_image(const at::Tensor& counts,
                             const std::vector<std::string>& class_names) {
  const int classes = static_cast<int>(counts.size(0));
  constexpr int kScale = 2, kCell = 40, kMargin = 8;
  const int advance = 4 * kScale;
  const int left = static_cast<int>(longest(class_names)) * advance + 2 * kMargin;
  const int top =
      static_cast<int>(longest(class_names)) * (text_height(kScale) + kScale) + 2 * kMargin;
  Image image = blank_rgb(left + classes * kCell + kMargin, top + classes * kCell + kMargin);
  const auto c = counts.to(at::kCPU).to(at::kLong).contiguous();
  const auto* n = c.data_ptr<std::int64_t>();
  for (int t = 0; t < classes; ++t) {
    std::int64_t row_total = 0;
    for (int p = 0; p < classes; ++p) row_total += n[t * classes + p];
    const std::string& name = class_names[static_cast<std::size_t>(t)];
    draw_text(image, left - kMargin - text_width(name, kScale),
              top + t * kCell + (kCell - text_height(kScale)) / 2, name, kBlack, kScale);
    for (int p = 0; p < classes; ++p) {
      const std::int64_t count = n[t * classes + p];
      const double share = row_total ? static_cast<double>(count) / row_total : 0.0;
      const int x = left + p * kCell, y = top + t * kCell;
      fill_rect(image, x, y, kCell, kCell, kGrid);
      fill_rect(image, x + 1, y + 1, kCell - 1, kCell - 1, blues(share));
      const std::string text = std::to_string(count);
      draw_text(image, x + (kCell - text_width(text, kScale)) / 2,
                y + (kCell - text_height(kScale)) / 2, text, share > 0.5 ? kWhite : kBlack, kScale);
    }
  }
  // Predicted classes on top, each name written downwards above its column.
  for (int p = 0; p < classes; ++p) {
    const std::string& name = class_names[static_cast<std::size_t>(p)];
    const int x = left + p * kCell + (kCell - text_width("M", kScale)) / 2;
    const int step = text_height(kScale) + kScale;
    int y = top - kMargin - static_cast<int>(name.size()) * step;
    for (const char ch : name) {
      draw_text(image, x, y, std::string(1, ch), kBlack, kScale);
      y += step;
    }
  }
  draw_text(image, kMargin, kMargin, "TRUE", kBlack, kScale);
  draw_text(image, kMargin, kMargin + 2 * text_height(kScale), "PRED >", kBlack, kScale);
  return image;
}

std::vector<WrongPrediction> most_wrong(const at::Tensor& probabilities, const at::Tensor& labels,
                                        int k) {
  const auto p = probabilities.to(at::kCPU).to(at::kFloat);
  const auto [confidence, predicted] = p.max(1);
  const auto truth = labels.to(at::kCPU).to(at::kLong);
  const auto wrong = predicted.ne(truth).nonzero().flatten();
  std::vector<WrongPrediction> out;
  if (wrong.numel() == 0) return out;
  const auto order = confidence.index_select(0, wrong).argsort(0, /*descending=*/true);
  const auto count = std::min<std::int64_t>(k, wrong.numel());
  for (std::int64_t i = 0; i < count; ++i) {
    const std::int64_t index = wrong[order[i].item<std::int64_t>()].item<std::int64_t>();
    out.push_back({index, static_cast<int>(truth[index].item<std::int64_t>()),
                   static_cast<int>(predicted[index].item<std::int64_t>()),
                   confidence[index].item<double>()});
  }
  return out;
}

Image most_wrong_grid(const at::Tensor& images, const std::vector<WrongPrediction>& wrong,
                      const std::vector<std::string>& class_names) {
  constexpr int kZoom = 3, kPad = 6, kColumns = 4, kScale = 1;
  const int channels = static_cast<int>(images.size(1));
  const int h = static_cast<int>(images.size(2)) * kZoom,
            w = static_cast<int>(images.size(3)) * kZoom;
  const int caption = 2 * (text_height(kScale) + 3 * kScale);
  std::size_t longest_caption = 0;
  for (const auto& name : class_names) longest_caption = std::max(longest_caption, name.size() + 7);
  const int tile_w = std::max(w, text_width(std::string(longest_caption, 'M'), kScale));
  const int rows = std::max<int>(1, (static_cast<int>(wrong.size()) + kColumns - 1) / kColumns);
  Image grid = blank_rgb(kPad + kColumns * (tile_w + kPad), kPad + rows * (h + caption + kPad));
  const auto all = images.to(at::kCPU).to(at::kByte).contiguous();
  for (std::size_t i = 0; i < wrong.size(); ++i) {
    const auto& e = wrong[i];
    const int x0 = kPad + static_cast<int>(i % kColumns) * (tile_w + kPad);
    const int y0 = kPad + static_cast<int>(i / kColumns) * (h + caption + kPad);
    const auto img = all[e.index];
    const auto* px = img.data_ptr<std::uint8_t>();
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        const std::size_t src_y = static_cast<std::size_t>(y / kZoom),
                          src_x = static_cast<std::size_t>(x / kZoom);
        const std::size_t plane = static_cast<std::size_t>(images.size(2) * images.size(3));
        Rgb c;
        for (int k = 0; k < 3; ++k) {
          const int ch = channels == 3 ? k : 0;
          c[k] = px[ch * plane + src_y * static_cast<std::size_t>(images.size(3)) + src_x];
        }
        fill_rect(grid, x0 + x, y0 + y, 1, 1, c);
      }
    }
    const int ty = y0 + h + 2 * kScale;
    draw_text(grid, x0, ty, "T:" + class_names[static_cast<std::size_t>(e.truth)], {0, 110, 0},
              kScale);
    draw_text(
        grid, x0, ty + text_height(kScale) + 3 * kScale,
        "P:" + class_names[static_cast<std::size_t>(e.predicted)] + " " + percent(e.confidence),
        {180, 0, 0}, kScale);
  }
  return grid;
}

}  // namespace tblog
