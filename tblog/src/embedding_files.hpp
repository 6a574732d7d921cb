// The PROJECTOR's files in a run directory. Internal to tblog.
//
//   <run>/projector_config.pbtxt                       every embedding of the run, rebuilt
//   <run>/projector/<tag>/<step>/embedding.pbtxt       this embedding's entry
//   <run>/projector/<tag>/<step>/tensors.tsv           the points, one per line
//   <run>/projector/<tag>/<step>/metadata.tsv          labels (header line when columns are named)
//   <run>/projector/<tag>/<step>/sprite.png            thumbnails tiled row by row
//
// The config is rebuilt from all entries under an flock, so several writers of one run (and
// embeddings added over time) always leave it listing every embedding; it is replaced by rename.
#pragma once

#include <cstdint>
#include <string>

#include "tblog/embedding.hpp"

namespace tblog::detail {

// The whole file at `path` into `out`; false when it cannot be opened.
bool read_whole_file(const std::string& path, std::string& out);

// Writes one embedding's files and rebuilds the config. Throws IoError naming the file.
void write_embedding_files(const std::string& run_dir, const std::string& tag, std::int64_t step,
                           const Embedding& embedding);

}  // namespace tblog::detail
