// What the data server and the benchmarks count of S3 (s3_client.cpp; zeros from without_s3.cpp
// in a build without libcurl). Stores are found by scheme: store_schemes.hpp. Internal to tblog.
#pragma once

#include <cstdint>

namespace tblog::detail {

// Requests sent to S3 servers by this process so far, by kind (tries included): what a reload
// of a remote logdir costs, for the data server's log and the benchmarks. Zeros without S3.
struct S3RequestCounts {
  std::uint64_t list = 0, get = 0, head = 0, put = 0;
};
S3RequestCounts s3_request_counts();

}  // namespace tblog::detail
