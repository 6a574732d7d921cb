// The mesh plugin: add_mesh, its check and its event (values "<tag>_VERTEX", "<tag>_FACE",
// "<tag>_COLOR", each a [1, n, 3] tensor whose metadata names the mesh, its part and the parts
// present), and reading meshes back.
#include <cmath>
#include <limits>

#include "event_encoding_helpers.hpp"
#include "kind_codec.hpp"
#include "summary_writer_impl.hpp"
#include "tblog/error.hpp"
#include "tblog/plugins.pb.h"
#include "tblog/text.hpp"
#include "tblog/value_views.hpp"

namespace tblog {
namespace {

void check_mesh(const Mesh& mesh, const std::string& what) {
  if (mesh.vertices.empty()) throw InvalidArgument(what + ": no vertices");
  if (mesh.vertices.size() % 3)
    throw InvalidArgument(what + ": " + std::to_string(mesh.vertices.size()) +
                          " vertex coordinates, not x, y, z triples");
  const std::size_t n = mesh.vertices.size() / 3;
  if (n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
    throw InvalidArgument(what + ": too many vertices");
  for (std::size_t i = 0; i < mesh.vertices.size(); ++i) {
    if (!std::isfinite(mesh.vertices[i]))
      throw InvalidArgument(what + ": vertex " + std::to_string(i / 3) +
                            " has a non-finite coordinate");
  }
  if (mesh.faces.size() % 3)
    throw InvalidArgument(what + ": " + std::to_string(mesh.faces.size()) +
                          " face indices, not triangles");
  for (std::size_t i = 0; i < mesh.faces.size(); ++i) {
    if (mesh.faces[i] < 0 || static_cast<std::size_t>(mesh.faces[i]) >= n) {
      throw InvalidArgument(what + ": face " + std::to_string(i / 3) + " indexes vertex " +
                            std::to_string(mesh.faces[i]) + " of " + std::to_string(n));
    }
  }
  if (!mesh.colors.empty() && mesh.colors.size() != mesh.vertices.size()) {
    throw InvalidArgument(what + ": " + std::to_string(mesh.colors.size() / 3) + " colours for " +
                          std::to_string(n) + " vertices");
  }
}

std::string mesh_event(std::string_view tag, const Mesh& mesh, std::int64_t step,
                       double wall_time) {
  struct Part {
    pb::MeshPluginData::ContentType type;
    const char* suffix;
    std::size_t rows;
  };
  std::vector<Part> parts = {{pb::MeshPluginData::VERTEX, "_VERTEX", mesh.vertices.size() / 3}};
  if (!mesh.faces.empty())
    parts.push_back({pb::MeshPluginData::FACE, "_FACE", mesh.faces.size() / 3});
  if (!mesh.colors.empty())
    parts.push_back({pb::MeshPluginData::COLOR, "_COLOR", mesh.colors.size() / 3});
  std::uint32_t components = 0;
  for (const Part& part : parts) components |= 1u << part.type;

  pb::Event event;
  event.set_wall_time(wall_time);
  event.set_step(step);
  for (const Part& part : parts) {
    auto* value = event.mutable_summary()->add_value();
    value->set_tag(std::string(tag) + part.suffix);
    // Every mesh event carries its metadata: the plugin needs the part type of each value.
    pb::MeshPluginData data;
    data.set_name(std::string(tag));
    data.set_content_type(part.type);
    data.set_components(components);
    data.set_json_config(mesh.config_json);
    data.add_shape(1);
    data.add_shape(static_cast<std::int32_t>(part.rows));
    data.add_shape(3);
    detail::set_metadata(value, "mesh", data.SerializeAsString());
    value->mutable_metadata()->set_display_name(std::string(tag));
    auto* tensor = value->mutable_tensor();
    detail::add_dim(tensor, 1);
    detail::add_dim(tensor, static_cast<std::int64_t>(part.rows));
    detail::add_dim(tensor, 3);
    switch (part.type) {
      case pb::MeshPluginData::VERTEX:
        tensor->set_dtype(pb::DT_FLOAT);
        detail::set_raw_content(tensor, mesh.vertices.data(), mesh.vertices.size());
        break;
      case pb::MeshPluginData::FACE:
        tensor->set_dtype(pb::DT_INT32);
        detail::set_raw_content(tensor, mesh.faces.data(), mesh.faces.size());
        break;
      default:
        tensor->set_dtype(pb::DT_UINT8);
        detail::set_raw_content(tensor, mesh.colors.data(), mesh.colors.size());
        break;
    }
  }
  return detail::serialize(event);
}

}  // namespace

void SummaryWriter::add_mesh(std::string_view tag, Mesh mesh, std::int64_t step,
                             std::optional<double> wall_time) {
  detail::check_tag(tag, "add_mesh");
  check_mesh(mesh, detail::call_name("add_mesh", tag));
  const double wt = detail::resolve_wall_time(wall_time, "add_mesh");
  const std::size_t bytes = mesh.vertices.size() * 4 + mesh.faces.size() * 4 + mesh.colors.size();
  auto encode = [mesh = std::move(mesh), step, wt](const std::string& stored_tag, bool) {
    return mesh_event(stored_tag, mesh, step, wt);
  };
  impl_->add_deferred({std::string(tag), std::move(encode)}, bytes, "add_mesh", "mesh");
}

}  // namespace tblog

// Reading: each part's [b, n, 3] tensor, every element stored; the mesh and the part are named by
// the value's metadata, or else by its tag's suffix.
namespace tblog::detail {
namespace {

void decode_mesh(const pb::Summary::Value& value, SummaryValue& v) {
  if (value.value_case() != pb::Summary::Value::kTensor) return;
  SummaryTensor part = decode_summary_tensor(value.tensor(), v);
  if (part.shape.size() != 3 || part.shape[2] != 3)
    inconsistent(v, "mesh tensor is not of shape [b, n, 3]");
  v.data = std::move(part);
}

std::string describe_mesh(const SummaryValue& v) {
  const auto [mesh, part] = mesh_part_of(v);
  return "mesh '" + printable_text(mesh, 60) + "' " + printable_text(part, 20) + " " +
         shape_text(v.tensor() ? v.tensor()->shape : std::vector<std::int64_t>{}, ", ");
}

std::string describe_mesh_json(const SummaryValue& v) {
  const auto [mesh, part] = mesh_part_of(v);
  static const SummaryTensor none;
  const SummaryTensor& t = v.tensor() ? *v.tensor() : none;
  return ",\"shape\":" + shape_text(t.shape, ",") + ",\"mesh\":" + json_quoted(mesh) +
         ",\"part\":" + json_quoted(part) + ",\"tensor\":" + json_numbers(t.numbers);
}

}  // namespace

extern const KindCodec kMeshCodec{"mesh",      ValueKind::kMesh, "mesh",
                                  decode_mesh, describe_mesh,    describe_mesh_json};

}  // namespace tblog::detail

tblog::MeshPart tblog::mesh_part_of(const SummaryValue& value) {
  if (value.kind != ValueKind::kMesh) return {};
  pb::MeshPluginData data;
  if (value.has_metadata && data.ParseFromString(value.plugin_content) && !data.name().empty())
    return {data.name(), pb::MeshPluginData::ContentType_Name(data.content_type())};
  for (const char* part : {"VERTEX", "FACE", "COLOR"}) {
    const std::string suffix = std::string("_") + part;
    if (value.tag.size() > suffix.size() &&
        value.tag.compare(value.tag.size() - suffix.size(), suffix.size(), suffix) == 0)
      return {value.tag.substr(0, value.tag.size() - suffix.size()), part};
  }
  return {};
}
