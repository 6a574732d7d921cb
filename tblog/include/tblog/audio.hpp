/// @file
/// Sound for the AUDIO dashboard.
#pragma once

#include <string>
#include <vector>
#include "tblog/export.hpp"

namespace tblog {

struct Audio {
  std::vector<float> samples;  ///< frames x channels, interleaved (L R L R ...), each in [-1, 1]
  int channels = 1;
  int sample_rate = 0;  ///< frames per second
};

/// Throws InvalidArgument naming `what` when the clip is empty, ragged, out of [-1, 1] or NaN.
TBLOG_API void validate_audio(const Audio& audio, const char* what = "audio");

/// A 16-bit PCM WAV file (RIFF, little-endian): each sample becomes round(x * 32767).
TBLOG_API std::string encode_wav(const Audio& audio);

}  // namespace tblog
