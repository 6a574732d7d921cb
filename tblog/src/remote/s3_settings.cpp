#include "s3_settings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <optional>

#include "tblog/error.hpp"

namespace tblog::detail {
namespace {

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

std::string value_of(const EnvironmentLookup& lookup, const char* name) {
  const char* value = lookup(name);
  return value ? trim(value) : std::string();
}

std::string endpoint_from(const EnvironmentLookup& lookup, const std::string& region) {
  std::string endpoint = value_of(lookup, "S3_ENDPOINT");
  if (!endpoint.empty() && endpoint.find("://") == std::string::npos) {
    endpoint = (value_of(lookup, "S3_USE_HTTPS") == "0" ? "http://" : "https://") + endpoint;
  }
  if (endpoint.empty()) endpoint = value_of(lookup, "AWS_ENDPOINT_URL_S3");
  if (endpoint.empty()) endpoint = value_of(lookup, "AWS_ENDPOINT_URL");
  if (endpoint.empty()) endpoint = "https://s3." + region + ".amazonaws.com";
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  if (endpoint.rfind("http://", 0) != 0 && endpoint.rfind("https://", 0) != 0) {
    throw InvalidArgument("S3 endpoint '" + endpoint + "' is not an http:// or https:// URL");
  }
  return endpoint;
}

std::chrono::milliseconds operation_timeout_from(const EnvironmentLookup& lookup) {
  const std::string text = value_of(lookup, "TBLOG_S3_TIMEOUT");
  if (text.empty()) return S3Settings{}.operation_timeout;
  char* end = nullptr;
  const double seconds = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(seconds) || seconds <= 0 ||
      seconds > 86400) {
    throw InvalidArgument("TBLOG_S3_TIMEOUT='" + text +
                          "' must be a number of seconds in (0, 86400]");
  }
  return std::chrono::milliseconds(std::max<long long>(1, std::llround(seconds * 1000)));
}

// The [profile] section of an AWS credentials file: key = value lines.
bool read_profile(const std::string& path, const std::string& profile, S3Settings& settings) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line, section;
  bool found = false;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      section = trim(line.substr(1, line.size() - 2));
      continue;
    }
    if (section != profile) continue;
    const auto equals = line.find('=');
    if (equals == std::string::npos) continue;
    const std::string name = trim(line.substr(0, equals)), value = trim(line.substr(equals + 1));
    if (name == "aws_access_key_id") settings.access_key = value, found = true;
    if (name == "aws_secret_access_key") settings.secret_key = value;
    if (name == "aws_session_token") settings.session_token = value;
  }
  return found;
}

}  // namespace

S3Settings s3_settings_from_environment(const EnvironmentLookup& lookup) {
  S3Settings settings;
  settings.region = value_of(lookup, "AWS_REGION");
  if (settings.region.empty()) settings.region = value_of(lookup, "AWS_DEFAULT_REGION");
  if (settings.region.empty()) settings.region = "us-east-1";
  settings.endpoint = endpoint_from(lookup, settings.region);
  settings.verify_tls = value_of(lookup, "S3_VERIFY_SSL") != "0";
  settings.operation_timeout = operation_timeout_from(lookup);

  settings.access_key = value_of(lookup, "AWS_ACCESS_KEY_ID");
  settings.secret_key = value_of(lookup, "AWS_SECRET_ACCESS_KEY");
  settings.session_token = value_of(lookup, "AWS_SESSION_TOKEN");
  if (!settings.access_key.empty() || !settings.secret_key.empty()) {
    if (settings.access_key.empty() || settings.secret_key.empty())
      throw IoError("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together");
    return settings;
  }
  std::string file = value_of(lookup, "AWS_SHARED_CREDENTIALS_FILE");
  if (file.empty()) file = value_of(lookup, "HOME") + "/.aws/credentials";
  std::string profile = value_of(lookup, "AWS_PROFILE");
  if (profile.empty()) profile = "default";
  settings.session_token.clear();
  if (!read_profile(file, profile, settings) || settings.secret_key.empty()) {
    throw IoError("no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give "
                  "profile [" + profile + "] aws_access_key_id and aws_secret_access_key in " +
                  file);
  }
  return settings;
}

S3Settings s3_settings_from_environment() {
  return s3_settings_from_environment([](const char* name) { return std::getenv(name); });
}

}  // namespace tblog::detail
