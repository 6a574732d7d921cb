// SummaryWriter: the add_* calls of the original kinds, and lifetime. Validation happens here, on
// the caller's thread; encoding in the deferred functions, on the writer thread.
#include "tblog/summary_writer.hpp"

#include "summary_writer_impl.hpp"

namespace tblog {

SummaryWriter::SummaryWriter(const std::string& logdir, WriterOptions options)
    : impl_(std::make_unique<Impl>(logdir, std::move(options))) {}

SummaryWriter::~SummaryWriter() = default;

void SummaryWriter::add_scalar(std::string_view tag, double value, std::int64_t step,
                               std::optional<double> wall_time) {
  check_tag(tag, "add_scalar");
  if (!wall_time) return impl_->add_scalar_now(tag, static_cast<float>(value), step);
  impl_->add_scalar(tag, static_cast<float>(value), step,
                    resolve_wall_time(wall_time, "add_scalar"));
}

void SummaryWriter::add_histogram(std::string_view tag, const float* values, std::size_t n,
                                  std::int64_t step, const HistogramOptions& options) {
  impl_->add_histogram(tag, values, n, step, options);
}

void SummaryWriter::add_histogram(std::string_view tag, const double* values, std::size_t n,
                                  std::int64_t step, const HistogramOptions& options) {
  impl_->add_histogram(tag, values, n, step, options);
}

void SummaryWriter::add_image(std::string_view tag, Image image, std::int64_t step,
                              std::optional<double> wall_time) {
  check_tag(tag, "add_image");
  validate_image(image, ("add_image('" + std::string(tag) + "')").c_str());
  const double wt = resolve_wall_time(wall_time, "add_image");
  const std::size_t bytes = image.pixels.size();
  if (!impl_->queue_has_room_for(bytes)) {
    // As for histograms: rather than wait for the writer thread, the caller encodes this one
    // itself (the PNG is smaller than the pixels).
    std::string png = encode_png(image);
    const std::size_t png_bytes = png.size();
    const int width = image.width, height = image.height, channels = image.channels;
    auto encoded = [png = std::move(png), width, height, channels, step, wt](
                       const std::string& stored_tag, bool) {
      return detail::image_event(stored_tag, width, height, channels, png, step, wt);
    };
    impl_->add_finished_on_caller({std::string(tag), std::move(encoded)}, png_bytes, "add_image");
    return;
  }
  auto encode = [image = std::move(image), step, wt](const std::string& stored_tag, bool) {
    return detail::image_event(stored_tag, image.width, image.height, image.channels,
                               encode_png(image), step, wt);
  };
  impl_->add_deferred({std::string(tag), std::move(encode)}, bytes, "add_image");
}

void SummaryWriter::add_text(std::string_view tag, std::string_view markdown, std::int64_t step,
                             std::optional<double> wall_time) {
  check_tag(tag, "add_text");
  const double wt = resolve_wall_time(wall_time, "add_text");
  std::string text(markdown);
  const std::size_t bytes = text.size();
  auto encode = [text = std::move(text), step, wt](const std::string& stored_tag, bool first) {
    return detail::text_event(stored_tag, text, step, wt, first);
  };
  impl_->add_deferred({std::string(tag), std::move(encode)}, bytes, "add_text");
}

void SummaryWriter::add_hparams_experiment(const HParamsExperiment& experiment) {
  for (const auto& domain : experiment.hparams) {
    if (domain.name.empty()) throw InvalidArgument("add_hparams_experiment: hparam name is empty");
    for (const auto& v : domain.discrete) {
      if (v.index() != domain.discrete.front().index()) {
        throw InvalidArgument("add_hparams_experiment: hparam '" + domain.name +
                              "' mixes value types in its domain");
      }
    }
  }
  for (const auto& metric : experiment.metrics) {
    if (metric.tag.empty()) throw InvalidArgument("add_hparams_experiment: metric tag is empty");
  }
  impl_->add_prebuilt(detail::kHParamsExperimentTag,
                      detail::hparams_experiment_event(experiment, now_seconds()),
                      "add_hparams_experiment");
}

void SummaryWriter::add_hparams_session_start(const HParams& hparams, const std::string& group) {
  for (const auto& [name, value] : hparams) {
    if (name.empty()) throw InvalidArgument("add_hparams_session_start: hparam name is empty");
  }
  impl_->add_prebuilt(detail::kHParamsSessionStartTag,
                      detail::hparams_session_start_event(hparams, group, now_seconds()),
                      "add_hparams_session_start");
}

void SummaryWriter::add_hparams_session_end(SessionStatus status) {
  impl_->add_prebuilt(detail::kHParamsSessionEndTag,
                      detail::hparams_session_end_event(status, now_seconds()),
                      "add_hparams_session_end");
}

void SummaryWriter::add_custom_scalar_layout(const Layout& layout) {
  for (const auto& category : layout) {
    if (category.title.empty())
      throw InvalidArgument("add_custom_scalar_layout: category title is empty");
    for (const auto& chart : category.charts) {
      if (chart.multiline_tags.empty() && chart.margin_series.empty()) {
        throw InvalidArgument("add_custom_scalar_layout: chart '" + chart.title + "' has no tags");
      }
    }
  }
  // The plugin shows the last layout of each run, so every write carries the whole merged one.
  if (auto merged = impl_->merge_layout(layout)) {
    impl_->add_prebuilt(detail::kCustomScalarsTag,
                        detail::custom_scalar_layout_event(*merged, now_seconds()),
                        "add_custom_scalar_layout");
  }
}

void SummaryWriter::flush() {
  impl_->flush();
}
void SummaryWriter::close() {
  impl_->close();
}
std::string SummaryWriter::error() const {
  return impl_->error();
}
const std::string& SummaryWriter::path() const {
  return impl_->path();
}
const std::string& SummaryWriter::logdir() const {
  return impl_->logdir();
}

}  // namespace tblog
