// tbtrain launch --nproc N -- <tbtrain arguments>: a data-parallel run on this machine, started
// as torchrun would (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT per process).
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <map>
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

// The ranks' pids, for the signal handler: a fixed array, written before the handler is
// installed, read in the handler with nothing but kill() (async-signal-safe).
constexpr int kMaxRanks = 256;
pid_t g_rank_pids[kMaxRanks];
volatile sig_atomic_t g_rank_count = 0;

// SIGTERM, SIGINT or SIGHUP to the launcher goes to every rank, which then exits; the launcher
// reaps them and exits too, so no rank is left running as an orphan.
void forward_to_ranks(int signal) {
  for (int i = 0; i < g_rank_count; ++i) ::kill(g_rank_pids[i], signal);
}

// "exited with status 1", "was killed by SIGKILL".
std::string how_it_ended(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  const char* name = ::sigabbrev_np(WTERMSIG(status));
  return std::string("was killed by ") +
         (name ? std::string("SIG") + name : "signal " + std::to_string(WTERMSIG(status)));
}

int launch(int processes, int port, std::vector<std::string> args) {
  if (!args.empty() && args.front() == "--") args.erase(args.begin());
  if (args.empty()) throw UsageError("launch: give the tbtrain arguments after --");
  // One training per rank: a sweep under launch would run every run on every rank at once.
  std::string command;  // the first word that is neither an option nor --threads' value
  for (std::size_t i = 0; i < args.size() && command.empty(); ++i) {
    if (args[i] == "--threads")
      ++i;
    else if (args[i].rfind("-", 0) != 0)
      command = args[i];
  }
  if (!model_of_command(command)) {
    std::string trainings;
    for (const ModelEntry& model : model_entries())
      trainings += (trainings.empty() ? "" : "|") + model.command;
    throw UsageError("launch runs one training: tbtrain launch --nproc N -- " + trainings +
                     " ... (got '" + command +
                     "'; a sweep runs several trainings with --parallel)");
  }
  if (port == 0) port = free_loopback_port();
  std::map<pid_t, int> rank_of;
  struct sigaction forward {};
  forward.sa_handler = forward_to_ranks;
  sigemptyset(&forward.sa_mask);
  for (const int s : {SIGTERM, SIGINT, SIGHUP}) ::sigaction(s, &forward, nullptr);
  for (int rank = 0; rank < processes; ++rank) {
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("launch: fork failed");
    if (pid == 0) {
      for (const int s : {SIGTERM, SIGINT, SIGHUP}) ::signal(s, SIG_DFL);

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
    rank_of[pid] = rank;
    g_rank_pids[rank] = pid;
    g_rank_count = rank + 1;
  }
  // The first rank to fail stops the others (a half-dead group only waits for its timeout), and
  // the launcher says which rank it was and how it ended.
  int result = 0;
  while (!rank_of.empty()) {
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;  // a forwarded signal: keep reaping
      break;
    }
    const auto it = rank_of.find(pid);
    if (it == rank_of.end()) continue;
    const int rank = it->second;
    rank_of.erase(it);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (code != 0 && result == 0) {
      result = code;
      fmt::print(stderr, "tbtrain launch: rank {} (pid {}) {}; stopping the other ranks\n", rank,
                 pid, how_it_ended(status));
      for (const auto& [other, other_rank] : rank_of) ::kill(other, SIGTERM);
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
            check_in_range("--nproc", state->processes, 1, kMaxRanks);
            check_in_range("--master-port", state->port, 0, 65535);
            std::vector<std::string> args = state->args;
            for (const auto& extra : cmd->remaining()) args.push_back(extra);
            return launch(state->processes, state->port, args);
          }};
}

}  // namespace trainers::cli
