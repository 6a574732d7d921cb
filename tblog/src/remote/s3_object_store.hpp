// One S3 bucket as an ObjectStore, over S3Client (one connection: one thread at a time, except
// cancel_at). Internal to tblog.
#pragma once

#include <memory>

#include "object_store.hpp"
#include "s3_client.hpp"

namespace tblog::detail {

class S3ObjectStore final : public ObjectStore {
 public:
  // `attempts`: as S3Client's.
  S3ObjectStore(S3Settings settings, std::string bucket, int attempts = 3);

  ObjectListing list(const ListQuery& query, std::size_t* requests = nullptr) override;
  void put(const std::string& key, std::string_view body) override;
  std::string get_range(const std::string& key, std::uint64_t offset, std::size_t size) override;
  std::uint64_t size(const std::string& key) override;
  std::string url(const std::string& key) const override;
  std::string describe(const std::string& key) const override;
  void cancel_at(Clock::time_point when) override;

  S3Client& client() { return client_; }

 private:
  S3Client client_;
  std::string bucket_;
};

}  // namespace tblog::detail
