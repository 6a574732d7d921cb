#include "tensor_checks.hpp"

#include <ATen/ATen.h>

#include <limits>
#include <sstream>
#include <stdexcept>
#include "tblog/error.hpp"

namespace tblog::torch_detail {

std::string describe(const at::Tensor& tensor) {
  if (!tensor.defined()) return "an undefined tensor";
  std::ostringstream text;
  text << "shape " << tensor.sizes() << " " << tensor.scalar_type() << " on " << tensor.device();
  return text.str();
}

void reject(const char* call, std::string_view tag, const std::string& expected,
            const at::Tensor& tensor) {
  throw InvalidArgument(std::string(call) + "('" + std::string(tag) + "'): expected " + expected +
                        ", got " + describe(tensor));
}

void require_real(const char* call, std::string_view tag, const at::Tensor& tensor,
                  bool allow_bool) {
  if (!tensor.defined() || tensor.numel() == 0) reject(call, tag, "a non-empty tensor", tensor);
  if (tensor.is_complex() || (!allow_bool && tensor.scalar_type() == at::kBool))
    reject(call, tag, "a real (floating or integer) tensor", tensor);
}

at::Tensor flat_values(const at::Tensor& tensor) {
  return tensor.detach().reshape({-1});
}

int to_int_size(const char* call, std::string_view tag, std::int64_t size) {
  if (size > std::numeric_limits<int>::max()) {
    throw InvalidArgument(std::string(call) + "('" + std::string(tag) + "'): dimension " +
                          std::to_string(size) + " is too large");
  }
  return static_cast<int>(size);
}

}  // namespace tblog::torch_detail
