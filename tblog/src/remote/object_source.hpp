// An object of an ObjectStore as a ByteSource: ranged GETs, a block at a time. Objects are written
// once, so the size is taken once (from a listing when the caller has it, else asked). Internal
// to tblog.
#pragma once

#include <memory>
#include <optional>

#include "object_store.hpp"
#include "tblog/byte_source.hpp"

namespace tblog::detail {

std::unique_ptr<ByteSource> open_object_source(std::shared_ptr<ObjectStore> store, std::string key,
                                               std::optional<std::uint64_t> size = std::nullopt);

}  // namespace tblog::detail
