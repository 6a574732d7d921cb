// The one event file of a sweep or study that holds what belongs to no single run (HParams
// experiment, custom-scalar layout, results tables). It lives inside an existing run directory,
// so TensorBoard lists no extra run for it, under a fixed name, replaced atomically on each
// write: rerunning a finished sweep replaces it instead of adding a second copy.
#pragma once

#include <functional>
#include <string>

#include "tblog/summary_writer.hpp"

namespace trainers {

// Writes `run_dir`/events.out.tfevents.0000000000.<name> with what `fill` adds.
void write_summary_file(const std::string& run_dir, const std::string& name,
                        const std::function<void(tblog::SummaryWriter&)>& fill);

}  // namespace trainers
