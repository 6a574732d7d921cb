#include "embedding_files.hpp"
#include "input_file.hpp"

#include <fcntl.h>
#include <google/protobuf/text_format.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "tblog/error.hpp"
#include "tblog/projector.pb.h"

namespace tblog::detail {
namespace fs = std::filesystem;
namespace {

constexpr const char* kConfigName = "projector_config.pbtxt";
constexpr const char* kEntryName = "embedding.pbtxt";

// A tag as one directory name: letters, digits, '_' and '-' kept, every other byte as %XX, so
// distinct tags never share a directory and none can be "." or "..".
std::string directory_name(const std::string& tag) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : tag) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '_' || c == '-') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

void write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw IoError("cannot write " + path.string());
}

std::string tensor_tsv(const Embedding& e) {
  std::string out;
  out.reserve(e.values.size() * 12);
  char buffer[32];
  for (int r = 0; r < e.rows; ++r) {
    for (int d = 0; d < e.dims; ++d) {
      if (d) out += '\t';
      // The float32 as the shortest text of its exact double value: TensorBoard parses into a
      // double and then rounds to float32, and the shortest float32 text could round twice.
      const double v = e.values[static_cast<std::size_t>(r) * e.dims + d];
      const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
      out.append(buffer, result.ptr);
    }
    out += '\n';
  }
  return out;
}

// The projector reads a first line with a tab as the column names, so a single column has no
// header (its name is not shown) and several columns always have one.
std::string metadata_tsv(const Embedding& e) {
  std::string out;
  const bool header = e.metadata.size() > 1;
  if (header) {
    for (std::size_t c = 0; c < e.metadata.size(); ++c) {
      if (c) out += '\t';
      out += e.metadata[c].name;
    }
    out += '\n';
  }
  for (int r = 0; r < e.rows; ++r) {
    for (std::size_t c = 0; c < e.metadata.size(); ++c) {
      if (c) out += '\t';
      out += e.metadata[c].values[static_cast<std::size_t>(r)];
    }
    out += '\n';
  }
  return out;
}

// Thumbnails in a square grid, row by row from the top left, as the projector expects.
Image sprite_of(const Embedding& e) {
  const Image& first = e.thumbnails.front();
  const auto side = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(e.rows))));
  Image sprite;
  sprite.width = side * first.width;
  sprite.height = side * first.height;
  sprite.channels = first.channels;
  sprite.pixels.assign(static_cast<std::size_t>(sprite.width) * sprite.height * sprite.channels, 0);
  const auto row_bytes = static_cast<std::size_t>(first.width) * first.channels;
  for (int i = 0; i < e.rows; ++i) {
    const Image& t = e.thumbnails[static_cast<std::size_t>(i)];
    const int x0 = (i % side) * first.width, y0 = (i / side) * first.height;
    for (int y = 0; y < first.height; ++y) {
      std::copy_n(t.pixels.data() + y * row_bytes, row_bytes,
                  sprite.pixels.data() +
                      (static_cast<std::size_t>(y0 + y) * sprite.width + x0) * sprite.channels);
    }
  }
  return sprite;
}

class DirectoryLock {
 public:
  explicit DirectoryLock(const fs::path& path)
      : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0) {
      if (fd_ >= 0) ::close(fd_);
      throw IoError("cannot lock " + path.string());
    }
  }
  ~DirectoryLock() { ::close(fd_); }  // closing releases the lock
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  int fd_;
};

// Every entry under <run>/projector, in (tag directory, step) order.
pb::ProjectorConfig collect_entries(const fs::path& projector_dir) {
  struct Found {
    std::string tag_dir;
    std::int64_t step;
    fs::path entry;
  };
  std::vector<Found> found;
  for (const auto& tag_dir : fs::directory_iterator(projector_dir)) {
    if (!tag_dir.is_directory()) continue;
    for (const auto& step_dir : fs::directory_iterator(tag_dir.path())) {
      const fs::path entry = step_dir.path() / kEntryName;
      const std::string step_name = step_dir.path().filename().string();
      std::int64_t step = 0;
      const auto parsed =
          std::from_chars(step_name.data(), step_name.data() + step_name.size(), step);
      if (parsed.ec != std::errc() || !fs::exists(entry)) continue;
      found.push_back({tag_dir.path().filename().string(), step, entry});
    }
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return a.tag_dir != b.tag_dir ? a.tag_dir < b.tag_dir : a.step < b.step;
  });
  pb::ProjectorConfig config;
  for (const Found& f : found) {
    pb::EmbeddingInfo info;
    std::string text;  // an entry that cannot be read is left out, not listed empty
    if (read_whole_file(f.entry.string(), text) &&
        google::protobuf::TextFormat::ParseFromString(text, &info))
      *config.add_embeddings() = std::move(info);
  }
  return config;
}

}  // namespace

bool read_whole_file(const std::string& path, std::string& out) {
  try {
    out = read_input_file(path, "projector file");
    return true;
  } catch (const IoError&) {
    return false;
  }
}

void write_embedding_files(const std::string& run_dir, const std::string& tag, std::int64_t step,
                           const Embedding& embedding) {
  const fs::path run(run_dir);
  const std::string relative = "projector/" + directory_name(tag) + "/" + std::to_string(step);
  const fs::path dir = run / relative;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw IoError("cannot create " + dir.string() + ": " + ec.message());

  pb::EmbeddingInfo info;
  // "@", not ":": the projector strips a ":0" suffix (TensorFlow's output index) from names.
  info.set_tensor_name(tag + "@" + std::to_string(step));
  info.set_tensor_path(relative + "/tensors.tsv");
  info.add_tensor_shape(static_cast<std::uint32_t>(embedding.rows));
  info.add_tensor_shape(static_cast<std::uint32_t>(embedding.dims));
  write_file(dir / "tensors.tsv", tensor_tsv(embedding));
  if (!embedding.metadata.empty()) {
    info.set_metadata_path(relative + "/metadata.tsv");
    write_file(dir / "metadata.tsv", metadata_tsv(embedding));
  }
  if (!embedding.thumbnails.empty()) {
    info.mutable_sprite()->set_image_path(relative + "/sprite.png");
    info.mutable_sprite()->add_single_image_dim(
        static_cast<std::uint32_t>(embedding.thumbnails[0].width));
    info.mutable_sprite()->add_single_image_dim(
        static_cast<std::uint32_t>(embedding.thumbnails[0].height));
    write_file(dir / "sprite.png", encode_png(sprite_of(embedding)));
  }
  std::string entry;
  google::protobuf::TextFormat::PrintToString(info, &entry);
  write_file(dir / kEntryName, entry);

  // Rebuild the run's config from every entry, under the lock, and swap it in by rename.
  static std::atomic<unsigned> counter{0};
  const DirectoryLock lock(run / "projector" / ".lock");
  std::string config;
  google::protobuf::TextFormat::PrintToString(collect_entries(run / "projector"), &config);
  const fs::path temporary = run / (std::string(kConfigName) + ".tmp." +
                                    std::to_string(::getpid()) + "." + std::to_string(counter++));
  write_file(temporary, config);
  fs::rename(temporary, run / kConfigName, ec);
  if (ec) {
    fs::remove(temporary, ec);
    throw IoError("cannot replace " + (run / kConfigName).string());
  }
}

}  // namespace tblog::detail
