// The tensor layer's input checks: one message shape for every call, "add_image('inputs'):
// expected ..., got shape [2, 5] Float on cpu". Internal to tblog_torch.
#pragma once

#include <ATen/core/Tensor.h>

#include <string>
#include <string_view>

namespace tblog::torch_detail {

// "shape [2, 5] Float on cpu", or "an undefined tensor".
std::string describe(const at::Tensor& tensor);

// Throws std::invalid_argument: "<call>('<tag>'): expected <expected>, got <describe(tensor)>".
[[noreturn]] void reject(const char* call, std::string_view tag, const std::string& expected,
                         const at::Tensor& tensor);

// Rejects undefined and empty tensors, and complex or bool ones unless `allow_bool`.
void require_real(const char* call, std::string_view tag, const at::Tensor& tensor,
                  bool allow_bool = false);

// The tensor cut loose from autograd, flattened, on its own device (no copy when it can be a
// view).
at::Tensor flat_values(const at::Tensor& tensor);

// Dimensions the core's int-sized fields can hold; throws std::invalid_argument otherwise.
int to_int_size(const char* call, std::string_view tag, std::int64_t size);

}  // namespace tblog::torch_detail
