#include "s3_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "s3_location.hpp"
#include "s3_xml.hpp"
#include "tblog/crc32c.hpp"

namespace tblog::detail {
namespace {

// Larger answers to a listing or an error are refused rather than held: a hostile or broken
// server cannot make the client allocate without bound.
constexpr std::size_t kMaxResponseBody = std::size_t{16} << 20;

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string base64(const unsigned char* bytes, std::size_t size) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < size; i += 3) {
    const std::uint32_t chunk = (std::uint32_t{bytes[i]} << 16) |
                                (i + 1 < size ? std::uint32_t{bytes[i + 1]} << 8 : 0) |
                                (i + 2 < size ? std::uint32_t{bytes[i + 2]} : 0);
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    out += i + 1 < size ? kAlphabet[(chunk >> 6) & 63] : '=';
    out += i + 2 < size ? kAlphabet[chunk & 63] : '=';
  }
  return out;
}

// S3's x-amz-checksum-crc32c: the big-endian CRC-32C of the body, base64.
std::string crc32c_header(std::string_view body) {
  const std::uint32_t crc = crc32c(body.data(), body.size());
  const unsigned char bytes[4] = {static_cast<unsigned char>(crc >> 24),
                                  static_cast<unsigned char>(crc >> 16),
                                  static_cast<unsigned char>(crc >> 8),
                                  static_cast<unsigned char>(crc)};
  return "x-amz-checksum-crc32c: " + base64(bytes, 4);
}

bool transient_curl_failure(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

bool transient_answer(long status, const std::string& code) {
  return status >= 500 || status == 429 || code == "SlowDown" || code == "RequestTimeout" ||
         code == "RequestTimeTooSkewed";
}

struct Body {
  std::string bytes;
  std::size_t limit = kMaxResponseBody;
  bool overflowed = false;
  std::string content_range;  // the answer's Content-Range header, if any
};

// Keeps the Content-Range header: a ranged answer must say it is the range asked for.
std::size_t keep_content_range(char* data, std::size_t size, std::size_t count, void* user) {
  const std::size_t n = size * count;
  std::string_view line(data, n);
  constexpr std::string_view kName = "content-range:";
  if (line.size() > kName.size()) {
    std::string head(line.substr(0, kName.size()));
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (head == kName) {
      line.remove_prefix(kName.size());
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
      while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
      static_cast<Body*>(user)->content_range = std::string(line);
    }
  }
  return n;
}

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<Body*>(user);
  const std::size_t n = size * count;
  if (body->bytes.size() + n > body->limit) {
    body->overflowed = true;
    return 0;  // aborts the transfer
  }
  body->bytes.append(data, n);
  return n;
}

struct Upload {
  std::string_view body;
  std::size_t sent = 0;
};

std::size_t supply(char* out, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, upload->body.size() - upload->sent);
  std::memcpy(out, upload->body.data() + upload->sent, n);
  upload->sent += n;
  return n;
}

}  // namespace

struct S3Client::Request {
  const char* method;  // GET, PUT, HEAD
  const std::string& bucket;
  std::string key;
  std::string query;  // sorted and encoded (curl 7.88 signs it as given)
  std::string_view body;
  std::optional<std::pair<std::uint64_t, std::size_t>> range;  // offset, size
  std::string what;  // "PUT s3://b/k", for messages
};

struct S3Client::Response {
  long status = 0;
  std::string body;
  std::uint64_t content_length = 0;
  std::string content_range;
};

std::string describe_object(const S3Settings& settings, const std::string& bucket,
                            const std::string& key) {
  return s3_url({bucket, key}) + " at " + settings.endpoint;
}

S3Client::S3Client(S3Settings settings, int attempts)
    : settings_(std::move(settings)), attempts_(std::max(1, attempts)) {
  global_init_once();
  curl_ = curl_easy_init();
  if (!curl_) throw RemoteError("cannot start an HTTP client (curl_easy_init failed)");
}

S3Client::~S3Client() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

