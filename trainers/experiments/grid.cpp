#include "grid.hpp"

#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace trainers {
namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(s);
  while (std::getline(in, part, sep)) parts.push_back(trim(part));
  return parts;
}

}  // namespace

std::vector<Axis> parse_grid(const std::string& spec) {
  std::vector<Axis> axes;
  std::set<std::string> seen;
  std::string normalized = spec;
  for (char& c : normalized) {
    if (c == '\n') c = ';';
  }
  for (const std::string& part : split(normalized, ';')) {
    if (part.empty()) continue;
    const auto eq = part.find('=');
    if (eq == std::string::npos) {
      throw std::invalid_argument("grid: '" + part + "' is not of the form name=value1,value2");
    }
    Axis axis{trim(part.substr(0, eq)), {}};
    if (axis.name.empty()) throw std::invalid_argument("grid: empty axis name in '" + part + "'");
    if (!seen.insert(axis.name).second)
      throw std::invalid_argument("grid: axis '" + axis.name + "' given twice");
    std::set<std::string> values;
    for (const std::string& v : split(part.substr(eq + 1), ',')) {
      if (v.empty()) throw std::invalid_argument("grid: empty value in '" + part + "'");
      if (!values.insert(v).second)
        throw std::invalid_argument("grid: axis '" + axis.name + "' lists '" + v + "' twice");
      axis.values.push_back(v);
    }
    if (axis.values.empty())
      throw std::invalid_argument("grid: axis '" + axis.name + "' has no values");
    axes.push_back(std::move(axis));
  }
  if (axes.empty()) throw std::invalid_argument("grid: no axes given");
  return axes;
}

std::vector<Axis> load_grid_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument("grid file '" + path + "' cannot be read");
  std::string spec, line;
  while (std::getline(in, line)) {
    const auto hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    spec += line + "\n";
  }
  try {
    return parse_grid(spec);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(path + ": " + e.what());
  }
}

std::vector<Setting> expand_grid(const std::vector<Axis>& axes) {
  std::vector<Setting> out{Setting{}};
  for (const auto& axis : axes) {
    std::vector<Setting> next;
    for (const auto& partial : out) {
      for (const auto& value : axis.values) {
        Setting s = partial;
        s.emplace_back(axis.name, value);
        next.push_back(std::move(s));
      }
    }
    out = std::move(next);
  }
  return out;
}

std::string run_name(const Setting& setting) {
  std::string name;
  for (const auto& [key, value] : setting) {
    if (!name.empty()) name += ',';
    name += key + "=" + value;
  }
  for (char& c : name) {
    // '/' would nest runs in TensorBoard; the rest upsets shells and file systems.
    if (c == '/' || c == '\\' || c == ' ' || c == ':' || c == '*' || c == '?') c = '_';
  }
  return name.empty() ? "default" : name;
}

}  // namespace trainers
