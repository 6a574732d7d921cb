// `tblog serve LOGDIR`: TensorBoard's data provider over LOGDIR for a person, i.e.
// tblog-data-server (installed beside tblog) in this process's place, which says on stderr the
// `tensorboard --grpc_data_provider` line to open it with.
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "commands.hpp"

namespace tblog::cli {
namespace {

// Beside this program when installed (bin/), or in the build tree (tblog/cli -> tblog/serve).
std::string find_data_server() {
  std::error_code error;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return {};
  for (const auto& candidate : {self.parent_path() / "tblog-data-server",
                                self.parent_path().parent_path() / "serve" / "tblog-data-server"}) {
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return {};
}

}  // namespace

int run_serve(const std::string& logdir, int port, const std::string& host,
              const std::string& reload) {
  const std::string server = find_data_server();
  if (server.empty()) {
    fmt::print(stderr,
               "tblog: error: tblog-data-server is not installed beside tblog (this build of "
               "tblog was made without gRPC: install libgrpc++-dev, protobuf-compiler-grpc and "
               "nlohmann-json3-dev, and build again)\n");
    return 1;
  }
  std::vector<std::string> args = {server,
                                   "--logdir=" + logdir,
                                   "--port=" + std::to_string(port),
                                   "--host=" + host,
                                   "--reload=" + reload,
                                   "--announce"};
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  ::execv(server.c_str(), argv.data());
  fmt::print(stderr, "tblog: error: cannot run {}: {}\n", server, std::strerror(errno));
  return 1;
}

}  // namespace tblog::cli
