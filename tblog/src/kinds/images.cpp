// The images plugin: add_image (one image, the legacy Summary.Image) and add_images (several, the
// plugin's own tensor), their checks and their events. PNG encoding runs on the writer thread,
// or on the caller's when the pixels would not fit in the queue.
#include "event_encoding_helpers.hpp"
#include "shared_by_kinds.hpp"
#include "summary_writer_impl.hpp"
#include "tblog/error.hpp"
#include "tblog/plugins.pb.h"

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
    impl_->add_finished_on_caller({std::string(tag), std::move(encoded)}, png_bytes, "add_image");
    return;
  }
  auto encode = [image = std::move(image), step, wt](const std::string& stored_tag, bool) {
    return detail::image_event(stored_tag, image.width, image.height, image.channels,
                               encode_png(image), step, wt);
  };
  impl_->add_deferred({std::string(tag), std::move(encode)}, bytes, "add_image");
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
  impl_->add_deferred({std::string(tag), std::move(encode)}, bytes, "add_images");
}

}  // namespace tblog
