#include "tblog/error.hpp"

// Out of line: the classes' virtual tables and type information live in the library once, so
// that an exception thrown inside a shared libtblog is caught by its type outside it.
namespace tblog {

Error::~Error() = default;

const char* InvalidArgument::what() const noexcept {
  return std::invalid_argument::what();
}

const char* RuntimeError::what() const noexcept {
  return std::runtime_error::what();
}

}  // namespace tblog
