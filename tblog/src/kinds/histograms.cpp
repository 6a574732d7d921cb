// The histograms plugin: add_histogram (values bucketed on the writer thread, or on the caller's
// when a copy would not fit in the queue), add_histogram_data, their check and their event.
#include <cmath>
#include <cstring>

#include "event_encoding_helpers.hpp"
#include "shared_by_kinds.hpp"
#include "summary_writer_impl.hpp"
#include "tblog/error.hpp"

namespace tblog {
namespace detail {
namespace {

void check_histogram(const Histogram& histogram, const std::string& what) {
  const auto& rows = histogram.buckets;
  if (rows.empty()) throw InvalidArgument(what + ": no buckets");
  const HistogramStats& s = histogram.stats;
  for (double v : {s.min, s.max, s.count, s.sum, s.sum_squares}) {
    if (!std::isfinite(v)) throw InvalidArgument(what + ": statistics that are not finite");
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const HistogramBucket& b = rows[i];
    const std::string row = what + ": bucket " + std::to_string(i);
    if (!std::isfinite(b.left) || !std::isfinite(b.right) || !std::isfinite(b.count))
      throw InvalidArgument(row + " is not finite");
    if (b.left > b.right) throw InvalidArgument(row + " has its left edge past its right edge");
    if (b.count < 0) throw InvalidArgument(row + " has a negative count");
    if (i > 0 && b.left < rows[i - 1].right)
      throw InvalidArgument(row + " starts before bucket " + std::to_string(i - 1) + " ends");
  }
}

std::size_t histogram_bytes(const Histogram& h) {
  return sizeof(Histogram) + h.buckets.size() * sizeof(HistogramBucket);
}

// add_histogram for float and double values; `Impl` is SummaryWriter::Impl (private to it, so
// deduced here rather than named).
template <typename Impl, typename T>
void add_values(Impl& impl, std::string_view tag, const T* values, std::size_t n, std::int64_t step,
                const HistogramOptions& options) {
  const BucketEdges& edges = options.edges;
  check_tag(tag, "add_histogram");
  if (n == 0 || values == nullptr) {
    throw InvalidArgument("add_histogram('" + std::string(tag) + "'): no values");
  }
  if (!edges.empty()) validate_bucket_edges(edges);  // reject bad edges now, not later
  const double wt = resolve_wall_time(options.wall_time, "add_histogram");
  if (!impl.queue_has_room_for(n * sizeof(T))) {
    // A copy of the values would take the queue past its bound (the caller would wait for the
    // writer thread, or a histogram bigger than the bound would sit in it whole): the caller
    // buckets its own values instead.
    Histogram h = edges.empty() ? make_histogram(values, n) : make_histogram(values, n, edges);
    const std::size_t bytes = histogram_bytes(h);
    auto encode = [h = std::move(h), step, wt](const std::string& stored_tag, bool first) {
      return histogram_event(stored_tag, h, step, wt, first);
    };
    impl.add_finished_on_caller({std::string(tag), std::move(encode)}, bytes, "add_histogram");
    return;
  }
  auto encode = [copy = std::vector<T>(values, values + n), edges, step, wt](
                    const std::string& stored_tag, bool first) {
    const Histogram h = edges.empty() ? make_histogram(copy.data(), copy.size())
                                      : make_histogram(copy.data(), copy.size(), edges);
    return histogram_event(stored_tag, h, step, wt, first);
  };
  impl.add_deferred({std::string(tag), std::move(encode)}, n * sizeof(T), "add_histogram");
}

}  // namespace

std::string histogram_event(std::string_view tag, const Histogram& histogram, std::int64_t step,
                            double wall_time, bool with_metadata) {
  pb::Event event;
  auto* value = new_value(event, tag, step, wall_time);
  if (with_metadata) set_metadata(value, "histograms");
  // Rows of (left, right, count) as float64, TensorBoard's histogram tensor layout.
  auto* tensor = value->mutable_tensor();
  tensor->set_dtype(pb::DT_DOUBLE);
  add_dim(tensor, static_cast<std::int64_t>(histogram.buckets.size()));
  add_dim(tensor, 3);
  std::string content(histogram.buckets.size() * 3 * sizeof(double), '\0');
  char* p = content.data();
  for (const auto& b : histogram.buckets) {
    const double row[3] = {b.left, b.right, b.count};
    std::memcpy(p, row, sizeof row);  // raw little-endian doubles (x86/ARM hosts)
    p += sizeof row;
  }
  tensor->set_tensor_content(std::move(content));
  return serialize(event);
}

}  // namespace detail

void SummaryWriter::add_histogram(std::string_view tag, const float* values, std::size_t n,
                                  std::int64_t step, const HistogramOptions& options) {
  detail::add_values(*impl_, tag, values, n, step, options);
}

void SummaryWriter::add_histogram(std::string_view tag, const double* values, std::size_t n,
                                  std::int64_t step, const HistogramOptions& options) {
  detail::add_values(*impl_, tag, values, n, step, options);
}

void SummaryWriter::add_histogram_data(std::string_view tag, Histogram histogram, std::int64_t step,
                                       std::optional<double> wall_time) {
  detail::check_tag(tag, "add_histogram_data");
  detail::check_histogram(histogram, detail::call_name("add_histogram_data", tag));
  const double wt = detail::resolve_wall_time(wall_time, "add_histogram_data");
  const std::size_t bytes = detail::histogram_bytes(histogram);
  auto encode = [h = std::move(histogram), step, wt](const std::string& stored_tag, bool first) {
    return detail::histogram_event(stored_tag, h, step, wt, first);
  };
  impl_->add_deferred({std::string(tag), std::move(encode)}, bytes, "add_histogram_data");
}

}  // namespace tblog
