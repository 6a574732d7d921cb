// Numbers as their shortest exact text, the way fmt's "{}" writes them (the CLI's output was made
// with fmt, and tblog's core does not link it): std::to_chars finds the shortest digits, and the
// form is fixed for exponents from -5 to 15, scientific beyond (checked against fmt in
// tests/text_test.cpp over millions of values).
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "number_text.hpp"
#include "tblog/text.hpp"

namespace tblog {
namespace {

template <typename T>
std::string shortest(T value) {
  if (std::isnan(value)) return std::signbit(value) ? "-nan" : "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  char buffer[64];
  const auto end =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific).ptr;
  const std::string_view text(buffer, static_cast<std::size_t>(end - buffer));
  const bool negative = text.front() == '-';
  const std::string_view body = text.substr(negative ? 1 : 0);
  const std::size_t e = body.find('e');
  std::string digits(body.substr(0, e));  // "d.ddd" or "d"
  if (digits.size() > 1) digits.erase(1, 1);
  const int exponent = std::atoi(std::string(body.substr(e + 1)).c_str());
  std::string out = negative ? "-" : "";
  if (exponent < -4 || exponent >= 16) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char tail[16];
    std::snprintf(tail, sizeof tail, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    out += tail;
  } else if (exponent < 0) {
    out += "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
  } else if (digits.size() <= static_cast<std::size_t>(exponent) + 1) {
    out += digits + std::string(static_cast<std::size_t>(exponent) + 1 - digits.size(), '0');
  } else {
    out += digits.substr(0, static_cast<std::size_t>(exponent) + 1) + "." +
           digits.substr(static_cast<std::size_t>(exponent) + 1);
  }
  return out;
}

}  // namespace

namespace detail {
std::string shortest_double_text(double value) {
  return shortest(value);
}
}  // namespace detail

std::string number_text(double value) {
  const auto as_float = static_cast<float>(value);
  if (static_cast<double>(as_float) == value) return shortest(as_float);
  return shortest(value);
}

}  // namespace tblog
