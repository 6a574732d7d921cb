// The projector: add_embedding checks the points, their metadata and thumbnails on the caller's
// thread; the writer thread writes the projector's files (embedding_files.cpp). No event record.
#include <cmath>

#include "embedding_files.hpp"
#include "shared_by_kinds.hpp"
#include "summary_writer_impl.hpp"
#include "tblog/error.hpp"
#include "tblog/remote.hpp"

namespace tblog {
namespace {

// The projector draws the sprite as one WebGL texture of at most this many pixels a side.
constexpr int kMaxSpriteSide = 8192;

bool has_tab_or_newline(const std::string& s) {
  return s.find_first_of("\t\n\r") != std::string::npos;
}

void check_metadata(const Embedding& e, const std::string& what) {
  const auto rows = static_cast<std::size_t>(e.rows);
  for (const auto& column : e.metadata) {
    if (column.values.size() != rows) {
      throw InvalidArgument(what + ": metadata column '" + column.name + "' has " +
                            std::to_string(column.values.size()) + " values for " +
                            std::to_string(rows) + " points");
    }
    if (e.metadata.size() > 1 && column.name.empty())
      throw InvalidArgument(what + ": with several metadata columns each needs a name");
    if (has_tab_or_newline(column.name))
      throw InvalidArgument(what + ": metadata column name '" + column.name +
                            "' has a tab or line break");
    for (std::size_t i = 0; i < rows; ++i) {
      if (has_tab_or_newline(column.values[i])) {
        throw InvalidArgument(what + ": metadata '" + column.name + "' of point " +
                              std::to_string(i) + " has a tab or line break");
      }
    }
  }
}

void check_thumbnails(const Embedding& e, const std::string& what) {
  if (e.thumbnails.empty()) return;
  const auto rows = static_cast<std::size_t>(e.rows);
  if (e.thumbnails.size() != rows) {
    throw InvalidArgument(what + ": " + std::to_string(e.thumbnails.size()) + " thumbnails for " +
                          std::to_string(rows) + " points");
  }
  const Image& first = e.thumbnails.front();
  for (std::size_t i = 0; i < rows; ++i) {
    const Image& t = e.thumbnails[i];
    validate_image(t, (what + ": thumbnail " + std::to_string(i)).c_str());
    if (t.width != first.width || t.height != first.height || t.channels != first.channels)
      throw InvalidArgument(what + ": thumbnail " + std::to_string(i) +
                            " differs in size from thumbnail 0");
  }
  const auto side = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(rows))));
  if (static_cast<long long>(side) * std::max(first.width, first.height) > kMaxSpriteSide) {
    throw InvalidArgument(what + ": " + std::to_string(rows) + " thumbnails of " +
                          std::to_string(first.width) + "x" + std::to_string(first.height) +
                          " make a sprite wider than " + std::to_string(kMaxSpriteSide) +
                          " pixels, the projector's limit");
  }
}

void check_embedding(const Embedding& e, const std::string& what) {
  if (e.rows < 1 || e.dims < 1) {
    throw InvalidArgument(what + ": " + std::to_string(e.rows) + " x " + std::to_string(e.dims) +
                          " is not a matrix of points");
  }
  const auto rows = static_cast<std::size_t>(e.rows);
  if (e.values.size() != rows * static_cast<std::size_t>(e.dims)) {
    throw InvalidArgument(what + ": " + std::to_string(e.values.size()) + " values for " +
                          std::to_string(e.rows) + " x " + std::to_string(e.dims));
  }
  for (std::size_t i = 0; i < e.values.size(); ++i) {
    if (!std::isfinite(e.values[i])) {
      throw InvalidArgument(what + ": point " + std::to_string(i / e.dims) +
                            " has a non-finite value");
    }
  }
  check_metadata(e, what);
  check_thumbnails(e, what);
}

}  // namespace

void SummaryWriter::add_embedding(std::string_view tag, Embedding embedding, std::int64_t step) {
  detail::check_tag(tag, "add_embedding");
  // The projector reads its files (config, tensors, sprite) beside the events, and rewrites its
  // config as embeddings are added: not a fit for objects written once.
  if (is_remote_path(logdir()))
    throw InvalidArgument(detail::call_name("add_embedding", tag) +
                          ": embeddings are not written to s3:// or file:// logdirs; log them to "
                          "a local logdir (docs/remote-storage.md)");
  if (logdir().empty())
    throw InvalidArgument(detail::call_name("add_embedding", tag) +
                          ": embeddings are files beside the events, and this writer writes to a "
                          "sink of its own; log them with a writer of a logdir");
  check_embedding(embedding, detail::call_name("add_embedding", tag));
  const std::size_t bytes =
      embedding.values.size() * sizeof(float) + detail::image_bytes(embedding.thumbnails);
  auto encode = [embedding = std::move(embedding), run_dir = logdir(), step](
                    const std::string& stored_tag, bool) {
    detail::write_embedding_files(run_dir, stored_tag, step, embedding);
    return std::string();  // files only, no record
  };
  impl_->add_deferred({std::string(tag), std::move(encode)}, bytes, "add_embedding",
                      {});  // files of its own: no series under the tag
}

}  // namespace tblog
