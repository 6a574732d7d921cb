// read_embeddings: the PROJECTOR's config and the files it names, as TensorBoard reads them.
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <charconv>
#include <filesystem>
#include <map>

#include "embedding_files.hpp"
#include "input_file.hpp"
#include "tblog/error.hpp"
#include "tblog/projector.pb.h"
#include "tblog/reader.hpp"

namespace tblog {
namespace fs = std::filesystem;
namespace {

std::string slurp(const fs::path& path) {
  return detail::read_input_file(path.string(), "projector file");
}

// Lines without their end: "\n" or "\r\n" (TensorBoard's projector reads both).
std::vector<std::string_view> lines_of(std::string_view text);

// Collects the text-format parser's complaint instead of letting libprotobuf log it to stderr.
class ParseErrors : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (first.empty())
      first = "line " + std::to_string(line + 1) + " column " + std::to_string(column + 1) + ": " +
              message;
  }
  std::string first;
};

// As TensorBoard does: relative paths are taken from the config's directory and must stay in it.
fs::path inside(const fs::path& run, const std::string& relative, const fs::path& config) {
  std::error_code ec;  // a symlink loop or a name too long: an error naming the path
  const fs::path base = fs::weakly_canonical(run, ec);
  if (ec) throw IoError("run directory '" + run.string() + "': " + ec.message());
  fs::path target = fs::weakly_canonical(base / relative, ec);
  if (ec) throw IoError("projector file '" + (base / relative).string() + "': " + ec.message());
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

std::vector<std::string_view> lines_of(std::string_view text) {
  auto lines = split(text, '\n');
  for (auto& line : lines) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  }
  return lines;
}

