#include "object_source.hpp"

#include <algorithm>
#include <cstring>

namespace tblog::detail {
namespace {

// One GET brings this much (or the rest of the object): the record reader asks for 64 KiB at a
// time, and a request costs a round trip whatever its size.
constexpr std::size_t kBlockBytes = std::size_t{8} << 20;

class ObjectSource final : public ByteSource {
 public:
  ObjectSource(std::shared_ptr<ObjectStore> store, std::string key,
               std::optional<std::uint64_t> size)
      : store_(std::move(store)), key_(std::move(key)), name_(store_->url(key_)) {
    size_ = size ? *size : store_->size(key_);
  }

  std::size_t read_at(std::uint64_t offset, char* out, std::size_t size) override {
    std::size_t got = 0;
    while (got < size && offset + got < size_) {
      const std::uint64_t at = offset + got;
      if (at < block_start_ || at >= block_start_ + block_.size()) {
        const auto asked = static_cast<std::size_t>(
            std::min<std::uint64_t>(std::max(kBlockBytes, size - got), size_ - at));
        block_start_ = at;
        block_ = store_->get_range(key_, at, asked);
        // Shorter than asked: the object ends here, whatever its size said (a server's word).
        if (block_.size() < asked) size_ = at + block_.size();
        if (block_.empty()) break;
      }
      const std::size_t n = std::min<std::uint64_t>(size - got, block_start_ + block_.size() - at);
      std::memcpy(out + got, block_.data() + (at - block_start_), n);
      got += n;
    }
    return got;
  }

  std::uint64_t size() override { return size_; }
  const std::string& name() const override { return name_; }

 private:
  std::shared_ptr<ObjectStore> store_;
  std::string key_;
  std::string name_;
  std::uint64_t size_ = 0;
  std::uint64_t block_start_ = 0;
  std::string block_;
};

}  // namespace

std::unique_ptr<ByteSource> open_object_source(std::shared_ptr<ObjectStore> store, std::string key,
                                               std::optional<std::uint64_t> size) {
  return std::make_unique<ObjectSource>(std::move(store), std::move(key), size);
}

}  // namespace tblog::detail
