// tblog export: one scalar tag out as CSV or JSON, like TensorBoard's download links.
#include <fmt/format.h>

#include <cmath>

#include "commands.hpp"
#include "tblog/error.hpp"
#include "text_format.hpp"

namespace tblog::cli {

int run_export(const std::string& logdir, const std::string& tag, const std::string& run_name,
               const std::string& format) {
  std::vector<std::pair<std::string, std::vector<ScalarPoint>>> series;
  for (const auto& run : find_runs(logdir)) {
    if (!run_name.empty() && run.name != run_name) continue;
    auto points = read_scalars(run, tag);
    if (!points.empty()) series.emplace_back(run.name, std::move(points));
  }
  if (series.empty()) {
    throw RuntimeError("no scalar tag '" + tag + "'" +
                       (run_name.empty() ? "" : " in run '" + run_name + "'") + " under " + logdir);
  }
  const bool one_run = !run_name.empty();
  if (format == "csv") {
    fmt::print("{}Wall time,Step,Value\n", one_run ? "" : "Run,");
    for (const auto& [run, points] : series) {
      for (const auto& p : points) {
        fmt::print("{}{:.6f},{},{}\n", one_run ? "" : csv_field(run) + ",", p.wall_time, p.step,
                   number(p.value));
      }
    }
    return 0;
  }
  auto rows = [](const std::vector<ScalarPoint>& points) {
    std::string out = "[";
    for (std::size_t i = 0; i < points.size(); ++i) {
      const double wall = points[i].wall_time;
      out += fmt::format("{}[{},{},{}]", i ? "," : "",
                         std::isfinite(wall) ? fmt::format("{:.6f}", wall) : "null", points[i].step,
                         json_number(points[i].value));
    }
    return out + "]";
  };
  if (one_run) {
    fmt::print("{}\n", rows(series[0].second));
    return 0;
  }
  std::string out = "{";
  for (std::size_t i = 0; i < series.size(); ++i) {
    out += (i ? "," : "") + json_string(series[i].first) + ":" + rows(series[i].second);
  }
  fmt::print("{}}}\n", out);
  return 0;
}

}  // namespace tblog::cli