void read_tensor(std::string_view text, const fs::path& path, Embedding& e) {
  for (std::string_view line : lines_of(text)) {
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

// The metadata columns of `text`; their row count is checked against the tensor's by the caller.
std::vector<EmbeddingColumn> read_metadata(std::string_view text, const fs::path& path) {
  std::vector<EmbeddingColumn> columns;
  auto lines = lines_of(text);
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  const bool header = !lines.empty() && lines.front().find('\t') != std::string_view::npos;
  if (header) {
    for (std::string_view name : split(lines.front(), '\t'))
      columns.push_back({std::string(name), {}});
  } else {
    columns.push_back({});
  }
  for (std::size_t i = header ? 1 : 0; i < lines.size(); ++i) {
    const auto cells = split(lines[i], '\t');
    if (cells.size() != columns.size()) {
      throw CorruptData(path.string() + ": line " + std::to_string(i + 1) + " has " +
                        std::to_string(cells.size()) + " columns, expected " +
                        std::to_string(columns.size()));
    }
    for (std::size_t c = 0; c < cells.size(); ++c) columns[c].values.emplace_back(cells[c]);
  }
  return columns;
}

std::size_t bytes_of(const std::vector<EmbeddingColumn>& columns) {
  std::size_t bytes = 0;
  for (const auto& column : columns) {
    bytes += column.name.size();
    // Each cell: its characters and the string holding them.
    for (const auto& value : column.values) bytes += value.size() + sizeof(std::string);
  }
  return bytes;
}

// Each file a config names is read and decoded once, however often entries name it; what the
// entries get in all may exceed the bytes present only by a bounded factor, so a config naming
// one file a thousand times is refused instead of taking a thousand times its memory and time.
class DecodedFiles {
 public:
  explicit DecodedFiles(fs::path config) : config_(std::move(config)) {}

  const Embedding& tensor(const fs::path& path) {
    auto [it, fresh] = tensors_.try_emplace(path);
    if (fresh) read_tensor(text_of(path), path, it->second);
    charge(it->second.values.size() * sizeof(float));
    return it->second;
  }
  const std::vector<EmbeddingColumn>& metadata(const fs::path& path) {
    auto [it, fresh] = metadata_.try_emplace(path);
    if (fresh) it->second = read_metadata(text_of(path), path);
    charge(bytes_of(it->second));
    return it->second;
  }
  const std::string& file(const fs::path& path) {
    auto [it, fresh] = files_.try_emplace(path);
    if (fresh) it->second = text_of(path);
    charge(it->second.size());
    return it->second;
  }
  void add_present(std::size_t bytes) { present_ += bytes; }

 private:
  std::string text_of(const fs::path& path) {
    std::string text = slurp(path);
    present_ += text.size();
    return text;
  }
  void charge(std::size_t bytes) {
    // Decoding grows a file at most about fourfold (a value of 2 bytes of text is a 4-byte float;
    // a metadata cell adds its string's size); 64 MiB more leaves room for configs that name a
    // small file more than once.
    constexpr std::size_t kSlack = std::size_t{64} << 20;
    handed_out_ += bytes;
    if (handed_out_ > kSlack + 4 * present_) {
      throw CorruptData(config_.string() +
                        ": its embeddings name the same files again and "
                        "again: they would hold over " +
                        std::to_string(handed_out_ >> 20) + " MiB decoded from " +
                        std::to_string(present_) + " bytes of files; refused");
    }
  }

  fs::path config_;
  std::map<fs::path, Embedding> tensors_;
  std::map<fs::path, std::vector<EmbeddingColumn>> metadata_;
  std::map<fs::path, std::string> files_;
  std::size_t present_ = 0, handed_out_ = 0;
};

// PNG or JPEG, the images a browser draws as the sprite.
void check_sprite(const fs::path& path, const std::string& bytes) {
  const bool png = bytes.rfind("\x89PNG\r\n\x1a\n", 0) == 0;
  const bool jpeg = bytes.rfind("\xff\xd8\xff", 0) == 0;
  if (!png && !jpeg) throw CorruptData(path.string() + ": the sprite is not a PNG or JPEG image");
}

}  // namespace

std::vector<StoredEmbedding> read_embeddings(const std::string& run_dir) {
  const fs::path run(run_dir);
  const fs::path config_path = run / "projector_config.pbtxt";
  std::vector<StoredEmbedding> out;
  std::error_code ec;
  const auto status = fs::symlink_status(config_path, ec);
  if (ec == std::errc::no_such_file_or_directory || status.type() == fs::file_type::not_found)
    return out;
  if (ec) throw IoError("projector file '" + config_path.string() + "': " + ec.message());
  pb::ProjectorConfig config;
  google::protobuf::TextFormat::Parser parser;
  ParseErrors errors;
  parser.RecordErrorsTo(&errors);
  const std::string config_text = slurp(config_path);
  if (!parser.ParseFromString(config_text, &config))
    throw CorruptData(config_path.string() +
                      ": not a projector config (text format): " + errors.first);
  DecodedFiles files(config_path);
  files.add_present(config_text.size());
  for (const auto& info : config.embeddings()) {
    StoredEmbedding& stored = out.emplace_back();
    stored.name = info.tensor_name();
    if (info.tensor_path().empty())
      throw CorruptData(config_path.string() + ": embedding '" + info.tensor_name() +
                        "' names no tensor file");
    const fs::path tensor_path = inside(run, info.tensor_path(), config_path);
    stored.embedding = files.tensor(tensor_path);
    const Embedding& e = stored.embedding;
    if (info.tensor_shape_size() == 2 &&
        (info.tensor_shape(0) != static_cast<std::uint32_t>(e.rows) ||
         info.tensor_shape(1) != static_cast<std::uint32_t>(e.dims))) {
      throw CorruptData(config_path.string() + ": embedding '" + info.tensor_name() +
                        "' has shape " + std::to_string(info.tensor_shape(0)) + "x" +
                        std::to_string(info.tensor_shape(1)) + ", " + tensor_path.string() +
                        " holds " + std::to_string(e.rows) + "x" + std::to_string(e.dims));
    }
    if (!info.metadata_path().empty()) {
      const fs::path metadata_path = inside(run, info.metadata_path(), config_path);
      stored.embedding.metadata = files.metadata(metadata_path);
      // TensorBoard refuses metadata that does not label every point once.
      const auto rows = e.metadata.empty() ? 0 : e.metadata[0].values.size();
      if (rows != static_cast<std::size_t>(e.rows)) {
        throw CorruptData(metadata_path.string() + ": " + std::to_string(rows) +
                          " metadata rows for " + std::to_string(e.rows) + " points");
      }
    }
    if (!info.sprite().image_path().empty()) {
      const fs::path sprite = inside(run, info.sprite().image_path(), config_path);
      stored.sprite_png = files.file(sprite);
      check_sprite(sprite, stored.sprite_png);
      if (info.sprite().single_image_dim_size() == 2) {
        stored.sprite_tile_width = static_cast<int>(info.sprite().single_image_dim(0));
        stored.sprite_tile_height = static_cast<int>(info.sprite().single_image_dim(1));
      }
    }
  }
  return out;
}

}  // namespace tblog
