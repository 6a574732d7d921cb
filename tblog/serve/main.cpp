// tblog-data-server: TensorBoard's data provider (the gRPC TensorBoardDataProvider service) over
// a logdir, local or s3://. TensorBoard starts it when TENSORBOARD_DATA_SERVER_BINARY names it;
// `tblog serve` starts it for a person. Loads in the background and serves at once.
#include <grpcpp/grpcpp.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "data_provider_service.hpp"
#include "server_options.hpp"
#include "tblog/remote.hpp"
#include "tblog/text.hpp"
#include "tblog/version.hpp"

namespace {

using tblog::serve::ServerOptions;

std::mutex log_mutex;
void log_line(const std::string& line) {
  std::lock_guard lock(log_mutex);
  std::cerr << "tblog-data-server: " << line << '\n';
}

// A startup error: to --error-file when given (TensorBoard shows it), else to stderr.
[[noreturn]] void fail_startup(const ServerOptions& options, const std::string& message,
                               int status) {
  if (!options.error_file.empty()) {
    std::ofstream(options.error_file) << message << '\n';
  }
  log_line(message);
  std::exit(status);
}

std::string listen_address(const std::string& host, int port) {
  const bool ipv6_literal = host.find(':') != std::string::npos && host.front() != '[';
  return (ipv6_literal ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

void load_forever(tblog::serve::LogdirLoader& loader, const ServerOptions& options) {
  std::string last_failure;
  for (;;) {
    const auto started = std::chrono::steady_clock::now();
    try {
      const auto report = loader.reload();
      last_failure.clear();
      if (options.verbosity > 0) {
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::string line = "loaded " + std::to_string(report.runs) + " runs, " +
                           std::to_string(report.files) + " files, " +
                           std::to_string(report.records) + " new records in " +
                           std::to_string(seconds) + " s";
        if (options.logdir.rfind("s3://", 0) == 0) {
          line += " (requests: " + std::to_string(report.lists) + " LIST, " +
                  std::to_string(report.gets) + " GET, " + std::to_string(report.heads) +
                  " HEAD; listed " + (report.listed_whole ? "whole" : "run by run") + ")";
        }
        log_line(line);
      }
    } catch (const std::exception& e) {
      // The logdir itself could not be listed (not there yet, its server down): said once until
      // a pass succeeds (the words may change: tries, seconds), tried again each pass.
      const std::string failure = tblog::printable_text(e.what());
      if (last_failure.empty()) log_line(failure + " (trying again each pass)");
      last_failure = failure;
    }
    if (!options.reload_seconds) return;
    std::this_thread::sleep_for(std::chrono::duration<double>(*options.reload_seconds));
  }
}

int serve(int argc, char** argv) {
  ServerOptions options;
  CLI::App app{"TensorBoard's data provider (gRPC) over a logdir, local or s3://"};
  app.set_version_flag("-V,--version", std::string("tblog-data-server ") + TBLOG_VERSION_STRING);
  std::string reload = "5", samples;
  app.add_option("--logdir", options.logdir, "Log directory (or s3://bucket/prefix) to serve")
      ->required();
  app.add_option("--reload", reload, "Seconds between load passes, or \"once\"")->default_str("5");
  app.add_option("--samples-per-plugin", samples,
                 "plugin=N or plugin=all pairs, comma-separated: points kept per tag");
  app.add_option("--host", options.host, "Host or address to bind")->default_str("localhost");
  app.add_option("--port", options.port, "Port to bind; 0 picks a free one")
      ->check(CLI::Range(0, 65535))
      ->default_str("6806");
  app.add_option("--port-file", options.port_file, "Write the bound port here (\"PORT\\n\")");
  app.add_option("--error-file", options.error_file, "Write startup errors here");
  app.add_flag("--die-after-stdin", options.die_after_stdin, "Exit once stdin is closed");
  app.add_flag("-v,--verbose", options.verbosity, "Log each load pass (-vv: more)");
  bool checksum = false;  // records' checksums are always verified; accepted for compatibility
  app.add_flag("--checksum,!--no-checksum", checksum,
               "Accepted for compatibility: every record's checksums are always verified");
  app.add_option("--threads", options.threads, "Loading threads (default: one per core)");
  bool announce = false;  // `tblog serve`: tell a person how to open it
  app.add_flag("--announce", announce, "Print the tensorboard command line that opens it");
  try {
    app.parse(argc, argv);
    options.reload_seconds = tblog::serve::parse_reload(reload);
    options.sampling = tblog::serve::parse_samples_per_plugin(samples);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::cerr << "tblog-data-server: " << e.what() << " (--help for usage)\n";
    return 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << "tblog-data-server: " << e.what() << '\n';
    return 2;
  }
  try {
    tblog::require_supported_location(options.logdir);
  } catch (const std::exception& e) {
    fail_startup(options, e.what(), 8);
  }
  if (options.threads == 0) options.threads = std::max(1u, std::thread::hardware_concurrency());

  tblog::serve::LogdirLoader loader(options.logdir, options.sampling, options.threads, log_line);
  tblog::serve::DataProviderService service(loader);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen_address(options.host, options.port),
                           grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    fail_startup(options,
                 "cannot listen on " + listen_address(options.host, options.port) +
                     " (in use, or not an address of this machine)",
                 1);
  }
  if (!options.port_file.empty()) {
    std::ofstream out(options.port_file);
    out << port << '\n';
    out.flush();
    if (!out) fail_startup(options, "cannot write the port file " + options.port_file, 1);
  } else {
    log_line("serving " + options.logdir + " on " + listen_address(options.host, port));
  }
  if (announce) {
    const std::string host =
        options.host == "0.0.0.0" || options.host == "::" ? "localhost" : options.host;
    std::printf("Open it with:\n  tensorboard --grpc_data_provider %s\n",
                listen_address(host, port).c_str());
    std::fflush(stdout);
  }
  if (options.die_after_stdin) {
    // TensorBoard keeps our stdin open while it lives: its end means TensorBoard is gone.
    std::thread([] {
      char buffer[4096];
      while (std::fread(buffer, 1, sizeof buffer, stdin) > 0) {
      }
      std::_Exit(0);
    }).detach();
  }
  load_forever(loader, options);
  server->Wait();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return serve(argc, argv);
  } catch (const std::exception& e) {
    log_line(tblog::printable_text(e.what()));
    return 1;
  }
}
