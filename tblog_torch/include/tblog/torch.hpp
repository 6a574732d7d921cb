/// @file
/// tblog's LibTorch layer (target tblog::torch): tensors in, model summaries, activation probes,
/// callbacks for your own loop and the plugins that log what tbtrain logs.
#pragma once

#include "tblog/torch/callbacks.hpp"
#include "tblog/torch/diagnostics.hpp"
#include "tblog/torch/filters.hpp"
#include "tblog/torch/graph.hpp"
#include "tblog/torch/model_summary.hpp"
#include "tblog/torch/plugins.hpp"
#include "tblog/torch/probes.hpp"
#include "tblog/torch/tensors.hpp"
