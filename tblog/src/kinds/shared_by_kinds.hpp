// What more than one kind uses: the encoders and checks shared between kinds/*.cpp (and the
// benchmarks' floor). Everything else of a kind stays in its own file. Internal to tblog.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tblog/histogram.hpp"
#include "tblog/image.hpp"

namespace tblog::detail {

// Legacy Summary.Image of one encoded image (images.cpp; video frames use it too).
std::string image_event(std::string_view tag, int width, int height, int channels,
                        const std::string& encoded, std::int64_t step, double wall_time);
// The histograms plugin's [k, 3] float64 tensor of (left, right, count) rows (histograms.cpp).
// `with_metadata`: TensorBoard needs the plugin metadata on the first value of a tag in each
// file; later values leave it out to keep files compact.
std::string histogram_event(std::string_view tag, const Histogram& histogram, std::int64_t step,
                            double wall_time, bool with_metadata);

// Pixel bytes of all `images`, what they weigh against the queue's bound (images.cpp).
std::size_t image_bytes(const std::vector<Image>& images);
// At least one image, each valid, all of image 0's size; `noun` names them in the messages and
// `why_same` ends the size message (images.cpp; video frames use it too).
void check_same_size(const std::vector<Image>& images, const std::string& what, const char* noun,
                     const char* why_same);

}  // namespace tblog::detail