S3Client::Response S3Client::perform(const Request& request) {
  CURL* curl = static_cast<CURL*>(curl_);
  curl_easy_reset(curl);  // keeps the live connection
  std::string url = settings_.endpoint + "/" + request.bucket;
  if (!request.key.empty()) url += "/" + encode_key_for_path(request.key);
  if (!request.query.empty()) url += "?" + request.query;
  const std::string sigv4 = "aws:amz:" + settings_.region + ":s3";

  curl_slist* headers = nullptr;
  // curl 7.88 neither adds nor fills this header, which S3 requires on every signed request; the
  // payload's integrity is checked by its CRC-32C instead of a SHA-256 we would have to compute.
  headers = curl_slist_append(headers, "x-amz-content-sha256: UNSIGNED-PAYLOAD");
  if (!settings_.session_token.empty())
    headers = curl_slist_append(headers,
                                ("x-amz-security-token: " + settings_.session_token).c_str());
  Body body;
  Upload upload{request.body};
  if (std::strcmp(request.method, "PUT") == 0)
    headers = curl_slist_append(headers, crc32c_header(request.body).c_str());
  if (request.range) {
    const auto [offset, size] = *request.range;
    headers = curl_slist_append(
        headers,
        ("Range: bytes=" + std::to_string(offset) + "-" + std::to_string(offset + size - 1)).c_str());
    body.limit = std::max<std::size_t>(size, 64u << 10);  // room for an error's XML
  }
  char error_buffer[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, sigv4.c_str());
  curl_easy_setopt(curl, CURLOPT_USERNAME, settings_.access_key.c_str());
  curl_easy_setopt(curl, CURLOPT_PASSWORD, settings_.secret_key.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM in a library's threads
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  // A stalled connection (under 1 byte/s for 30 s) is a timeout, retried; a slow one is not.
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 30L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, settings_.verify_tls ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, settings_.verify_tls ? 2L : 0L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, keep_content_range);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &body);
  if (std::strcmp(request.method, "PUT") == 0) {
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, supply);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  } else if (std::strcmp(request.method, "HEAD") == 0) {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  }
  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);

  Response response;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  if (body.overflowed) {
    throw S3RequestError(request.what + ": the answer is longer than asked for (" +
                             std::to_string(body.limit) + " bytes); refused",
                         response.status, "", false);
  }
  if (code != CURLE_OK) {
    const std::string detail = error_buffer[0] ? error_buffer : curl_easy_strerror(code);
    throw S3RequestError(request.what + ": no answer: " + detail,
                         0, "", transient_curl_failure(code));
  }
  curl_off_t length = -1;
  curl_easy_getinfo(curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
  response.content_length = length > 0 ? static_cast<std::uint64_t>(length) : 0;
  response.body = std::move(body.bytes);
  response.content_range = std::move(body.content_range);
  if (response.status >= 300 && !(request.range && response.status == 416)) {
    std::string s3_code = xml_text(response.body, "Code");
    std::string message = xml_text(response.body, "Message");
    if (s3_code.empty()) s3_code = response.status == 404 ? "NotFound" : "";
    if (s3_code.empty() && response.status == 403) s3_code = "Forbidden";
    std::string what = request.what + ": HTTP " + std::to_string(response.status);
    if (!s3_code.empty()) what += " " + s3_code;
    if (!message.empty()) what += ": " + message;
    throw S3RequestError(what, response.status, s3_code,
                         transient_answer(response.status, s3_code));
  }
  return response;
}

S3Client::Response S3Client::perform_with_retries(const Request& request) {
  std::mt19937 jitter(std::random_device{}());
  for (int attempt = 1;; ++attempt) {
    try {
      return perform(request);
    } catch (const S3RequestError& e) {
      if (!e.transient() || attempt >= attempts_) throw;
    }
    // 0.25 s, 0.5 s, 1 s... up to 8 s, each with up to half again of jitter, so that writers
    // throttled together do not come back together.
    const double base = std::min(8.0, 0.25 * static_cast<double>(1 << std::min(attempt - 1, 5)));
    const double wait = base * std::uniform_real_distribution<double>(1.0, 1.5)(jitter);
    std::this_thread::sleep_for(std::chrono::duration<double>(wait));
  }
}

