#include "server_options.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace tblog::serve {
namespace {

std::size_t parse_count(const std::string& text, const std::string& part) {
  if (text == "all") return kUnbounded;
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
    throw std::invalid_argument("--samples-per-plugin: '" + part +
                                "' is not plugin=N (a whole number) or plugin=all");
  }
  errno = 0;
  const unsigned long long n = std::strtoull(text.c_str(), nullptr, 10);
  if (errno == ERANGE || n >= kUnbounded) {
    throw std::invalid_argument("--samples-per-plugin: '" + part + "' is too large");
  }
  return static_cast<std::size_t>(n);
}

}  // namespace

SamplingPlan parse_samples_per_plugin(const std::string& text) {
  SamplingPlan plan;
  if (text.empty()) return plan;
  for (std::size_t start = 0; start <= text.size();) {  // "a=1," has an empty last part
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    const std::string part = text.substr(start, end - start);
    const std::size_t equals = part.find('=');
    if (equals == std::string::npos || equals == 0 ||
        part.find('=', equals + 1) != std::string::npos) {
      throw std::invalid_argument("--samples-per-plugin: '" + part +
                                  "' is not of the form plugin=N or plugin=all");
    }
    plan.per_plugin[part.substr(0, equals)] = parse_count(part.substr(equals + 1), part);
    start = end + 1;
  }
  return plan;
}

std::optional<double> parse_reload(const std::string& text) {
  if (text == "once") return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const double seconds = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE ||
      !std::isfinite(seconds) || seconds < 0) {
    throw std::invalid_argument("--reload: '" + text + "' is not \"once\" or a number of seconds");
  }
  return seconds;
}

}  // namespace tblog::serve
