// tbtrain launch --nproc N -- <tbtrain arguments>: a data-parallel run on this machine, started
// as torchrun would (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT per process).
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <set>

#include "../loop/config_check.hpp"
#include "command.hpp"

namespace trainers::cli {
namespace {

// A port that was free a moment ago on the loopback interface (the OS picks it).
int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("launch: cannot open a socket to find a free port");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  ::close(fd);
  if (port == 0) throw std::runtime_error("launch: cannot find a free loopback port");
  return port;
}

int launch(int processes, int port, std::vector<std::string> args) {
  if (!args.empty() && args.front() == "--") args.erase(args.begin());
  if (args.empty()) throw UsageError("launch: give the tbtrain arguments after --");
  if (port == 0) port = free_loopback_port();
  std::set<pid_t> running;
  for (int rank = 0; rank < processes; ++rank) {
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("launch: fork failed");
    if (pid == 0) {
      ::setenv("RANK", std::to_string(rank).c_str(), 1);
      ::setenv("LOCAL_RANK", std::to_string(rank).c_str(), 1);
      ::setenv("WORLD_SIZE", std::to_string(processes).c_str(), 1);
      ::setenv("MASTER_ADDR", "127.0.0.1", 1);
      ::setenv("MASTER_PORT", std::to_string(port).c_str(), 1);
      std::vector<char*> argv{const_cast<char*>("tbtrain")};
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv("/proc/self/exe", argv.data());
      std::perror("tbtrain launch: exec");
      ::_exit(127);
    }
    running.insert(pid);
  }
  // The first rank to fail stops the others: a half-dead group only waits for its timeout.
  int result = 0;
  while (!running.empty()) {
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, 0);
    if (pid < 0) break;
    running.erase(pid);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (code != 0 && result == 0) {
      result = code;
      for (pid_t other : running) ::kill(other, SIGTERM);
    }
  }
  return result;
}

}  // namespace

Command add_launch_command(CLI::App& app) {
  struct State {
    int processes = 2, port = 0;
    std::vector<std::string> args;
  };
  auto state = std::make_shared<State>();
  auto* cmd = app.add_subcommand(
      "launch", "Data-parallel on this machine: tbtrain launch --nproc N -- cnn|rnn [options]");
  cmd->add_option("--nproc", state->processes, "Processes (ranks), one training each");
  cmd->add_option("--master-port", state->port, "Port of rank 0's store (default: a free one)");
  cmd->add_option("args", state->args, "tbtrain arguments, after --")->allow_extra_args();
  cmd->prefix_command();
  return {cmd, [state, cmd] {
            check_in_range("--nproc", state->processes, 1, 256);
            check_in_range("--master-port", state->port, 0, 65535);
            std::vector<std::string> args = state->args;
            for (const auto& extra : cmd->remaining()) args.push_back(extra);
            return launch(state->processes, state->port, args);
          }};
}

}  // namespace trainers::cli
