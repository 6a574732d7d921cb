// Builds serialized Event payloads (the bytes inside one record). Internal to tblog.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tblog/histogram.hpp"
#include "tblog/hparams.hpp"
#include "tblog/layout.hpp"

namespace tblog::detail {

// Hand-encoded fast path: Event{wall_time, step, summary{value{tag, simple_value}}}, byte for
// byte what protobuf serialization of the same message gives. Appends to `out`.
void append_scalar_event(std::string& out, std::string_view tag, float value, std::int64_t step,
                         double wall_time);
// The same in two steps, for the writer thread, which encodes straight into its output buffer:
// the event's size, then the event written at `at` (exactly that many bytes).
std::size_t scalar_event_size(std::string_view tag, std::int64_t step, double wall_time);
void put_scalar_event(char* at, std::string_view tag, float value, std::int64_t step,
                      double wall_time);

std::string file_version_event(double wall_time);
std::string session_start_event(std::int64_t step, double wall_time);

// `with_metadata`: TensorBoard needs the plugin metadata on the first value of a tag in each
// file; later values of the tag leave it out to keep files compact.
std::string histogram_event(std::string_view tag, const Histogram& histogram, std::int64_t step,
                            double wall_time, bool with_metadata);
std::string image_event(std::string_view tag, int width, int height, int channels,
                        const std::string& png, std::int64_t step, double wall_time);
std::string text_event(std::string_view tag, std::string_view markdown, std::int64_t step,
                       double wall_time, bool with_metadata);

std::string hparams_experiment_event(const HParamsExperiment& experiment, double wall_time);
std::string hparams_session_start_event(const HParams& hparams, const std::string& group_name,
                                        double wall_time);
std::string hparams_session_end_event(SessionStatus status, double wall_time);
std::string custom_scalar_layout_event(const Layout& layout, double wall_time);

// Tags the HParams and custom-scalars plugins look for.
inline constexpr const char* kHParamsExperimentTag = "_hparams_/experiment";
inline constexpr const char* kHParamsSessionStartTag = "_hparams_/session_start_info";
inline constexpr const char* kHParamsSessionEndTag = "_hparams_/session_end_info";
inline constexpr const char* kCustomScalarsTag = "custom_scalars__config__";

}  // namespace tblog::detail
