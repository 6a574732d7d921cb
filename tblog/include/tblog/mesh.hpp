/// @file
/// Point clouds and triangle meshes for the MESH dashboard.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tblog {

struct Mesh {
  std::vector<float> vertices;       ///< N x 3: x, y, z of each vertex
  std::vector<std::int32_t> faces;   ///< optional, F x 3: vertex indices of each triangle
  std::vector<std::uint8_t> colors;  ///< optional, N x 3: RGB of each vertex
  /// Optional three.js settings as JSON, e.g. {"camera": {"cls": "PerspectiveCamera", "fov": 75}}.
  std::string config_json;
};

}  // namespace tblog
