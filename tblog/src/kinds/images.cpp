// The images plugin: add_image (one image, the legacy Summary.Image) and add_images (several, the
// plugin's own tensor), their checks and their events. PNG encoding runs on the writer thread,
// or on the caller's when the pixels would not fit in the queue.
#include "event_encoding_helpers.hpp"
#include "kind_codec.hpp"
#include "shared_by_kinds.hpp"
#include "summary_writer_impl.hpp"
#include "tblog/error.hpp"
#include "tblog/plugins.pb.h"
#include "tblog/value_views.hpp"

namespace tblog {
namespace detail {
namespace {

// The images plugin's own tensor: [width, height, image 1, image 2, ...] as strings.
std::string images_event(std::string_view tag, int width, int height,
                         const std::vector<std::string>& encoded, std::int64_t step,
                         double wall_time, bool with_metadata) {
  pb::Event event;
  auto* value = new_value(event, tag, step, wall_time);
  if (with_metadata) set_metadata(value, "images", pb::ImagePluginData().SerializeAsString());
  auto* tensor = value->mutable_tensor();
  tensor->set_dtype(pb::DT_STRING);
  add_dim(tensor, static_cast<std::int64_t>(encoded.size() + 2));
  tensor->add_string_val(std::to_string(width));
  tensor->add_string_val(std::to_string(height));
  for (const auto& image : encoded) tensor->add_string_val(image);
  return serialize(event);
}

}  // namespace

std::string image_event(std::string_view tag, int width, int height, int channels,
                        const std::string& encoded, std::int64_t step, double wall_time) {
  // Legacy Summary.Image: both of TensorBoard's loaders turn it into the images plugin's tensor
  // themselves, and it is 10 bytes per image smaller than writing that tensor (measured against
  // tensorboardX's files in bench/), with no metadata needed.
  pb::Event event;
  auto* value = new_value(event, tag, step, wall_time);
  auto* image = value->mutable_image();
  image->set_height(height);
  image->set_width(width);
  image->set_colorspace(channels);  // 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA
  image->set_encoded_image_string(encoded);
  return serialize(event);
}

std::size_t image_bytes(const std::vector<Image>& images) {
  std::size_t bytes = 0;
  for (const Image& image : images) bytes += image.pixels.size();
  return bytes;
}

void check_same_size(const std::vector<Image>& images, const std::string& what, const char* noun,
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

}  // namespace detail

void SummaryWriter::add_image(std::string_view tag, Image image, std::int64_t step,
                              std::optional<double> wall_time) {
  detail::check_tag(tag, "add_image");
  validate_image(image, detail::call_name("add_image", tag).c_str());
  const double wt = detail::resolve_wall_time(wall_time, "add_image");
  const std::size_t bytes = image.pixels.size();
  if (!impl_->queue_has_room_for(bytes)) {
    // As for histograms: rather than wait for the writer thread, the caller encodes this one
    // itself (the PNG is smaller than the pixels).
    std::string png = encode_png(image);
    const std::size_t png_bytes = png.size();
    const int width = image.width, height = image.height, channels = image.channels;
    auto encoded = [png = std::move(png), width, height, channels, step, wt](
                       const std::string& stored_tag, bool) {
      return detail::image_event(stored_tag, width, height, channels, png, step, wt);
    };
    impl_->add_finished_on_caller({std::string(tag), std::move(encoded)}, png_bytes, "add_image",
                                  "images");
    return;
  }
  auto encode = [image = std::move(image), step, wt](const std::string& stored_tag, bool) {
    return detail::image_event(stored_tag, image.width, image.height, image.channels,
                               encode_png(image), step, wt);
  };
  impl_->add_deferred({std::string(tag), std::move(encode)}, bytes, "add_image", "images");
}

void SummaryWriter::add_images(std::string_view tag, std::vector<Image> images, std::int64_t step,
                               std::optional<double> wall_time) {
  detail::check_tag(tag, "add_images");
  detail::check_same_size(images, detail::call_name("add_images", tag), "image",
                          " (one tag's samples share a size)");
  const double wt = detail::resolve_wall_time(wall_time, "add_images");
  const std::size_t bytes = detail::image_bytes(images);
  auto encode = [images = std::move(images), step, wt](const std::string& stored_tag, bool first) {
    std::vector<std::string> pngs;
    pngs.reserve(images.size());
    for (const Image& image : images) pngs.push_back(encode_png(image));
    return detail::images_event(stored_tag, images[0].width, images[0].height, pngs, step, wt,
                                first);
  };
  impl_->add_deferred({std::string(tag), std::move(encode)}, bytes, "add_images", "images");
}

}  // namespace tblog

// Reading: a blob sequence as TensorBoard serves images ("width", "height", then each encoded
// image), from the plugin's string tensor or a legacy Summary.Image.
namespace tblog::detail {
namespace {

// "28" -> 28; what is not up to nine digits, nullopt.
std::optional<int> parse_dimension(const std::string& s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  int n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

void decode_image(const pb::Summary::Value& value, SummaryValue& v) {
  BlobSequence images;
  if (value.value_case() == pb::Summary::Value::kImage) {
    images.blobs = {std::to_string(value.image().width()), std::to_string(value.image().height()),
                    value.image().encoded_image_string()};
  } else if (value.value_case() == pb::Summary::Value::kTensor) {
    const pb::TensorProto& t = value.tensor();
    if (t.string_val_size() < 2) inconsistent(v, "image tensor without width and height");
    if (!parse_dimension(t.string_val(0)) || !parse_dimension(t.string_val(1)))
      inconsistent(v, "image width/height are not numbers");
    images.blobs.assign(t.string_val().begin(), t.string_val().end());
  } else {
    return;
  }
  v.data = std::move(images);
}

// Width, height, and the encoded images (checked when decoded).
struct ImagesView {
  int width = 0, height = 0;
  std::size_t count = 0, first_bytes = 0;
};

ImagesView view_of(const SummaryValue& v) {
  ImagesView view;
  const BlobSequence* images = v.blobs();
  if (!images || images->blobs.size() < 2) return view;
  view.width = parse_dimension(images->blobs[0]).value_or(0);
  view.height = parse_dimension(images->blobs[1]).value_or(0);
  view.count = images->blobs.size() - 2;
  view.first_bytes = view.count ? images->blobs[2].size() : 0;
  return view;
}

std::string describe_image(const SummaryValue& v) {
  const ImagesView i = view_of(v);
  return "image " + std::to_string(i.width) + "x" + std::to_string(i.height) + " (" +
         std::to_string(i.count) + " encoded, " + std::to_string(i.first_bytes) + " bytes)";
}

std::string describe_image_json(const SummaryValue& v) {
  const ImagesView i = view_of(v);
  return ",\"width\":" + std::to_string(i.width) + ",\"height\":" + std::to_string(i.height) +
         ",\"images\":" + std::to_string(i.count);
}

}  // namespace

extern const KindCodec kImagesCodec{"images",     ValueKind::kImage, "image",
                                    decode_image, describe_image,    describe_image_json};

}  // namespace tblog::detail

tblog::ImagesView tblog::images_of(const SummaryValue& value) {
  ImagesView view;
  const BlobSequence* images = value.blobs();
  if (value.kind != ValueKind::kImage || !images || images->blobs.size() < 2) return view;
  view.width = detail::parse_dimension(images->blobs[0]).value_or(0);
  view.height = detail::parse_dimension(images->blobs[1]).value_or(0);
  view.encoded.assign(images->blobs.begin() + 2, images->blobs.end());
  return view;
}
