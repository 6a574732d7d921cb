// WAV and GIF encoders, decoded again (the GIF with giflib's own decoder).
#include <gif_lib.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "tblog/audio.hpp"
#include "tblog/error.hpp"
#include "tblog/video.hpp"

namespace tblog {
namespace {

std::uint32_t le32(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}
std::int16_t le16(const std::string& s, std::size_t at) {
  return static_cast<std::int16_t>(static_cast<unsigned char>(s[at]) |
                                   (static_cast<unsigned char>(s[at + 1]) << 8));
}

TEST(Wav, HeaderAndSamples) {
  const Audio audio{{0.f, 1.f, -1.f, 0.5f, -0.25f, 0.f}, 2, 16000};
  const std::string wav = encode_wav(audio);
  ASSERT_EQ(wav.size(), 44u + 12u);
  EXPECT_EQ(wav.substr(0, 4), "RIFF");
  EXPECT_EQ(le32(wav, 4), 36u + 12u);
  EXPECT_EQ(wav.substr(8, 8), "WAVEfmt ");
  EXPECT_EQ(le16(wav, 20), 1);  // PCM
  EXPECT_EQ(le16(wav, 22), 2);  // channels
  EXPECT_EQ(le32(wav, 24), 16000u);
  EXPECT_EQ(le32(wav, 28), 16000u * 4);
  EXPECT_EQ(le16(wav, 32), 4);
  EXPECT_EQ(le16(wav, 34), 16);
  EXPECT_EQ(wav.substr(36, 4), "data");
  EXPECT_EQ(le32(wav, 40), 12u);
  const std::int16_t expected[] = {0, 32767, -32767, 16384, -8192, 0};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(le16(wav, 44 + 2 * i), expected[i]) << i;
}

TEST(Wav, BadClipsNameTheProblem) {
  auto message = [](const Audio& a) {
    try {
      validate_audio(a, "add_audio('x')");
    } catch (const InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message({{}, 1, 8000}), "add_audio('x'): no samples");
  EXPECT_EQ(message({{0.f, 0.f, 0.f}, 2, 8000}),
            "add_audio('x'): 3 samples do not split into frames of 2 channels");
  EXPECT_EQ(message({{0.f, NAN}, 1, 8000}), "add_audio('x'): sample 1 is nan, must be in [-1, 1]");
  EXPECT_EQ(message({{0.f, 1.5f}, 1, 8000}),
            "add_audio('x'): sample 1 is 1.500000, must be in [-1, 1]");
  EXPECT_EQ(message({{0.f}, 1, 0}), "add_audio('x'): sample_rate is 0, must be 1..1000000");
  EXPECT_EQ(message({{0.f}, 0, 8000}), "add_audio('x'): channels is 0, must be 1..64");
}

struct DecodedGif {
  int frames = 0;
  int width = 0, height = 0;
  std::vector<std::vector<GifColorType>> pixels;  // per frame, row-major
  std::vector<int> delays;
  bool loops = false;
};

DecodedGif decode(const std::string& bytes) {
  struct Source {
    const std::string* bytes;
    std::size_t at = 0;
  } source{&bytes};
  auto read = [](GifFileType* gif, GifByteType* out, int n) {
    auto* s = static_cast<Source*>(gif->UserData);
    const int available = static_cast<int>(std::min<std::size_t>(n, s->bytes->size() - s->at));
    std::memcpy(out, s->bytes->data() + s->at, available);
    s->at += available;
    return available;
  };
  int error = 0;
  GifFileType* gif = DGifOpen(&source, read, &error);
  EXPECT_NE(gif, nullptr);
  EXPECT_EQ(DGifSlurp(gif), GIF_OK);
  DecodedGif out;
  out.frames = gif->ImageCount;
  out.width = gif->SWidth;
  out.height = gif->SHeight;
  for (int f = 0; f < gif->ImageCount; ++f) {
    const SavedImage& image = gif->SavedImages[f];
    const ColorMapObject* map =
        image.ImageDesc.ColorMap ? image.ImageDesc.ColorMap : gif->SColorMap;
    std::vector<GifColorType> pixels;
    for (int i = 0; i < image.ImageDesc.Width * image.ImageDesc.Height; ++i)
      pixels.push_back(map->Colors[image.RasterBits[i]]);
    out.pixels.push_back(pixels);
    GraphicsControlBlock gcb;
    if (DGifSavedExtensionToGCB(gif, f, &gcb) == GIF_OK) out.delays.push_back(gcb.DelayTime);
    for (int e = 0; e < image.ExtensionBlockCount; ++e) {
      const ExtensionBlock& block = image.ExtensionBlocks[e];
      if (block.Function == APPLICATION_EXT_FUNC_CODE && block.ByteCount == 11 &&
          std::memcmp(block.Bytes, "NETSCAPE2.0", 11) == 0)
        out.loops = true;
    }
  }
  DGifCloseFile(gif, &error);
  return out;
}

TEST(Gif, FewColoursAreKeptExactly) {
  std::vector<Image> frames;
  for (int f = 0; f < 3; ++f) {
    Image frame{4, 5, 3, std::vector<std::uint8_t>(4 * 5 * 3, 10)};
    frame.pixels[(f * 5 + f) * 3 + 0] = 255;  // one orange pixel on the diagonal
    frame.pixels[(f * 5 + f) * 3 + 1] = 128;
    frame.pixels[(f * 5 + f) * 3 + 2] = 3;
    frames.push_back(frame);
  }
  const DecodedGif gif = decode(encode_gif(frames, {10, true, std::nullopt}));
  ASSERT_EQ(gif.frames, 3);
  EXPECT_EQ(gif.width, 5);
  EXPECT_EQ(gif.height, 4);
  EXPECT_TRUE(gif.loops);
  EXPECT_EQ(gif.delays, (std::vector<int>{10, 10, 10}));
  for (int f = 0; f < 3; ++f) {
    const GifColorType on = gif.pixels[f][f * 5 + f];
    EXPECT_EQ(std::vector<int>({on.Red, on.Green, on.Blue}), std::vector<int>({255, 128, 3}));
    const GifColorType off = gif.pixels[f][(f * 5 + f + 1) % 20];
    EXPECT_EQ(std::vector<int>({off.Red, off.Green, off.Blue}), std::vector<int>({10, 10, 10}));
  }
}

TEST(Gif, GrayKeepsEveryLevelAndRichColourIsQuantizedClosely) {
  Image gray{16, 16, 1, std::vector<std::uint8_t>(256)};
  for (int i = 0; i < 256; ++i) gray.pixels[i] = static_cast<std::uint8_t>(i);
  const DecodedGif g = decode(encode_gif({gray}, {}));
  for (int i = 0; i < 256; ++i) EXPECT_EQ(g.pixels[0][i].Red, i);
  EXPECT_FALSE(decode(encode_gif({gray}, {4, false, std::nullopt})).loops);

  Image rich{64, 64, 3, std::vector<std::uint8_t>(64 * 64 * 3)};  // 4096 colours
  for (int i = 0; i < 64 * 64; ++i) {
    rich.pixels[i * 3] = static_cast<std::uint8_t>((i % 64) * 4);
    rich.pixels[i * 3 + 1] = static_cast<std::uint8_t>((i / 64) * 4);
    rich.pixels[i * 3 + 2] = 128;
  }
  const DecodedGif r = decode(encode_gif({rich}, {}));
  int worst = 0;
  double total = 0;
  for (int i = 0; i < 64 * 64; ++i) {
    const int red = std::abs(r.pixels[0][i].Red - rich.pixels[i * 3]);
    const int green = std::abs(r.pixels[0][i].Green - rich.pixels[i * 3 + 1]);
    worst = std::max({worst, red, green});
    total += red + green;
  }
  // 256 colours for 4096 (a 16 x 16 grid of boxes over a 64 x 64 ramp): close on average.
  EXPECT_LE(worst, 40);
  EXPECT_LE(total / (2 * 64 * 64), 12.0);
}

TEST(Gif, BadFramesAreRefused) {
  Image a{4, 4, 3, std::vector<std::uint8_t>(48)}, b{4, 5, 3, std::vector<std::uint8_t>(60)};
  EXPECT_THROW(encode_gif({}, {}), InvalidArgument);
  EXPECT_THROW(encode_gif({a, b}, {}), InvalidArgument);
  EXPECT_THROW(encode_gif({a}, {0, true, std::nullopt}), InvalidArgument);
  EXPECT_THROW(encode_gif({a}, {NAN, true, std::nullopt}), InvalidArgument);
}

}  // namespace
}  // namespace tblog
