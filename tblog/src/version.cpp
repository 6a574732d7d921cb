#include "tblog/version.hpp"

namespace tblog {

const char* version() {
  return TBLOG_VERSION_STRING;
}

}  // namespace tblog
