#include "s3_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <unordered_set>

#include "remote_storage.hpp"
#include "s3_location.hpp"
#include "s3_xml.hpp"
#include "tblog/crc32c.hpp"
#include "tblog/text.hpp"

namespace tblog::detail {
namespace {

// Larger answers to a listing or an error are refused rather than held: a hostile or broken
// server cannot make the client allocate without bound.
constexpr std::size_t kMaxResponseBody = std::size_t{16} << 20;

using Clock = S3Client::Clock;
using Millis = std::chrono::milliseconds;

// A try that has not connected after this is cut off (and retried while time is left).
constexpr Millis kConnectTimeout{10000};
// A try that receives or sends nothing for this long has stalled: cut off and retried. A third of
// the operation's deadline where that is shorter, so that a stall still leaves time to retry.
constexpr Millis kStallTimeout{20000};
// The AWS SDKs' standard retry mode: full jitter over 1 s, 2 s, 4 s... capped at 20 s.
constexpr double kBackoffBaseSeconds = 1.0, kBackoffCapSeconds = 20.0;

std::string seconds_text(Millis duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g s", static_cast<double>(duration.count()) / 1000);
  return text;
}

// Endpoints that left an operation without an answer, process-wide: until the time stored, new
// operations on them fail at once, quoting why.
class Unanswering {
 public:
  static Unanswering& instance() {
    static Unanswering registry;
    return registry;
  }
  void mark(const std::string& endpoint, Clock::time_point until, const std::string& why) {
    std::lock_guard<std::mutex> lock(mutex_);
    entries_[endpoint] = {until, why};
  }
  // Why `endpoint` is not asked now; empty when it may be.
  std::string why_not(const std::string& endpoint) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = entries_.find(endpoint);
    if (it == entries_.end()) return {};
    if (Clock::now() >= it->second.first) {
      entries_.erase(it);
      return {};
    }
    return it->second.second;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::pair<Clock::time_point, std::string>> entries_;
};

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

// Called by curl about once a second even while nothing moves: a non-zero return aborts.
int check_cancelled(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* cancel_at = static_cast<const std::atomic<Clock::rep>*>(user);
  return Clock::now().time_since_epoch().count() >= cancel_at->load() ? 1 : 0;
}

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

std::string server_text(std::string_view text, std::size_t limit) {
  std::string out = printable_text(text, limit);
  if (out.size() > text.size() && text.size() > limit)
    out += " (" + std::to_string(text.size()) + " bytes in all)";
  return out;
}

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

void S3Client::cancel_at(Clock::time_point when) {
  cancel_at_.store(when.time_since_epoch().count());
}

namespace {
std::atomic<std::uint64_t> lists_sent{0}, gets_sent{0}, heads_sent{0}, puts_sent{0};

void count_request(const char* method, const std::string& query) {
  if (std::strcmp(method, "PUT") == 0) {
    ++puts_sent;
  } else if (std::strcmp(method, "HEAD") == 0) {
    ++heads_sent;
  } else if (query.find("list-type=") != std::string::npos) {
    ++lists_sent;
  } else {
    ++gets_sent;
  }
}
}  // namespace

S3RequestCounts s3_request_counts() {
  return {lists_sent.load(), gets_sent.load(), heads_sent.load(), puts_sent.load()};
}

S3Client::Response S3Client::perform(const Request& request, Clock::time_point deadline) {
  count_request(request.method, request.query);
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
  // The try ends by the operation's deadline whatever the server does (a server that sends a few
  // bytes a second never trips the stall rule below); connecting and stalling are cut sooner so
  // that a retry still fits.
  const auto left =
      std::max<Millis::rep>(1, std::chrono::duration_cast<Millis>(deadline - Clock::now()).count());
  const Millis stall = std::min(kStallTimeout, settings_.operation_timeout / 3);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(left));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min<Millis::rep>(left, kConnectTimeout.count())));
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);  // under 1 byte/s for `stall`: stalled
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME,
                   static_cast<long>(std::max<Millis::rep>(1, stall.count() / 1000)));
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, check_cancelled);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &cancel_at_);
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
  if (code == CURLE_ABORTED_BY_CALLBACK) {
    throw S3RequestError(request.what + ": cancelled: the caller's deadline passed", 0, "", false);
  }
  if (code != CURLE_OK) {
    const std::string detail = error_buffer[0] ? error_buffer : curl_easy_strerror(code);
    throw S3RequestError(request.what + ": no answer: " + detail, 0, "",
                         transient_curl_failure(code), code == CURLE_OPERATION_TIMEDOUT);
  }
  curl_off_t length = -1;
  curl_easy_getinfo(curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
  response.content_length = length > 0 ? static_cast<std::uint64_t>(length) : 0;
  response.body = std::move(body.bytes);
  response.content_range = std::move(body.content_range);
  if (response.status >= 300 && !(request.range && response.status == 416)) {
    std::string s3_code = xml_text(response.body, "Code");
    const std::string message = xml_text(response.body, "Message");
    if (s3_code.empty()) s3_code = response.status == 404 ? "NotFound" : "";
    if (s3_code.empty() && response.status == 403) s3_code = "Forbidden";
    // The server's words are quoted escaped and bounded: they reach consoles and logs.
    std::string what = request.what + ": HTTP " + std::to_string(response.status);
    if (!s3_code.empty()) what += " " + server_text(s3_code, 64);
    if (!message.empty()) what += ": " + server_text(message);
    throw S3RequestError(what, response.status, s3_code,
                         transient_answer(response.status, s3_code));
  }
  return response;
}

