// SummaryWriter's add_* calls for the kinds beyond scalars, histograms, single images and text.
// Each checks its input here, on the caller's thread, copies it, and leaves encoding (PNG, GIF,
// WAV, PR counts, protobuf) and file writing to the writer thread.
#include "embedding_files.hpp"
#include "event_encoding_kinds.hpp"
#include "kind_checks.hpp"
#include "pr_curve_internal.hpp"
#include "summary_writer_impl.hpp"

namespace tblog {
namespace {

std::string call_name(const char* call, std::string_view tag) {
  return std::string(call) + "('" + std::string(tag) + "')";
}

std::size_t image_bytes(const std::vector<Image>& images) {
  std::size_t bytes = 0;
  for (const Image& image : images) bytes += image.pixels.size();
  return bytes;
}

// Python's re.escape for the characters that mean something in a regular expression: the
// custom-scalars plugin matches chart tags as regexes.
std::string escape_regex(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// At least one image, each valid, all of image 0's size; `noun` names them in the messages.
void check_one_size(const std::vector<Image>& images, const std::string& what, const char* noun,
                    const char* why_same) {
  if (images.empty()) throw InvalidArgument(what + ": no " + noun + "s");
  for (std::size_t i = 0; i < images.size(); ++i) {
    std::string which = what;  // "<call>: <noun> <i>"
    which.append(": ").append(noun).append(" ").append(std::to_string(i));
    validate_image(images[i], which.c_str());
    if (images[i].width != images[0].width || images[i].height != images[0].height) {
      which.append(" differs in size from ").append(noun).append(" 0").append(why_same);
      throw InvalidArgument(which);
    }
  }
}

}  // namespace

void SummaryWriter::add_images(std::string_view tag, std::vector<Image> images, std::int64_t step,
                               std::optional<double> wall_time) {
  check_tag(tag, "add_images");
  const std::string what = call_name("add_images", tag);
  check_one_size(images, what, "image", " (one tag's samples share a size)");
  const double wt = resolve_wall_time(wall_time, "add_images");
  const std::size_t bytes = image_bytes(images);
  auto encode = [images = std::move(images), step, wt](const std::string& stored_tag, bool first) {
    std::vector<std::string> pngs;
    pngs.reserve(images.size());
    for (const Image& image : images) pngs.push_back(encode_png(image));
    return detail::images_event(stored_tag, images[0].width, images[0].height, pngs, step, wt,
                                first);
  };
  impl_->add_deferred({std::string(tag), std::move(encode)}, bytes, "add_images");
}

void SummaryWriter::add_video(std::string_view tag, std::vector<Image> frames, std::int64_t step,
                              const VideoOptions& options) {
  check_tag(tag, "add_video");
  const std::string what = call_name("add_video", tag);
  if (!(options.fps > 0 && options.fps <= 100)) {
    throw InvalidArgument(what + ": fps is " + std::to_string(options.fps) +
                          ", must be in (0, 100]");
  }
  check_one_size(frames, what, "frame", "");
  const double wt = resolve_wall_time(options.wall_time, "add_video");
  const std::size_t bytes = image_bytes(frames);
  auto encode = [frames = std::move(frames), options, step, wt](const std::string& stored_tag,
                                                                bool) {
    const Image& first = frames.front();
    return detail::image_event(stored_tag, first.width, first.height, first.channels,
                               encode_gif(frames, options), step, wt);
  };
  impl_->add_deferred({std::string(tag), std::move(encode)}, bytes, "add_video");
}

void SummaryWriter::add_scalars(std::string_view main_tag,
                                const std::vector<std::pair<std::string, double>>& values,
                                std::int64_t step, std::optional<double> wall_time) {
  check_tag(main_tag, "add_scalars");
  const std::string what = call_name("add_scalars", main_tag);
  if (values.empty()) throw InvalidArgument(what + ": no values");
  for (const auto& [name, value] : values) {
    if (name.empty()) throw InvalidArgument(what + ": a value has an empty name");
  }
  const double wt = resolve_wall_time(wall_time, "add_scalars");
  if (impl_->first_scalar_group(main_tag)) {
    LayoutChart chart{std::string(main_tag), {"^" + escape_regex(main_tag) + "/"}, {}};
    add_custom_scalar_layout({LayoutCategory{std::string(main_tag), {chart}, false}});
  }
  std::string tag;
  for (const auto& [name, value] : values) {
    tag.assign(main_tag).append("/").append(name);
    impl_->add_scalar(tag, static_cast<float>(value), step, wt);
  }
}

void SummaryWriter::add_pr_curve(std::string_view tag, const std::vector<float>& predictions,
                                 const std::vector<bool>& labels, std::int64_t step,
                                 const PrCurveOptions& options) {
  check_tag(tag, "add_pr_curve");
  detail::check_pr_curve_input(predictions, labels, options, call_name("add_pr_curve", tag));
  const double wt = resolve_wall_time(options.wall_time, "add_pr_curve");
  const std::size_t bytes = predictions.size() * 5 + options.weights.size() * 4;
  auto encode = [predictions, labels, options, step, wt](const std::string& stored_tag,
                                                         bool first) {
    return detail::pr_curve_event(stored_tag, detail::pr_curve_of(predictions, labels, options),
                                  step, wt, first);
  };
  impl_->add_deferred({std::string(tag), std::move(encode)}, bytes, "add_pr_curve");
}

void SummaryWriter::add_histogram_data(std::string_view tag, Histogram histogram, std::int64_t step,
                                       std::optional<double> wall_time) {
  check_tag(tag, "add_histogram_data");
  detail::check_histogram(histogram, call_name("add_histogram_data", tag));
  const double wt = resolve_wall_time(wall_time, "add_histogram_data");
  const std::size_t bytes = sizeof(Histogram) + histogram.buckets.size() * sizeof(HistogramBucket);
  auto encode = [h = std::move(histogram), step, wt](const std::string& stored_tag, bool first) {
    return detail::histogram_event(stored_tag, h, step, wt, first);
  };
  impl_->add_deferred({std::string(tag), std::move(encode)}, bytes, "add_histogram_data");
}

void SummaryWriter::add_pr_curve_data(std::string_view tag, const PrCurveData& data,
                                      std::int64_t step, std::optional<double> wall_time) {
  check_tag(tag, "add_pr_curve_data");
  detail::check_pr_curve_data(data, call_name("add_pr_curve_data", tag));
  const double wt = resolve_wall_time(wall_time, "add_pr_curve_data");
  auto encode = [data, step, wt](const std::string& stored_tag, bool first) {
    return detail::pr_curve_event(stored_tag, data, step, wt, first);
  };
  impl_->add_deferred({std::string(tag), std::move(encode)}, data.precision.size() * 48,
                      "add_pr_curve_data");
}

void SummaryWriter::add_pr_curves(std::string_view tag, const std::vector<float>& scores,
                                  const std::vector<int>& labels,
                                  const std::vector<std::string>& class_names, std::int64_t step,
                                  const PrCurveOptions& options) {
  check_tag(tag, "add_pr_curves");
  const std::string what = call_name("add_pr_curves", tag);
  const std::size_t classes = class_names.size();
  if (classes < 2) throw InvalidArgument(what + ": needs at least 2 class names");
  if (labels.empty() || scores.size() != labels.size() * classes) {
    throw InvalidArgument(what + ": " + std::to_string(scores.size()) + " scores for " +
                          std::to_string(labels.size()) + " labels x " + std::to_string(classes) +
                          " classes");
  }
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] < 0 || static_cast<std::size_t>(labels[i]) >= classes) {
      throw InvalidArgument(what + ": label " + std::to_string(i) + " is " +
                            std::to_string(labels[i]) + ", classes are 0.." +
                            std::to_string(classes - 1));
    }
  }
  for (std::size_t c = 0; c < classes; ++c) {
    if (class_names[c].empty())
      throw InvalidArgument(what + ": class " + std::to_string(c) + " has no name");
  }
  std::vector<float> predictions(labels.size());
  std::vector<bool> is_class(labels.size());
  for (std::size_t c = 0; c < classes; ++c) {
    for (std::size_t i = 0; i < labels.size(); ++i) {
      predictions[i] = scores[i * classes + c];
      is_class[i] = static_cast<std::size_t>(labels[i]) == c;
    }
    add_pr_curve(std::string(tag) + "/" + class_names[c], predictions, is_class, step, options);
  }
}

