// A bad option or grid value: the user's mistake, reported in one line with exit status 2.
// Torch-free, so option parsing and grids can throw it too.
#pragma once

#include <stdexcept>

namespace trainers {

class UsageError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

}  // namespace trainers
