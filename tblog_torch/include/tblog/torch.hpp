// tblog's LibTorch layer (target tblog::torch): tensors in, model summaries, activation probes.
#pragma once

#include "tblog/torch/model_summary.hpp"
#include "tblog/torch/probes.hpp"
#include "tblog/torch/tensors.hpp"
