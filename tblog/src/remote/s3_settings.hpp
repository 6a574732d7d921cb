// Where an S3 client connects and with which keys, found the way TensorBoard's and AWS's own
// tools find them, so that one environment serves the writer, `tblog`, boto3 and TensorBoard.
// Internal to tblog.
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace tblog::detail {

struct S3Settings {
  std::string endpoint;  // "https://host[:port]", no trailing '/'; buckets are addressed by path
  std::string region;    // signs the requests (SigV4's credential scope)
  std::string access_key;
  std::string secret_key;
  std::string session_token;  // temporary credentials; "" for none
  bool verify_tls = true;     // certificate and host checks on https endpoints
  // One operation (a listing page, a ranged GET, a HEAD, a PUT) ends within this, all its tries
  // and the waits between them together, whatever the server does (docs/remote-storage.md,
  // "Deadlines"). A PUT gets one second more per MiB of its body.
  std::chrono::milliseconds operation_timeout{60000};
};

// Looks up an environment variable: nullptr when unset. Tests pass their own.
using EnvironmentLookup = std::function<const char*(const char*)>;

// Endpoint: S3_ENDPOINT (TensorBoard's variable: a full URL, or host[:port] with S3_USE_HTTPS=0
// for plain http, as TensorFlow's S3 file system reads it), else AWS_ENDPOINT_URL_S3, else
// AWS_ENDPOINT_URL, else AWS's own https://s3.<region>.amazonaws.com. S3_VERIFY_SSL=0 turns
// certificate checks off (TensorFlow's variable; for self-signed test servers only).
// Region: AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1.
// Keys: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), else the profile
// AWS_PROFILE (default "default") of AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials).
// Deadline: TBLOG_S3_TIMEOUT, seconds (a decimal number in (0, 86400]), else 60.
// Throws IoError saying where it looked when no keys are found or the file cannot be read, and
// InvalidArgument naming the variable when TBLOG_S3_TIMEOUT is not such a number.
S3Settings s3_settings_from_environment(const EnvironmentLookup& lookup);
S3Settings s3_settings_from_environment();

}  // namespace tblog::detail
