// Encoders for the kinds beyond scalars, histograms, single images and text: each builds the
// serialized Event TensorBoard's plugin expects. Internal to tblog.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tblog/graph.hpp"
#include "tblog/mesh.hpp"
#include "tblog/pr_curve.hpp"

namespace tblog::detail {

// The images plugin's own tensor: [width, height, image 1, image 2, ...] as strings.
std::string images_event(std::string_view tag, int width, int height,
                         const std::vector<std::string>& encoded, std::int64_t step,
                         double wall_time, bool with_metadata);
// The pr_curves plugin's float32 [6, num_thresholds] tensor (tp, fp, tn, fn, precision, recall).
std::string pr_curve_event(std::string_view tag, const PrCurveData& curve, std::int64_t step,
                           double wall_time, bool with_metadata);
// The audio plugin's [1, 2] string tensor: the WAV file and its Markdown label.
std::string audio_event(std::string_view tag, const std::string& wav, std::string_view label,
                        std::int64_t step, double wall_time, bool with_metadata);
// The mesh plugin's values "<tag>_VERTEX", "<tag>_FACE", "<tag>_COLOR" in one event, each a
// [1, n, 3] tensor whose metadata names the mesh, its part and the parts present.
std::string mesh_event(std::string_view tag, const Mesh& mesh, std::int64_t step, double wall_time);
// Event.graph_def: a GraphDef of the nodes (output shapes as the "_output_shapes" attribute).
std::string graph_event(const Graph& graph, double wall_time);
// Event.tagged_run_metadata: per-node timing and memory of one step.
std::string run_metadata_event(std::string_view tag, const std::vector<NodeStats>& stats,
                               std::int64_t step, double wall_time);

}  // namespace tblog::detail
