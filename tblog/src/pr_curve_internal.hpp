// The PR curve check and computation shared by compute_pr_curve and the writer. Internal to tblog.
#pragma once

#include <string>
#include <vector>

#include "tblog/pr_curve.hpp"

namespace tblog::detail {

// Throws InvalidArgument prefixed with `what` (e.g. "add_pr_curve('tag')").
void check_pr_curve_input(const std::vector<float>& predictions, const std::vector<bool>& labels,
                          const PrCurveOptions& options, const std::string& what);

// The curve of checked input.
PrCurveData pr_curve_of(const std::vector<float>& predictions, const std::vector<bool>& labels,
                        const PrCurveOptions& options);

}  // namespace tblog::detail
