// s3:// URLs and the percent-encoding S3 needs. Debian's libcurl 7.88 signs requests (SigV4) over
// the URL exactly as given, so keys and query values must arrive here already encoded the way
// the server will re-encode them to check the signature (curl encodes keys itself only from 8.9,
// and sorts the query from 8.3). Internal to tblog.
#pragma once

#include <string>
#include <string_view>

namespace tblog::detail {

struct S3Location {
  std::string bucket;
  std::string key;  // without a leading '/'; "" for the bucket's root
};

// True for "s3://...".
bool is_s3_url(std::string_view path);
// Splits "s3://bucket/some/key" (trailing '/' dropped). Throws InvalidArgument naming the URL when
// the bucket is missing or not a valid bucket name, or the key holds "." / ".." segments or empty
// ones ("a//b": TensorBoard would not find the run).
S3Location parse_s3_url(const std::string& url);
// "s3://bucket/key".
std::string s3_url(const S3Location& location);
// `key` + "/" + `name`, or `name` for the bucket's root.
std::string join_key(const std::string& key, const std::string& name);

// RFC 3986 unreserved characters stay, everything else becomes %XX (upper-case hex, as SigV4's
// canonical form has it). For object keys in a URL path '/' stays; in a query value it does not.
std::string encode_key_for_path(std::string_view key);
std::string encode_query_value(std::string_view value);
// A key from a listing asked with encoding-type=url back to bytes: %XX, and '+' as a space (AWS
// writes spaces as '+' there and a '+' as %2B; SeaweedFS writes %20). Invalid escapes stay.
std::string decode_percent(std::string_view text);

}  // namespace tblog::detail
