#include "store_schemes.hpp"

#include <array>

namespace tblog::detail {

extern const StoreScheme kS3Scheme;    // s3_scheme.cpp, or without_s3.cpp (refusing)
extern const StoreScheme kFileScheme;  // file_scheme.cpp

namespace {

const std::array<const StoreScheme*, 2> kSchemes = {&kS3Scheme, &kFileScheme};

}  // namespace

std::string store_scheme_names() {
  std::string names;
  for (std::size_t i = 0; i < kSchemes.size(); ++i) {
    names += i == 0 ? "" : ", ";
    names += kSchemes[i]->prefix;
  }
  return names;
}

const StoreScheme* store_scheme_of(std::string_view path) {
  for (const StoreScheme* scheme : kSchemes) {
    if (path.substr(0, scheme->prefix.size()) == scheme->prefix) return scheme;
  }
  return nullptr;
}

}  // namespace tblog::detail