S3Client::Response S3Client::perform_with_retries(const Request& request) {
  const auto start = Clock::now();
  // A PUT's body takes time to send: one second more per MiB on top of the deadline.
  const Millis limit =
      settings_.operation_timeout + Millis(static_cast<Millis::rep>(request.body.size() >> 10));
  const auto deadline = start + limit;
  if (const std::string why = Unanswering::instance().why_not(settings_.endpoint); !why.empty())
    throw RemoteTimeout(request.what + ": not tried: " + why);
  thread_local std::mt19937 jitter(std::random_device{}());
  for (int attempt = 1;; ++attempt) {
    std::optional<S3RequestError> failure;
    try {
      return perform(request, deadline);
    } catch (const S3RequestError& e) {
      failure = e;
    }
    // Full jitter, as the AWS SDKs: writers throttled together do not come back together.
    const double cap = std::min(kBackoffCapSeconds,
                                kBackoffBaseSeconds * std::ldexp(1.0, std::min(attempt - 1, 8)));
    const auto wait = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(std::uniform_real_distribution<double>(0.0, cap)(jitter)));
    const auto cancel = Clock::time_point(Clock::duration(cancel_at_.load()));
    const bool out_of_time = Clock::now() + wait >= std::min(deadline, cancel);
    if (failure->transient() && attempt < attempts_ && !out_of_time) {
      std::this_thread::sleep_for(wait);
      continue;
    }
    if (!failure->no_answer() && !(failure->transient() && out_of_time)) throw *failure;
    // No answer in the time an operation has: said so, and the endpoint is not asked again for
    // as long (the caller's own cancellation is not the server's fault).
    const std::string spent =
        seconds_text(std::chrono::duration_cast<Millis>(Clock::now() - start));
    const std::string what = std::string(failure->what()) + " (" + std::to_string(attempt) +
                             (attempt == 1 ? " try" : " tries") + " in " + spent +
                             "; TBLOG_S3_TIMEOUT=" + seconds_text(settings_.operation_timeout) +
                             " bounds one operation)";
    if (failure->no_answer() && Clock::now() < cancel) {
      Unanswering::instance().mark(
          settings_.endpoint, Clock::now() + settings_.operation_timeout,
          settings_.endpoint + " left an earlier request without an answer for " + spent);
    }
    if (failure->no_answer()) throw RemoteTimeout(what);
    throw S3RequestError(what, failure->http_status(), failure->code(), false);
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
                             expected + "..., the server answered '" +
                             server_text(r.content_range, 80) + "'",
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

namespace {

bool asked_for(const std::string& key, const std::string& prefix, bool direct_only,
               const std::string& start_after) {
  return key.compare(0, prefix.size(), prefix) == 0 && key > start_after &&
         (!direct_only || key.find('/', prefix.size()) == std::string::npos);
}

}  // namespace

S3Listing S3Client::list(const std::string& bucket, const std::string& prefix, bool direct_only,
                         const std::string& start_after) {
  S3Listing listing;
  std::vector<S3Object>& objects = listing.objects;
  std::unordered_set<std::string> seen, seen_directories;
  std::string token;
  for (;;) {
    // Parameters in sorted order, values encoded: curl 7.88 signs the query as written.
    std::string query;
    if (!token.empty()) query += "continuation-token=" + encode_query_value(token) + "&";
    if (direct_only) query += "delimiter=%2F&";  // deeper keys come back as CommonPrefixes
    query += "encoding-type=url&list-type=2&prefix=" + encode_query_value(prefix);
    if (!start_after.empty()) query += "&start-after=" + encode_query_value(start_after);
    const Response r =
        perform_with_retries({"GET", bucket, "", query, {}, std::nullopt,
                              "listing of " + describe_object(settings_, bucket, prefix)});
    ++listing.requests;
    // A server that repeats itself (the same page, the same token, keys already listed) is
    // refused instead of looped on for ever. Key order is not: S3 lists in byte order, but
    // SeaweedFS lists folder by folder ("exp/..." before "exp-2/..."), so the keys are sorted here.
    const auto refuse = [&](const std::string& why) {
      throw S3RequestError("listing of " + describe_object(settings_, bucket, prefix) + ": " + why,
                           r.status, "", false);
    };
    const std::size_t before = objects.size() + listing.directories.size();
    for (const std::string_view entry : xml_blocks(r.body, "Contents")) {
      S3Object object{decode_percent(xml_text(entry, "Key")), 0};
      // Only what the question asked for: a server's stray keys (outside the prefix, not after
      // start_after, deeper than one level) are left out here, so no caller has to.
      if (!asked_for(object.key, prefix, direct_only, start_after)) continue;
      if (!seen.insert(object.key).second)
        refuse("the server listed '" + server_text(object.key) + "' twice");
      const std::string size = xml_text(entry, "Size");
      object.size = size.empty() ? 0 : std::strtoull(size.c_str(), nullptr, 10);
      objects.push_back(std::move(object));
    }
    for (const std::string_view entry : xml_blocks(r.body, "CommonPrefixes")) {
      std::string directory = decode_percent(xml_text(entry, "Prefix"));
      // Only what the question asked for: a server's stray answer names no directory here.
      if (directory.size() > prefix.size() && directory.compare(0, prefix.size(), prefix) == 0 &&
          directory.back() == '/' && seen_directories.insert(directory).second)
        listing.directories.push_back(std::move(directory));
    }
    if (xml_text(r.body, "IsTruncated") != "true") break;
    std::string next = xml_text(r.body, "NextContinuationToken");
    if (next.empty()) refuse("a truncated page without a continuation token");
    if (next == token) refuse("the server gave the same continuation token twice");
    if (objects.size() + listing.directories.size() == before)
      refuse("a truncated page that lists nothing new");
    token = std::move(next);
  }
  std::sort(objects.begin(), objects.end(),
            [](const S3Object& a, const S3Object& b) { return a.key < b.key; });
  std::sort(listing.directories.begin(), listing.directories.end());
  return listing;
}

}  // namespace tblog::detail
