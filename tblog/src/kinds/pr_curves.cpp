// The PR curves plugin: add_pr_curve (counts computed from predictions on the writer thread),
// add_pr_curve_data (counts given), add_pr_curves (one curve per class), their checks and their
// event (a float32 [6, num_thresholds] tensor: tp, fp, tn, fn, precision, recall); and reading
// curves back.
#include <cstdio>
#include "event_encoding_helpers.hpp"
#include "kind_codec.hpp"
#include "pr_curve_internal.hpp"
#include "summary_writer_impl.hpp"
#include "tblog/error.hpp"
#include "tblog/plugins.pb.h"

namespace tblog {
namespace {

void check_pr_curve_data(const PrCurveData& data, const std::string& what) {
  const std::size_t n = data.precision.size();
  if (n < 2) throw InvalidArgument(what + ": a curve needs at least 2 thresholds");
  for (const auto* row : {&data.true_positives, &data.false_positives, &data.true_negatives,
                          &data.false_negatives, &data.recall}) {
    if (row->size() != n) {
      throw InvalidArgument(what + ": the six rows must have one length (precision has " +
                            std::to_string(n) + ", another has " + std::to_string(row->size()) +
                            ")");
    }
  }
}

void check_classes(const std::vector<float>& scores, const std::vector<int>& labels,
                   const std::vector<std::string>& class_names, const std::string& what) {
  const std::size_t classes = class_names.size();
  if (classes < 2) throw InvalidArgument(what + ": needs at least 2 class names");
  if (labels.empty() || scores.size() != labels.size() * classes) {
    throw InvalidArgument(what + ": " + std::to_string(scores.size()) + " scores for " +
                          std::to_string(labels.size()) + " labels x " + std::to_string(classes) +
                          " classes");
  }
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] < 0 || static_cast<std::size_t>(labels[i]) >= classes) {
      throw InvalidArgument(what + ": label " + std::to_string(i) + " is " +
                            std::to_string(labels[i]) + ", classes are 0.." +
                            std::to_string(classes - 1));
    }
  }
  for (std::size_t c = 0; c < classes; ++c) {
    if (class_names[c].empty())
      throw InvalidArgument(what + ": class " + std::to_string(c) + " has no name");
  }
}

std::string pr_curve_event(std::string_view tag, const PrCurveData& curve, std::int64_t step,
                           double wall_time, bool with_metadata) {
  const std::size_t n = curve.precision.size();
  pb::Event event;
  auto* value = detail::new_value(event, tag, step, wall_time);
  if (with_metadata) {
    pb::PrCurvePluginData data;
    data.set_num_thresholds(static_cast<std::uint32_t>(n));
    detail::set_metadata(value, "pr_curves", data.SerializeAsString());
  }
  std::vector<float> rows;
  rows.reserve(6 * n);
  for (const auto* row : {&curve.true_positives, &curve.false_positives, &curve.true_negatives,
                          &curve.false_negatives, &curve.precision, &curve.recall}) {
    for (const double x : *row) rows.push_back(static_cast<float>(x));
  }
  auto* tensor = value->mutable_tensor();
  tensor->set_dtype(pb::DT_FLOAT);
  detail::add_dim(tensor, 6);
  detail::add_dim(tensor, static_cast<std::int64_t>(n));
  detail::set_raw_content(tensor, rows.data(), rows.size());
  return detail::serialize(event);
}

}  // namespace

void SummaryWriter::add_pr_curve(std::string_view tag, const std::vector<float>& predictions,
                                 const std::vector<bool>& labels, std::int64_t step,
                                 const PrCurveOptions& options) {
  detail::check_tag(tag, "add_pr_curve");
  detail::check_pr_curve_input(predictions, labels, options,
                               detail::call_name("add_pr_curve", tag));
  const double wt = detail::resolve_wall_time(options.wall_time, "add_pr_curve");
  const std::size_t bytes = predictions.size() * 5 + options.weights.size() * 4;
  auto encode = [predictions, labels, options, step, wt](const std::string& stored_tag,
                                                         bool first) {
    return pr_curve_event(stored_tag, detail::pr_curve_of(predictions, labels, options), step, wt,
                          first);
  };
  impl_->add_deferred({std::string(tag), std::move(encode)}, bytes, "add_pr_curve", "pr_curves");
}

