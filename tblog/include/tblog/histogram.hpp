/// @file
/// Histogram bucketing, done on the writer thread. Output rows are TensorBoard's
/// (left edge, right edge, count) triples, the layout its histogram plugin stores.
#pragma once

#include <cstddef>
#include <vector>
#include "tblog/export.hpp"

namespace tblog {

struct HistogramBucket {
  double left;
  double right;
  double count;
};

/// Statistics of the finite input values; non-finite values are counted separately.
struct HistogramStats {
  double min = 0;
  double max = 0;
  double count = 0;
  double sum = 0;
  double sum_squares = 0;
  std::size_t non_finite = 0;  ///< NaN and +/-Inf values, left out of the buckets
};

struct Histogram {
  HistogramStats stats;
  std::vector<HistogramBucket> buckets;
};

/// TensorBoard's (TensorFlow's) default bucket limits: 0, +/-1e-12 * 1.1^k up to 1e20, and
/// +/-DBL_MAX at the ends. 1551 ascending limits; the first bucket starts at -DBL_MAX.
TBLOG_API const std::vector<double>& default_bucket_limits();

/// Buckets `values` with the default exponential layout. Empty buckets at both ends are dropped
/// and runs of empty inner buckets merged; the first left edge is the true minimum and the last
/// right edge the true maximum. NaN and +/-Inf are left out of the buckets (see stats.non_finite).
TBLOG_API Histogram make_histogram(const float* values, std::size_t n);
TBLOG_API Histogram make_histogram(const double* values, std::size_t n);

/// The rows make_histogram builds, from counts bucketed elsewhere (on a GPU, say): counts[i] is
/// the number of finite values v with limits[i-1] <= v < limits[i] of default_bucket_limits()
/// (one count per limit), `stats` those values' statistics. Throws InvalidArgument on a wrong
/// number of counts or a negative or non-finite count.
TBLOG_API Histogram histogram_from_default_counts(const HistogramStats& stats,
                                                  const std::vector<double>& counts);

/// Throws InvalidArgument unless `edges` holds at least 2 finite, strictly ascending values.
TBLOG_API void validate_bucket_edges(const std::vector<double>& edges);

/// Buckets `values` into caller-given ascending `edges` (k+1 edges make k buckets, the last one
/// closed on the right). Values below the first or above the last edge are counted in the first
/// or last bucket so that no value silently disappears. Throws InvalidArgument on bad edges.
TBLOG_API Histogram make_histogram(const float* values, std::size_t n,
                                   const std::vector<double>& edges);
TBLOG_API Histogram make_histogram(const double* values, std::size_t n,
                                   const std::vector<double>& edges);

}  // namespace tblog
