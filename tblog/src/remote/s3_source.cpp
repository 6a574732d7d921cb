// An object in S3 as a ByteSource: ranged GETs, a block at a time.
#include <algorithm>
#include <cstring>

#include "remote_storage.hpp"
#include "s3_client.hpp"

namespace tblog::detail {
namespace {

// One GET brings this much (or the rest of the object): the record reader asks for 64 KiB at a
// time, and a request costs a round trip whatever its size.
constexpr std::size_t kBlockBytes = std::size_t{8} << 20;

class S3ObjectSource final : public ByteSource {
 public:
  explicit S3ObjectSource(const std::string& url)
      : location_(parse_s3_url(url)), name_(url), client_(s3_settings_from_environment()) {
    size_ = client_.object_size(location_.bucket, location_.key);
  }

  std::size_t read_at(std::uint64_t offset, char* out, std::size_t size) override {
    std::size_t got = 0;
    while (got < size && offset + got < size_) {
      const std::uint64_t at = offset + got;
      if (at < block_start_ || at >= block_start_ + block_.size()) {
        const auto asked = static_cast<std::size_t>(
            std::min<std::uint64_t>(std::max(kBlockBytes, size - got), size_ - at));
        block_start_ = at;
        block_ = client_.get_range(location_.bucket, location_.key, at, asked);
        // Shorter than asked: the object ends here, whatever its size said (a server's word).
        if (block_.size() < asked) size_ = at + block_.size();
        if (block_.empty()) break;
      }
      const std::size_t n =
          std::min<std::uint64_t>(size - got, block_start_ + block_.size() - at);
      std::memcpy(out + got, block_.data() + (at - block_start_), n);
      got += n;
    }
    return got;
  }

  std::uint64_t size() override { return size_; }  // objects are written once: it never changes
  const std::string& name() const override { return name_; }

 private:
  S3Location location_;
  std::string name_;
  S3Client client_;
  std::uint64_t size_ = 0;
  std::uint64_t block_start_ = 0;
  std::string block_;
};

}  // namespace

std::unique_ptr<ByteSource> open_s3_source(const std::string& url) {
  return std::make_unique<S3ObjectSource>(url);
}

}  // namespace tblog::detail
