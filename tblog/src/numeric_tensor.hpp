// A numeric tensor of a decoded summary value, read with every count checked against the bytes
// present, and the exception the value decoders use for a summary inconsistent with itself.
// Internal to tblog (event_decoding.cpp).
#pragma once

#include <cstring>
#include <limits>
#include <string>

#include "tblog/reader.hpp"
#include "tblog/tensor.pb.h"

namespace tblog::detail {

// Thrown inside the decoders only: the reason a summary is inconsistent. decode_event turns it
// into its error string, so the caller reports corrupt data instead of printing garbage.
struct Inconsistent {
  std::string why;
};

[[noreturn]] inline void inconsistent(const SummaryValue& v, const std::string& why) {
  throw Inconsistent{"value '" + v.tag + "': " + why};
}

// The numbers of a numeric tensor, checked against the bytes present. Elements are stored either
// as raw little-endian values in tensor_content or in the typed *_val field, where a single typed
// value broadcasts to the whole shape (as TensorBoard's make_ndarray does).
class NumericTensor {
 public:
  NumericTensor(const pb::TensorProto& t, const SummaryValue& v) : t_(t) {
    switch (t.dtype()) {
      case pb::DT_FLOAT:
        width_ = sizeof(float), typed_ = t.float_val_size();
        break;
      case pb::DT_DOUBLE:
        width_ = sizeof(double), typed_ = t.double_val_size();
        break;
      case pb::DT_INT32:
        width_ = sizeof(std::int32_t), typed_ = t.int_val_size();
        break;
      case pb::DT_INT64:
        width_ = sizeof(std::int64_t), typed_ = t.int64_val_size();
        break;
      case pb::DT_UINT8:  // typed values travel in int_val
        width_ = sizeof(std::uint8_t), typed_ = t.int_val_size();
        break;
      default:
        inconsistent(v, "numeric tensor of unsupported dtype " + std::to_string(t.dtype()));
    }
    count_ = element_count(t, v);
    const std::string& raw = t.tensor_content();
    if (!raw.empty()) {
      if (raw.size() != count_ * width_) {
        inconsistent(v, "tensor shape holds " + std::to_string(count_) + " values but its " +
                            std::to_string(raw.size()) + " content bytes hold " +
                            std::to_string(raw.size() / width_));
      }
    } else if (!(typed_ == count_ || (typed_ == 1 && count_ > 0))) {
      inconsistent(v, "tensor shape holds " + std::to_string(count_) + " values but " +
                          std::to_string(typed_) + " are stored");
    }
  }

  std::uint64_t count() const { return count_; }
  // True when every element is stored (no broadcast), so `count` is backed by bytes present.
  bool fully_stored() const { return !t_.tensor_content().empty() || typed_ == count_; }
  const pb::TensorShapeProto& shape() const { return t_.tensor_shape(); }

  double at(std::uint64_t i) const {  // i < count(), checked by the constructor's invariants
    switch (t_.dtype()) {
      case pb::DT_FLOAT:
        return get<float>(t_.float_val(), i);
      case pb::DT_DOUBLE:
        return get<double>(t_.double_val(), i);
      case pb::DT_INT32:
        return static_cast<double>(get<std::int32_t>(t_.int_val(), i));
      case pb::DT_UINT8: {
        const std::string& raw = t_.tensor_content();
        if (!raw.empty()) return static_cast<unsigned char>(raw[i]);
        return static_cast<double>(t_.int_val(typed_ == 1 ? 0 : static_cast<int>(i)) & 0xff);
      }
      default:
        return static_cast<double>(get<std::int64_t>(t_.int64_val(), i));
    }
  }

 private:
  // The product of the dimensions, refusing negative sizes and products that no file could back
  // (the count is compared with the stored values next; this only keeps the product defined).
  static std::uint64_t element_count(const pb::TensorProto& t, const SummaryValue& v) {
    std::uint64_t n = 1;
    constexpr std::uint64_t kLimit = std::uint64_t(1) << 62;
    for (const auto& d : t.tensor_shape().dim()) {
      if (d.size() < 0) inconsistent(v, "tensor dimension of size " + std::to_string(d.size()));
      const auto size = static_cast<std::uint64_t>(d.size());
      if (size != 0 && n > kLimit / size) inconsistent(v, "tensor shape overflows");
      n *= size;
    }
    return n;
  }

  template <typename T, typename Repeated>
  double get(const Repeated& typed, std::uint64_t i) const {
    const std::string& raw = t_.tensor_content();
    if (!raw.empty()) {
      T value{};
      std::memcpy(&value, raw.data() + i * sizeof value, sizeof value);
      return static_cast<double>(value);
    }
    return static_cast<double>(typed.Get(typed_ == 1 ? 0 : static_cast<int>(i)));
  }

  const pb::TensorProto& t_;
  std::size_t width_ = 0;
  std::uint64_t typed_ = 0;
  std::uint64_t count_ = 0;
};

}  // namespace tblog::detail
