// 16-bit PCM WAV files for the audio plugin (the one encoding TensorBoard's audio dashboard plays).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "little_endian.hpp"
#include "tblog/audio.hpp"
#include "tblog/error.hpp"

namespace tblog {
namespace {

void store_le16(char* out, std::uint16_t v) {
  out[0] = static_cast<char>(v);
  out[1] = static_cast<char>(v >> 8);
}

constexpr std::size_t kHeaderBytes = 44;

}  // namespace

void validate_audio(const Audio& audio, const char* what) {
  const std::string name(what);
  if (audio.channels < 1 || audio.channels > 64) {
    throw InvalidArgument(name + ": channels is " + std::to_string(audio.channels) +
                          ", must be 1..64");
  }
  if (audio.sample_rate < 1 || audio.sample_rate > 1'000'000) {
    throw InvalidArgument(name + ": sample_rate is " + std::to_string(audio.sample_rate) +
                          ", must be 1..1000000");
  }
  if (audio.samples.empty()) throw InvalidArgument(name + ": no samples");
  if (audio.samples.size() % static_cast<std::size_t>(audio.channels) != 0) {
    throw InvalidArgument(name + ": " + std::to_string(audio.samples.size()) +
                          " samples do not split into frames of " + std::to_string(audio.channels) +
                          " channels");
  }
  // The RIFF size fields are 32-bit.
  if (audio.samples.size() * 2 > std::numeric_limits<std::uint32_t>::max() - kHeaderBytes) {
    throw InvalidArgument(name + ": too long for a WAV file (4 GiB)");
  }
  for (std::size_t i = 0; i < audio.samples.size(); ++i) {
    const float x = audio.samples[i];
    if (!(x >= -1.f && x <= 1.f)) {
      throw InvalidArgument(name + ": sample " + std::to_string(i) + " is " + std::to_string(x) +
                            ", must be in [-1, 1]");
    }
  }
}

std::string encode_wav(const Audio& audio) {
  validate_audio(audio, "encode_wav");
  const auto data_bytes = static_cast<std::uint32_t>(audio.samples.size() * 2);
  const auto channels = static_cast<std::uint16_t>(audio.channels);
  const auto rate = static_cast<std::uint32_t>(audio.sample_rate);
  std::string out(kHeaderBytes + data_bytes, '\0');
  char* p = out.data();
  std::copy_n("RIFF", 4, p);
  detail::store_le32(p + 4, 36 + data_bytes);
  std::copy_n("WAVEfmt ", 8, p + 8);
  detail::store_le32(p + 16, 16);  // size of the fmt chunk
  store_le16(p + 20, 1);           // PCM
  store_le16(p + 22, channels);
  detail::store_le32(p + 24, rate);
  detail::store_le32(p + 28, rate * channels * 2);               // bytes per second
  store_le16(p + 32, static_cast<std::uint16_t>(channels * 2));  // bytes per frame
  store_le16(p + 34, 16);                                        // bits per sample
  std::copy_n("data", 4, p + 36);
  detail::store_le32(p + 40, data_bytes);
  p += kHeaderBytes;
  for (const float x : audio.samples) {
    const auto sample = static_cast<std::int16_t>(std::lrint(x * 32767.f));
    store_le16(p, static_cast<std::uint16_t>(sample));
    p += 2;
  }
  return out;
}

}  // namespace tblog
