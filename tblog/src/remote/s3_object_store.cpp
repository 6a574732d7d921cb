#include "s3_object_store.hpp"

#include "s3_location.hpp"

namespace tblog::detail {

S3ObjectStore::S3ObjectStore(S3Settings settings, std::string bucket, int attempts)
    : client_(std::move(settings), attempts), bucket_(std::move(bucket)) {}

ObjectListing S3ObjectStore::list(const ListQuery& query, std::size_t* requests) {
  S3Listing answer = client_.list(bucket_, query.prefix, query.one_level, query.start_after);
  if (requests) *requests += answer.requests;
  return {std::move(answer.objects), std::move(answer.directories)};
}

void S3ObjectStore::put(const std::string& key, std::string_view body) {
  client_.put_object(bucket_, key, body);
}

std::string S3ObjectStore::get_range(const std::string& key, std::uint64_t offset,
                                     std::size_t size) {
  return client_.get_range(bucket_, key, offset, size);
}

std::uint64_t S3ObjectStore::size(const std::string& key) {
  return client_.object_size(bucket_, key);
}

std::string S3ObjectStore::url(const std::string& key) const {
  return s3_url({bucket_, key});
}

std::string S3ObjectStore::describe(const std::string& key) const {
  return describe_object(client_.settings(), bucket_, key);
}

void S3ObjectStore::cancel_at(Clock::time_point when) {
  client_.cancel_at(when);
}

}  // namespace tblog::detail
