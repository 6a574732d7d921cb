// The shortest exact text of a double as a double (number_text prefers the float form when exact).
// Internal to tblog.
#pragma once

#include <string>

namespace tblog::detail {

std::string shortest_double_text(double value);

}  // namespace tblog::detail
