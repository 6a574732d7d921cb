// Blob keys: what ReadBlobSequences hands out and ReadBlob takes back, naming one blob (run, tag,
// step, index in the point's sequence). The same encoding as TensorBoard's own data server (URL-
// safe base64 without padding of the JSON array [experiment, run, tag, step, index]), so the
// URLs TensorBoard builds from them look the same with either server. Internal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tblog::serve {

struct BlobKey {
  std::string experiment_id;
  std::string run;  // valid UTF-8 (names.hpp)
  std::string tag;
  std::int64_t step = 0;
  std::uint64_t index = 0;
};

std::string encode_blob_key(const BlobKey& key);
// Nullopt for anything that is not such a key (bad base64, not that JSON array).
std::optional<BlobKey> decode_blob_key(std::string_view text);

// URL-safe base64 (RFC 4648 section 5) without padding, and back (nullopt if malformed).
std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace tblog::serve