void S3Client::put_object(const std::string& bucket, const std::string& key,
                          std::string_view body) {
  perform_with_retries({"PUT", bucket, key, "", body, std::nullopt,
                        "upload of " + describe_object(settings_, bucket, key)});
  bytes_put_ += body.size();
}

std::string S3Client::get_range(const std::string& bucket, const std::string& key,
                                std::uint64_t offset, std::size_t size) {
  if (size == 0) return {};
  Response r = perform_with_retries({"GET", bucket, key, "", {}, std::make_pair(offset, size),
                                     "read of " + describe_object(settings_, bucket, key)});
  if (r.status == 416) return {};  // offset at or past the end
  if (r.body.size() > size) {
    throw S3RequestError("read of " + describe_object(settings_, bucket, key) +
                             ": the answer is longer than the byte range asked for",
                         r.status, "", false);
  }
  // "bytes FIRST-LAST/TOTAL": a server answering another range than asked would otherwise
  // hand the reader bytes from the wrong place.
  const std::string expected = "bytes " + std::to_string(offset) + "-";
  if (r.status == 206 && r.content_range.compare(0, expected.size(), expected) != 0) {
    throw S3RequestError("read of " + describe_object(settings_, bucket, key) + ": asked for " +
                             expected + "..., the server answered '" + r.content_range + "'",
                         r.status, "", false);
  }
  if (r.status != 206 && offset != 0) {
    throw S3RequestError("read of " + describe_object(settings_, bucket, key) +
                             ": the server ignored the byte range asked for",
                         r.status, "", false);
  }
  return std::move(r.body);
}

std::uint64_t S3Client::object_size(const std::string& bucket, const std::string& key) {
  return perform_with_retries({"HEAD", bucket, key, "", {}, std::nullopt,
                               "size of " + describe_object(settings_, bucket, key)})
      .content_length;
}

std::vector<S3Object> S3Client::list(const std::string& bucket, const std::string& prefix,
                                     bool direct_only) {
  std::vector<S3Object> objects;
  std::string token;
  for (;;) {
    // Parameters in sorted order, values encoded: curl 7.88 signs the query as written.
    std::string query;
    if (!token.empty()) query += "continuation-token=" + encode_query_value(token) + "&";
    if (direct_only) query += "delimiter=%2F&";  // deeper keys come back as CommonPrefixes
    query += "encoding-type=url&list-type=2&prefix=" + encode_query_value(prefix);
    const Response r =
        perform_with_retries({"GET", bucket, "", query, {}, std::nullopt,
                              "listing of " + describe_object(settings_, bucket, prefix)});
    // S3 lists in key order, so every key is past the last one: a server that repeats itself
    // (the same page, the same token) is refused instead of looped on for ever.
    const auto refuse = [&](const std::string& why) {
      throw S3RequestError("listing of " + describe_object(settings_, bucket, prefix) + ": " + why,
                           r.status, "", false);
    };
    const std::size_t before = objects.size();
    for (const std::string_view entry : xml_blocks(r.body, "Contents")) {
      S3Object object{decode_percent(xml_text(entry, "Key")), 0};
      if (!objects.empty() && object.key <= objects.back().key)
        refuse("the server listed '" + object.key + "' out of order or twice");
      const std::string size = xml_text(entry, "Size");
      object.size = size.empty() ? 0 : std::strtoull(size.c_str(), nullptr, 10);
      objects.push_back(std::move(object));
    }
    if (xml_text(r.body, "IsTruncated") != "true") break;
    std::string next = xml_text(r.body, "NextContinuationToken");
    if (next.empty()) refuse("a truncated page without a continuation token");
    if (next == token) refuse("the server gave the same continuation token twice");
    if (objects.size() == before && xml_blocks(r.body, "CommonPrefixes").empty())
      refuse("a truncated page that lists nothing");
    token = std::move(next);
  }
  return objects;
}

}  // namespace tblog::detail
