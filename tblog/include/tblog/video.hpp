/// @file
/// Animations for the IMAGES dashboard, written as animated GIFs (TensorBoard shows any image
/// format the browser can draw).
#pragma once

#include <optional>
#include <string>
#include <vector>
#include "tblog/export.hpp"
#include "tblog/image.hpp"

namespace tblog {

struct VideoOptions {
  double fps = 4;                   ///< frames per second (GIF stores 1/100 s delays)
  bool loop = true;                 ///< play forever; false: once
  std::optional<double> wall_time;  ///< empty: now
};

/// An animated GIF of `frames` (all HxWxC of one size; C = 1, 3 or 4, alpha dropped). Gray frames
/// keep every level; colour frames get their own 256-colour palette each (giflib's median cut).
/// Throws InvalidArgument on zero frames, mixed sizes or a bad fps.
TBLOG_API std::string encode_gif(const std::vector<Image>& frames,
                                 const VideoOptions& options = {});

}  // namespace tblog
