// read_embeddings: the PROJECTOR's config and the files it names, as TensorBoard reads them.
#include <google/protobuf/text_format.h>

#include <charconv>
#include <filesystem>

#include "embedding_files.hpp"
#include "tblog/error.hpp"
#include "tblog/projector.pb.h"
#include "tblog/reader.hpp"

namespace tblog {
namespace fs = std::filesystem;
namespace {

std::string slurp(const fs::path& path) {
  std::string bytes;
  if (!detail::read_whole_file(path.string(), bytes))
    throw CorruptData(path.string() + ": cannot be read");
  return bytes;
}

// As TensorBoard does: relative paths are taken from the config's directory and must stay in it.
fs::path inside(const fs::path& run, const std::string& relative, const fs::path& config) {
  const fs::path base = fs::weakly_canonical(run);
  fs::path target = fs::weakly_canonical(base / relative);
  const auto [end, _] = std::mismatch(base.begin(), base.end(), target.begin(), target.end());
  if (end != base.end())
    throw CorruptData(config.string() + ": path '" + relative +
                      "' leads outside the run directory");
  return target;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    const auto at = text.find(separator, start);
    parts.push_back(text.substr(start, at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

void read_tensor(const fs::path& path, Embedding& e) {
  const std::string text = slurp(path);
  for (std::string_view line : split(text, '\n')) {
    if (line.empty()) continue;
    const auto cells = split(line, '\t');
    if (e.rows == 0) e.dims = static_cast<int>(cells.size());
    if (static_cast<int>(cells.size()) != e.dims) {
      throw CorruptData(path.string() + ": row " + std::to_string(e.rows) + " has " +
                        std::to_string(cells.size()) + " values, row 0 has " +
                        std::to_string(e.dims));
    }
    for (std::string_view cell : cells) {
      float v = 0;
      const auto r = std::from_chars(cell.data(), cell.data() + cell.size(), v);
      if (r.ec != std::errc() || r.ptr != cell.data() + cell.size()) {
        throw CorruptData(path.string() + ": '" + std::string(cell.substr(0, 40)) + "' in row " +
                          std::to_string(e.rows) + " is not a number");
      }
      e.values.push_back(v);
    }
    ++e.rows;
  }
}

void read_metadata(const fs::path& path, Embedding& e) {
  const std::string text = slurp(path);
  auto lines = split(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  const bool header = !lines.empty() && lines.front().find('\t') != std::string_view::npos;
  if (header) {
    for (std::string_view name : split(lines.front(), '\t'))
      e.metadata.push_back({std::string(name), {}});
  } else {
    e.metadata.push_back({});
  }
  for (std::size_t i = header ? 1 : 0; i < lines.size(); ++i) {
    const auto cells = split(lines[i], '\t');
    if (cells.size() != e.metadata.size()) {
      throw CorruptData(path.string() + ": line " + std::to_string(i + 1) + " has " +
                        std::to_string(cells.size()) + " columns, expected " +
                        std::to_string(e.metadata.size()));
    }
    for (std::size_t c = 0; c < cells.size(); ++c) e.metadata[c].values.emplace_back(cells[c]);
  }
}

}  // namespace

std::vector<StoredEmbedding> read_embeddings(const std::string& run_dir) {
  const fs::path run(run_dir);
  const fs::path config_path = run / "projector_config.pbtxt";
  std::vector<StoredEmbedding> out;
  if (!fs::exists(config_path)) return out;
  pb::ProjectorConfig config;
  if (!google::protobuf::TextFormat::ParseFromString(slurp(config_path), &config))
    throw CorruptData(config_path.string() + ": not a projector config (text format)");
  for (const auto& info : config.embeddings()) {
    StoredEmbedding& stored = out.emplace_back();
    stored.name = info.tensor_name();
    if (info.tensor_path().empty())
      throw CorruptData(config_path.string() + ": embedding '" + info.tensor_name() +
                        "' names no tensor file");
    read_tensor(inside(run, info.tensor_path(), config_path), stored.embedding);
    if (!info.metadata_path().empty())
      read_metadata(inside(run, info.metadata_path(), config_path), stored.embedding);
    if (!info.sprite().image_path().empty()) {
      stored.sprite_png = slurp(inside(run, info.sprite().image_path(), config_path));
      if (info.sprite().single_image_dim_size() == 2) {
        stored.sprite_tile_width = static_cast<int>(info.sprite().single_image_dim(0));
        stored.sprite_tile_height = static_cast<int>(info.sprite().single_image_dim(1));
      }
    }
  }
  return out;
}

}  // namespace tblog