void SummaryWriter::add_audio(std::string_view tag, Audio audio, std::int64_t step,
                              std::string_view label_markdown, std::optional<double> wall_time) {
  check_tag(tag, "add_audio");
  validate_audio(audio, call_name("add_audio", tag).c_str());
  const double wt = resolve_wall_time(wall_time, "add_audio");
  const std::size_t bytes = audio.samples.size() * sizeof(float);
  auto encode = [audio = std::move(audio), label = std::string(label_markdown), step, wt](
                    const std::string& stored_tag, bool first) {
    return detail::audio_event(stored_tag, encode_wav(audio), label, step, wt, first);
  };
  impl_->add_deferred({std::string(tag), std::move(encode)}, bytes, "add_audio");
}

void SummaryWriter::add_mesh(std::string_view tag, Mesh mesh, std::int64_t step,
                             std::optional<double> wall_time) {
  check_tag(tag, "add_mesh");
  detail::check_mesh(mesh, call_name("add_mesh", tag));
  const double wt = resolve_wall_time(wall_time, "add_mesh");
  const std::size_t bytes = mesh.vertices.size() * 4 + mesh.faces.size() * 4 + mesh.colors.size();
  auto encode = [mesh = std::move(mesh), step, wt](const std::string& stored_tag, bool) {
    return detail::mesh_event(stored_tag, mesh, step, wt);
  };
  impl_->add_deferred({std::string(tag), std::move(encode)}, bytes, "add_mesh");
}

void SummaryWriter::add_graph(const Graph& graph) {
  detail::check_graph(graph, "add_graph");
  impl_->add_prebuilt("__graph__", detail::graph_event(graph, now_seconds()), "add_graph");
}

void SummaryWriter::add_run_metadata(std::string_view tag, std::vector<NodeStats> stats,
                                     std::int64_t step) {
  check_tag(tag, "add_run_metadata");
  detail::check_node_stats(stats, call_name("add_run_metadata", tag));
  const double wt = now_seconds();
  auto encode = [stats = std::move(stats), step, wt](const std::string& stored_tag, bool) {
    return detail::run_metadata_event(stored_tag, stats, step, wt);
  };
  impl_->add_deferred({std::string(tag), std::move(encode)}, 64, "add_run_metadata");
}

void SummaryWriter::add_embedding(std::string_view tag, Embedding embedding, std::int64_t step) {
  check_tag(tag, "add_embedding");
  detail::check_embedding(embedding, call_name("add_embedding", tag));
  const std::size_t bytes =
      embedding.values.size() * sizeof(float) + image_bytes(embedding.thumbnails);
  auto encode = [embedding = std::move(embedding), run_dir = logdir(), step](
                    const std::string& stored_tag, bool) {
    detail::write_embedding_files(run_dir, stored_tag, step, embedding);
    return std::string();  // files only, no record
  };
  impl_->add_deferred({std::string(tag), std::move(encode)}, bytes, "add_embedding");
}

}  // namespace tblog
