// Hyperparameter grids: parsing, expansion into settings, and run names. No LibTorch here.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace trainers {

struct Axis {
  std::string name;                 // e.g. "lr"
  std::vector<std::string> values;  // e.g. {"1e-2", "1e-3"}
};

// One point of a grid, in axis order.
using Setting = std::vector<std::pair<std::string, std::string>>;

// "lr=1e-2,1e-3; optimizer=sgd,adam" (axes separated by ';' or newlines). Throws
// std::invalid_argument naming the bad part.
std::vector<Axis> parse_grid(const std::string& spec);
// The same syntax in a file, one axis per line; '#' starts a comment.
std::vector<Axis> load_grid_file(const std::string& path);

// Cartesian product; the last axis varies fastest.
std::vector<Setting> expand_grid(const std::vector<Axis>& axes);

// A directory-safe run name that says the settings: "lr=0.001,optimizer=adam".
std::string run_name(const Setting& setting);

}  // namespace trainers
