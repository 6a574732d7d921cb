/// @file
/// Every tblog kind from LibTorch tensors: opt-in, like fmt's headers for foreign types. Link
/// tblog::torch and include this header; the core tblog never sees a torch type.
///
/// ```cpp
///   tblog::SummaryWriter writer("runs/mnist");
///   tblog::add_scalar(writer, "train/loss", loss, step);            // a 0-d tensor
///   tblog::add_histogram(writer, "fc1/weight", fc1->weight, step);  // any dtype, any device
///   tblog::add_image(writer, "inputs", images, step);               // NCHW: one grid
/// ```
///
/// Tensors may be non-contiguous, require grad or live on a GPU: nothing needs copying first.
/// Histograms are reduced where the tensor lives (statistics and bucket counts by torch ops; only
/// the counts are copied), images are converted to 8 bits there. A tensor of the wrong shape or
/// dtype throws tblog::InvalidArgument (a std::invalid_argument) naming the call, the tag and the
/// shape received; so do values the core rejects (audio outside [-1, 1], PR predictions outside
/// [0, 1]), as the core's calls do.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tblog/summary_writer.hpp"
#include "tblog/torch/export.hpp"

namespace tblog {

/// A 0-d (or one-element) tensor of any real dtype. NaN and Inf are written as they are.
TBLOG_TORCH_API void add_scalar(SummaryWriter& writer, std::string_view tag,
                                const at::Tensor& value, std::int64_t step);

/// The histogram of a tensor's finite values, computed where the tensor lives. Floating (float16
/// and bfloat16 too) and integer dtypes; NaN and Inf are counted in stats.non_finite and left out
/// of the buckets, as make_histogram does. Empty `edges`: TensorBoard's default layout.
TBLOG_TORCH_API Histogram histogram_of(const at::Tensor& values, const BucketEdges& edges = {});

/// On the CPU a float32/float64 tensor is handed to the writer as it is (bucketed off the calling
/// thread); any other tensor is reduced by histogram_of where it lives.
TBLOG_TORCH_API void add_histogram(SummaryWriter& writer, std::string_view tag,
                                   const at::Tensor& values, std::int64_t step,
                                   const HistogramOptions& options = {});

enum class ImageLayout { kCHW, kHWC };

/// One image: CHW (PyTorch's layout) or HWC, or HW (gray); 1, 3 or 4 channels. Floating images
/// are taken as values in [0, 1] (clamped; NaN becomes 0), uint8 images as they are.
TBLOG_TORCH_API Image to_image(const at::Tensor& image, ImageLayout layout = ImageLayout::kCHW);

/// torchvision.utils.make_grid's defaults: 8 tiles a row, 2 pixels of padding, values as given.
TBLOG_TORCH_API GridOptions torchvision_grid_options();

/// A batch NCHW (C 1 or 3; floating in [0, 1] or uint8) tiled into one image.
TBLOG_TORCH_API Image make_grid(const at::Tensor& images,
                                const GridOptions& options = torchvision_grid_options());

/// A 3-d image (CHW or HWC as `layout` says) or a batch NCHW, shown as one grid.
TBLOG_TORCH_API void add_image(SummaryWriter& writer, std::string_view tag, const at::Tensor& image,
                               std::int64_t step, ImageLayout layout = ImageLayout::kCHW);

/// A batch NCHW as N images under one tag (the IMAGES dashboard's sample slider).
TBLOG_TORCH_API void add_images(SummaryWriter& writer, std::string_view tag,
                                const at::Tensor& images, std::int64_t step);

/// Videos NTCHW (T frames of N clips; floating in [0, 1] or uint8): each frame is the grid of
/// the N clips' frames, written as one animated GIF.
TBLOG_TORCH_API void add_video(SummaryWriter& writer, std::string_view tag, const at::Tensor& video,
                               std::int64_t step, const VideoOptions& options = {});

/// Samples in [-1, 1]: a 1-d mono clip, or 2-d channels x samples.
TBLOG_TORCH_API void add_audio(SummaryWriter& writer, std::string_view tag,
                               const at::Tensor& samples, int sample_rate, std::int64_t step,
                               std::string_view label_markdown = {});

/// What the PROJECTOR shows besides the points.
struct EmbeddingTensors {
  at::Tensor labels;                     ///< optional, N integers: a "label" column
  std::vector<std::string> class_names;  ///< optional: labels shown as these names
  at::Tensor thumbnails;                 ///< optional, NCHW images (as add_images takes)
  /// optional, N integers: a "predicted" column (shown as class_names, as labels are), and with
  /// labels a "correct" one ("yes" or "no")
  at::Tensor predictions;
};

/// N x D features (any real dtype, any device) with optional labels and thumbnails.
TBLOG_TORCH_API Embedding make_embedding(const at::Tensor& features,
                                         const EmbeddingTensors& extras = {});
TBLOG_TORCH_API void add_embedding(SummaryWriter& writer, std::string_view tag,
                                   const at::Tensor& features, std::int64_t step,
                                   const EmbeddingTensors& extras = {});

/// One PR curve: N probabilities in [0, 1] and N labels (bool or 0/1 integers).
TBLOG_TORCH_API void add_pr_curve(SummaryWriter& writer, std::string_view tag,
                                  const at::Tensor& probabilities, const at::Tensor& labels,
                                  std::int64_t step, const PrCurveOptions& options = {});

/// One curve per class, "<tag>/<class name>": N x C scores in [0, 1] (softmax outputs) and N
/// class indices.
TBLOG_TORCH_API void add_pr_curves(SummaryWriter& writer, std::string_view tag,
                                   const at::Tensor& scores, const at::Tensor& labels,
                                   const std::vector<std::string>& class_names, std::int64_t step,
                                   const PrCurveOptions& options = {});

/// Vertices N x 3 (or 1 x N x 3, TensorBoard's own shape), optional colours N x 3 (uint8, or
/// floating in [0, 1]) and faces F x 3 (integer vertex indices).
TBLOG_TORCH_API void add_mesh(SummaryWriter& writer, std::string_view tag,
                              const at::Tensor& vertices, std::int64_t step,
                              const at::Tensor& colors = {}, const at::Tensor& faces = {});

}  // namespace tblog
