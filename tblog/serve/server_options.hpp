// tblog-data-server's command line: the flags of TensorBoard's own data server (rustboard), which
// TensorBoard passes when TENSORBOARD_DATA_SERVER_BINARY names this program. Internal.
#pragma once

#include <optional>
#include <string>

#include "run_loader.hpp"

namespace tblog::serve {

struct ServerOptions {
  std::string logdir;
  std::optional<double> reload_seconds = 5.0;  // nullopt: "once"
  SamplingPlan sampling;
  std::string host = "localhost";
  int port = 6806;
  std::string port_file;
  std::string error_file;
  bool die_after_stdin = false;
  int verbosity = 0;
  unsigned threads = 0;  // loading threads; 0: one per core
};

// Parses `--samples-per-plugin` ("scalars=500,images=all"); throws std::invalid_argument naming
// the part it cannot read.
SamplingPlan parse_samples_per_plugin(const std::string& text);
// Parses `--reload` ("once" or seconds >= 0); throws std::invalid_argument.
std::optional<double> parse_reload(const std::string& text);

}  // namespace tblog::serve
