// Validation tensors a plugin keeps from one hook to a later one (ConvVisualizations' images for
// the figures at the end, Embeddings' points) without copying them: views of the caller's tensors
// with the version each had. An in-place write bumps a tensor's version (its views share it), so
// a caller that writes into them afterwards is told instead of drawn from. Copying them instead
// cost tbtrain 12 ms an epoch (LeNet5, the CIFAR-10 subset: 1,000 test images twice).
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <initializer_list>
#include <vector>

namespace tblog::torch_detail {

class KeptViews {
 public:
  // Keeps the versions of these (undefined tensors are left out).
  void keep(std::initializer_list<const at::Tensor*> views) {
    kept_.clear();
    for (const at::Tensor* view : views)
      if (view->defined()) kept_.push_back({*view, view->_version()});
  }
  // Whether none was written into since keep().
  bool unchanged() const {
    for (const auto& [view, version] : kept_)
      if (view._version() != version) return false;
    return true;
  }

 private:
  struct Kept {
    at::Tensor view;
    std::int64_t version;
  };
  std::vector<Kept> kept_;
};

}  // namespace tblog::torch_detail
