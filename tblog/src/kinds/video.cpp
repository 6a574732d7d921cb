// Videos in the images plugin: add_video encodes the frames as one animated GIF (on the writer
// thread) and writes it as a legacy Summary.Image, which the plugin shows playing.
#include "tblog/video.hpp"
#include "shared_by_kinds.hpp"
#include "summary_writer_impl.hpp"
#include "tblog/error.hpp"

namespace tblog {

void SummaryWriter::add_video(std::string_view tag, std::vector<Image> frames, std::int64_t step,
                              const VideoOptions& options) {
  detail::check_tag(tag, "add_video");
  const std::string what = detail::call_name("add_video", tag);
  if (!(options.fps > 0 && options.fps <= 100)) {
    throw InvalidArgument(what + ": fps is " + std::to_string(options.fps) +
                          ", must be in (0, 100]");
  }
  detail::check_same_size(frames, what, "frame", "");
  const double wt = detail::resolve_wall_time(options.wall_time, "add_video");
  const std::size_t bytes = detail::image_bytes(frames);
  auto encode = [frames = std::move(frames), options, step, wt](const std::string& stored_tag,
                                                                bool) {
    const Image& first = frames.front();
    return detail::image_event(stored_tag, first.width, first.height, first.channels,
                               encode_gif(frames, options), step, wt);
  };
  impl_->add_deferred({std::string(tag), std::move(encode)}, bytes, "add_video", "images");
}

}  // namespace tblog