void SummaryWriter::add_pr_curve_data(std::string_view tag, const PrCurveData& data,
                                      std::int64_t step, std::optional<double> wall_time) {
  detail::check_tag(tag, "add_pr_curve_data");
  check_pr_curve_data(data, detail::call_name("add_pr_curve_data", tag));
  const double wt = detail::resolve_wall_time(wall_time, "add_pr_curve_data");
  auto encode = [data, step, wt](const std::string& stored_tag, bool first) {
    return pr_curve_event(stored_tag, data, step, wt, first);
  };
  impl_->add_deferred({std::string(tag), std::move(encode)}, data.precision.size() * 48,
                      "add_pr_curve_data", "pr_curves");
}

void SummaryWriter::add_pr_curves(std::string_view tag, const std::vector<float>& scores,
                                  const std::vector<int>& labels,
                                  const std::vector<std::string>& class_names, std::int64_t step,
                                  const PrCurveOptions& options) {
  detail::check_tag(tag, "add_pr_curves");
  check_classes(scores, labels, class_names, detail::call_name("add_pr_curves", tag));
  const std::size_t classes = class_names.size();
  std::vector<float> predictions(labels.size());
  std::vector<bool> is_class(labels.size());
  for (std::size_t c = 0; c < classes; ++c) {
    for (std::size_t i = 0; i < labels.size(); ++i) {
      predictions[i] = scores[i * classes + c];
      is_class[i] = static_cast<std::size_t>(labels[i]) == c;
    }
    add_pr_curve(std::string(tag) + "/" + class_names[c], predictions, is_class, step, options);
  }
}

}  // namespace tblog

// Reading: the [6, n] rows (tp, fp, tn, fn, precision, recall), every element stored.
namespace tblog::detail {
namespace {

void decode_pr_curve(const pb::Summary::Value& value, SummaryValue& v) {
  if (value.value_case() != pb::Summary::Value::kTensor) return;
  SummaryTensor rows = decode_summary_tensor(value.tensor(), v);
  if (rows.shape.size() != 2 || rows.shape[0] != 6)
    inconsistent(v, "PR curve tensor is not of shape [6, n]");
  v.data = std::move(rows);
}

std::string describe_pr_curve(const SummaryValue& v) {
  const SummaryTensor* t = v.tensor();
  const std::size_t n = t && t->shape.size() == 2 ? static_cast<std::size_t>(t->shape[1]) : 0;
  if (n == 0) return "pr_curve (empty)";
  // The threshold 0.5 sits in the middle column when the count is odd (201 by default).
  const std::size_t mid = (n - 1) / 2;
  char line[160];
  std::snprintf(line, sizeof line, "pr_curve %zu thresholds, at %.2f: precision %.4f recall %.4f",
                n, static_cast<double>(mid) / static_cast<double>(n - 1), t->numbers[4 * n + mid],
                t->numbers[5 * n + mid]);
  return line;
}

std::string describe_pr_curve_json(const SummaryValue& v) {
  static const SummaryTensor none;
  const SummaryTensor& t = v.tensor() ? *v.tensor() : none;
  return ",\"shape\":" + shape_text(t.shape, ",") + ",\"tensor\":" + json_numbers(t.numbers);
}

}  // namespace

extern const KindCodec kPrCurvesCodec{"pr_curves",     ValueKind::kPrCurve, "pr_curve",
                                      decode_pr_curve, describe_pr_curve,   describe_pr_curve_json};

}  // namespace tblog::detail
