// Audio, embeddings, PR curves and meshes from tensors: each checked for shape and dtype, then
// copied to the host once and handed to the core writer.
#include <ATen/ATen.h>

#include <vector>

#include "pixels.hpp"
#include "tblog/torch/tensors.hpp"
#include "tensor_checks.hpp"

namespace tblog {
namespace {

using torch_detail::reject;
using torch_detail::require_real;
using torch_detail::to_int_size;

template <typename T>
std::vector<T> host_vector(const at::Tensor& t, at::ScalarType type) {
  const at::Tensor host = t.detach().to(at::kCPU, type).contiguous();
  const T* data = host.data_ptr<T>();
  return std::vector<T>(data, data + host.numel());
}

bool is_integral(const at::Tensor& t) {
  return at::isIntegralType(t.scalar_type(), /*includeBool=*/false);
}

// N integer labels (or bool) as booleans; anything but 0 and 1 is refused.
std::vector<bool> binary_labels(const char* call, std::string_view tag, const at::Tensor& labels,
                                std::int64_t n) {
  if (!labels.defined() || labels.numel() != n ||
      !(is_integral(labels) || labels.scalar_type() == at::kBool))
    reject(call, tag, std::to_string(n) + " bool or 0/1 integer labels", labels);
  const auto values = host_vector<std::int64_t>(labels.reshape({-1}), at::kLong);
  std::vector<bool> out;
  out.reserve(values.size());
  for (const auto v : values) {
    if (v != 0 && v != 1)
      reject(call, tag, "labels that are 0 or 1 (found " + std::to_string(v) + ")", labels);
    out.push_back(v == 1);
  }
  return out;
}

std::vector<int> class_labels(const char* call, std::string_view tag, const at::Tensor& labels,
                              std::int64_t n, std::size_t classes) {
  if (!labels.defined() || labels.dim() != 1 || labels.size(0) != n || !is_integral(labels))
    reject(call, tag, std::to_string(n) + " integer class labels (1-d)", labels);
  const auto values = host_vector<std::int64_t>(labels, at::kLong);
  std::vector<int> out;
  out.reserve(values.size());
  for (const auto v : values) {
    if (v < 0 || (classes > 0 && static_cast<std::size_t>(v) >= classes)) {
      reject(call, tag,
             "labels in 0.." + std::to_string(classes - 1) + " (found " + std::to_string(v) + ")",
             labels);
    }
    out.push_back(static_cast<int>(v));
  }
  return out;
}

}  // namespace

void add_audio(SummaryWriter& writer, std::string_view tag, const at::Tensor& samples,
               int sample_rate, std::int64_t step, std::string_view label_markdown) {
  require_real("add_audio", tag, samples);
  if ((samples.dim() != 1 && samples.dim() != 2) || !samples.is_floating_point())
    reject("add_audio", tag, "floating samples, 1-d (mono) or channels x samples", samples);
  Audio audio;
  audio.sample_rate = sample_rate;
  audio.channels = samples.dim() == 1 ? 1 : to_int_size("add_audio", tag, samples.size(0));
  // channels x samples -> interleaved frames (L R L R ...).
  const at::Tensor frames = samples.dim() == 1 ? samples : samples.t();
  audio.samples = host_vector<float>(frames, at::kFloat);
  writer.add_audio(tag, std::move(audio), step, label_markdown);
}

Embedding make_embedding(const at::Tensor& features, const EmbeddingTensors& extras) {
  const char* call = "make_embedding";
  require_real(call, "", features);
  if (features.dim() != 2) reject(call, "", "N x D features", features);
  Embedding e;
  e.rows = to_int_size(call, "", features.size(0));
  e.dims = to_int_size(call, "", features.size(1));
  e.values = host_vector<float>(features, at::kFloat);
  // A column of class indices, shown as their names when there are names.
  const auto named_column = [&](const char* name, const std::vector<int>& classes) {
    EmbeddingColumn column{name, {}};
    column.values.reserve(classes.size());
    for (const int c : classes) {
      column.values.push_back(extras.class_names.empty() ? std::to_string(c)
                                                         : extras.class_names[c]);
    }
    return column;
  };
  const std::size_t classes = extras.class_names.size();
  std::vector<int> labels, guesses;
  if (extras.labels.defined()) {
    labels = class_labels(call, "", extras.labels, e.rows, classes);
    e.metadata.push_back(named_column("label", labels));
  }
  if (extras.predictions.defined()) {
    guesses = class_labels(call, "", extras.predictions, e.rows, classes);
    e.metadata.push_back(named_column("predicted", guesses));
  }
  if (!labels.empty() && !guesses.empty()) {
    EmbeddingColumn correct{"correct", {}};
    for (std::size_t i = 0; i < labels.size(); ++i)
      correct.values.emplace_back(labels[i] == guesses[i] ? "yes" : "no");
    e.metadata.push_back(std::move(correct));
  }
  if (extras.thumbnails.defined()) {
    if (extras.thumbnails.dim() != 4 || extras.thumbnails.size(0) != e.rows)
      reject(call, "", std::to_string(e.rows) + " NCHW thumbnails", extras.thumbnails);
    e.thumbnails = torch_detail::batch_images(call, "", extras.thumbnails);
  }
  return e;
}

void add_embedding(SummaryWriter& writer, std::string_view tag, const at::Tensor& features,
                   std::int64_t step, const EmbeddingTensors& extras) {
  if (!features.defined() || features.dim() != 2)
    reject("add_embedding", tag, "N x D features", features);
  writer.add_embedding(tag, make_embedding(features, extras), step);
}

void add_pr_curve(SummaryWriter& writer, std::string_view tag, const at::Tensor& probabilities,
                  const at::Tensor& labels, std::int64_t step, const PrCurveOptions& options) {
  require_real("add_pr_curve", tag, probabilities);
  if (!probabilities.is_floating_point())
    reject("add_pr_curve", tag, "floating probabilities in [0, 1]", probabilities);
  const auto flags = binary_labels("add_pr_curve", tag, labels, probabilities.numel());
  writer.add_pr_curve(tag, host_vector<float>(probabilities.reshape({-1}), at::kFloat), flags, step,
                      options);
}

void add_pr_curves(SummaryWriter& writer, std::string_view tag, const at::Tensor& scores,
                   const at::Tensor& labels, const std::vector<std::string>& class_names,
                   std::int64_t step, const PrCurveOptions& options) {
  require_real("add_pr_curves", tag, scores);
  if (scores.dim() != 2 || !scores.is_floating_point() ||
      scores.size(1) != static_cast<std::int64_t>(class_names.size())) {
    reject("add_pr_curves", tag,
           "N x " + std::to_string(class_names.size()) + " floating scores (one column a class)",
           scores);
  }
  const auto classes =
      class_labels("add_pr_curves", tag, labels, scores.size(0), class_names.size());
  writer.add_pr_curves(tag, host_vector<float>(scores, at::kFloat), classes, class_names, step,
                       options);
}

void add_mesh(SummaryWriter& writer, std::string_view tag, const at::Tensor& vertices,
              std::int64_t step, const at::Tensor& colors, const at::Tensor& faces) {
  require_real("add_mesh", tag, vertices);
  at::Tensor v = vertices.dim() == 3 && vertices.size(0) == 1 ? vertices[0] : vertices;
  if (v.dim() != 2 || v.size(1) != 3 || !v.is_floating_point())
    reject("add_mesh", tag, "N x 3 (or 1 x N x 3) floating vertices", vertices);
  Mesh mesh;
  mesh.vertices = host_vector<float>(v, at::kFloat);
  if (colors.defined()) {
    at::Tensor c = colors.dim() == 3 && colors.size(0) == 1 ? colors[0] : colors;
    if (c.dim() != 2 || c.size(0) != v.size(0) || c.size(1) != 3 ||
        !(c.is_floating_point() || c.scalar_type() == at::kByte))
      reject("add_mesh", tag, std::to_string(v.size(0)) + " x 3 colours (uint8 or [0, 1])", colors);
    mesh.colors = host_vector<std::uint8_t>(torch_detail::to_bytes(c), at::kByte);
  }
  if (faces.defined()) {
    at::Tensor f = faces.dim() == 3 && faces.size(0) == 1 ? faces[0] : faces;
    if (f.dim() != 2 || f.size(1) != 3 || !is_integral(f))
      reject("add_mesh", tag, "F x 3 integer faces", faces);
    mesh.faces = host_vector<std::int32_t>(f, at::kInt);
  }
  writer.add_mesh(tag, std::move(mesh), step);
}

}  // namespace tblog
