// The histograms plugin: add_histogram (values bucketed on the writer thread, or on the caller's
// when a copy would not fit in the queue), add_histogram_data, their check and their event; and
// reading histograms back.
#include <cmath>
#include <cstring>

#include "event_encoding_helpers.hpp"
#include "kind_codec.hpp"
#include "number_text.hpp"
#include "shared_by_kinds.hpp"
#include "summary_writer_impl.hpp"
#include "tblog/error.hpp"
#include "tblog/value_views.hpp"

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
    impl.add_finished_on_caller({std::string(tag), std::move(encode)}, bytes, "add_histogram",
                                "histograms");
    return;
  }
  auto encode = [copy = std::vector<T>(values, values + n), edges, step, wt](
                    const std::string& stored_tag, bool first) {
    const Histogram h = edges.empty() ? make_histogram(copy.data(), copy.size())
                                      : make_histogram(copy.data(), copy.size(), edges);
    return histogram_event(stored_tag, h, step, wt, first);
  };
  impl.add_deferred({std::string(tag), std::move(encode)}, n * sizeof(T), "add_histogram",
                    "histograms");
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
  impl_->add_deferred({std::string(tag), std::move(encode)}, bytes, "add_histogram_data",
                      "histograms");
}

}  // namespace tblog

// Reading: TensorBoard's [k, 3] tensor of (left, right, count) rows, or a legacy histo converted
// as TensorBoard converts it.
namespace tblog::detail {
namespace {

SummaryTensor rows_of_legacy_histogram(const pb::HistogramProto& h, const SummaryValue& v) {
  if (h.bucket_limit_size() != h.bucket_size()) {
    inconsistent(v, "histogram with " + std::to_string(h.bucket_size()) + " buckets but " +
                        std::to_string(h.bucket_limit_size()) + " bucket limits");
  }
  // Empty buckets dropped at both ends; the outer edges are min and max.
  int first = 0, last = h.bucket_size() - 1;
  while (first <= last && h.bucket(first) == 0) ++first;
  while (last >= first && h.bucket(last) == 0) --last;
  SummaryTensor rows;
  rows.dtype = SummaryTensor::DType::kDouble;
  rows.shape = {last >= first ? last - first + 1 : 0, 3};
  for (int i = first; i <= last; ++i) {
    rows.numbers.push_back(i == first ? h.min() : h.bucket_limit(i - 1));
    rows.numbers.push_back(i == last ? h.max() : h.bucket_limit(i));
    rows.numbers.push_back(h.bucket(i));
  }
  return rows;
}

void decode_histogram(const pb::Summary::Value& value, SummaryValue& v) {
  if (value.value_case() == pb::Summary::Value::kHisto) {
    v.data = rows_of_legacy_histogram(value.histo(), v);
  } else if (value.value_case() == pb::Summary::Value::kTensor) {
    const auto& shape = value.tensor().tensor_shape();
    const bool rows_of_three = shape.dim_size() == 2 && shape.dim(1).size() == 3;
    SummaryTensor rows = decode_summary_tensor(value.tensor(), v);
    if (!rows.numbers.empty() && !rows_of_three)
      inconsistent(v, "histogram tensor is not of shape [k, 3]");
    v.data = std::move(rows);
  }
}

std::string describe_histogram(const SummaryValue& v) {
  static const std::vector<double> none;
  const std::vector<double>& n = v.tensor() ? v.tensor()->numbers : none;
  const std::size_t rows = n.size() / 3;
  double count = 0;
  for (std::size_t r = 0; r < rows; ++r) count += n[3 * r + 2];
  return "histogram " + std::to_string(rows) + " buckets, " + shortest_double_text(count) +
         " values in [" + shortest_double_text(rows ? n[0] : 0) + ", " +
         shortest_double_text(rows ? n[3 * rows - 2] : 0) + "]";
}

std::string describe_histogram_json(const SummaryValue& v) {
  std::string out = ",\"buckets\":[";
  const std::size_t rows = v.tensor() ? v.tensor()->numbers.size() / 3 : 0;
  for (std::size_t r = 0; r < rows; ++r) {
    const double* row = v.tensor()->numbers.data() + 3 * r;
    out += (r ? ",[" : "[") + json_number(row[0]) + "," + json_number(row[1]) + "," +
           json_number(row[2]) + "]";
  }
  return out + "]";
}

}  // namespace

extern const KindCodec kHistogramsCodec{"histograms",       ValueKind::kHistogram,
                                        "histogram",        decode_histogram,
                                        describe_histogram, describe_histogram_json};

}  // namespace tblog::detail

std::vector<tblog::HistogramBucket> tblog::histogram_buckets(const SummaryValue& value) {
  std::vector<HistogramBucket> rows;
  if (value.kind != ValueKind::kHistogram || !value.tensor()) return rows;
  const std::vector<double>& n = value.tensor()->numbers;
  rows.reserve(n.size() / 3);
  for (std::size_t r = 0; r + 2 < n.size(); r += 3) rows.push_back({n[r], n[r + 1], n[r + 2]});
  return rows;
}
