// libFuzzer target for the PROJECTOR reader (read_embeddings): an input is a run's projector
// files, separated by "\n--\n": the config (text format), tensors.tsv, metadata.tsv and the
// sprite. A config that does not parse is replaced by one naming all three files, so most inputs
// reach the TSV and shape checks instead of stopping at the parser. Every outcome but a parsed
// set of embeddings must be a tblog::Error.
//
// Build: cmake -DTBLOG_FUZZ=ON with clang (see .ci/run). Run: projector_fuzzer CORPUS_DIR.
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "tblog/error.hpp"
#include "tblog/projector.pb.h"
#include "tblog/reader.hpp"

namespace {

constexpr std::string_view kFallbackConfig =
    "embeddings {\n  tensor_name: \"e\"\n  tensor_path: \"tensors.tsv\"\n"
    "  metadata_path: \"metadata.tsv\"\n"
    "  sprite { image_path: \"sprite.png\" single_image_dim: 2 single_image_dim: 2 }\n}\n";

std::vector<std::string_view> parts_of(std::string_view input) {
  std::vector<std::string_view> parts;
  for (;;) {
    const auto at = input.find("\n--\n");
    parts.push_back(input.substr(0, at));
    if (at == std::string_view::npos || parts.size() == 4) break;
    input.remove_prefix(at + 4);
  }
  parts.resize(4);
  return parts;
}

void write(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream(path, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Parse errors are expected here: nothing to log.
class Silent : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int, int, const std::string&) override {}
};

// One directory per process, reused: the files are rewritten for every input.
const std::filesystem::path& run_dir() {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() /
             ("tblog-projector-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = parts_of(std::string_view(reinterpret_cast<const char*>(data), size));
  tblog::pb::ProjectorConfig probe;
  google::protobuf::TextFormat::Parser parser;
  Silent silent;
  parser.RecordErrorsTo(&silent);
  const bool parses = parser.ParseFromString(std::string(parts[0]), &probe);
  const auto& dir = run_dir();
  write(dir / "projector_config.pbtxt", parses ? parts[0] : kFallbackConfig);
  write(dir / "tensors.tsv", parts[1]);
  write(dir / "metadata.tsv", parts[2]);
  write(dir / "sprite.png", parts[3]);
  try {
    const auto embeddings = tblog::read_embeddings(dir.string());
    for (const auto& stored : embeddings) {  // what was accepted is consistent
      const auto& e = stored.embedding;
      if (e.values.size() != static_cast<std::size_t>(e.rows) * static_cast<std::size_t>(e.dims))
        __builtin_trap();
      for (const auto& column : e.metadata)
        if (column.values.size() != static_cast<std::size_t>(e.rows)) __builtin_trap();
    }
  } catch (const tblog::Error&) {
  }
  return 0;
}
