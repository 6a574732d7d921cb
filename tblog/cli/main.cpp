// The `tblog` command-line tool: inspect, verify and export TensorBoard event files.
#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <cstdio>

#include "commands.hpp"
#include "tblog/remote.hpp"
#include "tblog/version.hpp"
#include "text_format.hpp"

namespace {

int run(int argc, char** argv) {
  CLI::App app{"tblog: inspect, verify and export TensorBoard event files (local or s3://)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("tblog ") + tblog::version());
  app.failure_message([](const CLI::App*, const CLI::Error& e) {  // one line, not two
    return std::string("tblog: error: ") + e.what() + " (see --help)\n";
  });

  std::string logdir, file, tag, run, format = "csv", run_regex, tag_regex;
  bool json = false, strict = false;

  auto* ls = app.add_subcommand("ls", "List runs, and per run each tag's kind, count, steps");
  ls->add_option("LOGDIR", logdir, "Log directory")->required();

  auto* cat = app.add_subcommand("cat", "Print the events of one event file");
  cat->add_option("FILE", file, "Event file")->required();
  cat->add_flag("--json", json, "One JSON object per line");

  auto* verify = app.add_subcommand(
      "verify", "Check every record (both CRCs, Event encoding). Exit 0 clean, 1 corrupt");
  verify->add_option("PATH", logdir, "Log directory or event file")->required();
  verify->add_flag("--strict", strict, "Exit 2 when a file ends in a torn (incomplete) record");

  auto* exp = app.add_subcommand(
      "export",
      "Scalars to stdout: one --tag as TensorBoard's CSV/JSON download, or without --tag every "
      "scalar of every run as one long table (run, tag, step, wall_time, value)");
  exp->add_option("LOGDIR", logdir, "Log directory")->required();
  auto* one_tag = exp->add_option("--tag", tag, "One scalar tag (TensorBoard's download format)");
  exp->add_option("--run", run, "Only this run (name relative to LOGDIR, '.' for LOGDIR itself)");
  exp->add_option("--run-regex", run_regex, "Long table: runs whose name matches (search)")
      ->excludes(one_tag);
  exp->add_option("--tag-regex", tag_regex, "Long table: tags that match (search)")
      ->excludes(one_tag);
  exp->add_option("--format", format, "csv | json (one --tag) | jsonl (long table)")
      ->check(CLI::IsMember({"csv", "json", "jsonl"}));

  std::string spool;
  auto* upload = app.add_subcommand(
      "upload",
      "Upload what s3:// writers that are gone (killed, or closed while the server was away) "
      "left in the spool, in order. Exit 0 all uploaded, 1 some not");
  upload->add_option("SPOOL", spool, "Spool directory (default: where writers spool)");

  int port = 6806;
  std::string host = "localhost", reload = "5";
  auto* serve = app.add_subcommand(
      "serve",
      "TensorBoard's data provider over LOGDIR (local or s3://), fast and lean: open it with "
      "the `tensorboard --grpc_data_provider` line it prints");
  serve->add_option("LOGDIR", logdir, "Log directory, or s3://bucket/prefix")->required();
  serve->add_option("--port", port, "Port (0: any free one)")
      ->check(CLI::Range(0, 65535))
      ->default_str("6806");
  serve->add_option("--host", host, "Address to bind (0.0.0.0: every interface)")
      ->default_str("localhost");
  serve->add_option("--reload", reload, "Seconds between looks for new data, or \"once\"")
      ->default_str("5");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every other parse error is a usage error: exit 2.
    return app.exit(e) == 0 ? 0 : 2;
  }
  // A gs:// or http:// path is a usage error too (it would read or write a folder named "gs:").
  for (const std::string& path : {logdir, file}) {
    try {
      tblog::require_supported_location(path);
    } catch (const std::exception& e) {
      fmt::print(stderr, "tblog: error: {}\n", e.what());
      return 2;
    }
  }
  try {
    if (*ls) return tblog::cli::run_ls(logdir);
    if (*cat) return tblog::cli::run_cat(file, json);
    if (*verify) return tblog::cli::run_verify(logdir, strict);
    if (*exp && tag.empty())
      return tblog::cli::run_export_all(logdir, run, run_regex, tag_regex, format);
    if (*exp) return tblog::cli::run_export(logdir, tag, run, format);
    if (*upload) return tblog::cli::run_upload(spool);
    if (*serve) return tblog::cli::run_serve(logdir, port, host, reload);
  } catch (const std::exception& e) {
    fmt::print(stderr, "tblog: error: {}\n", tblog::cli::message_text(e.what()));
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {  // e.g. out of memory while setting up
    std::fprintf(stderr, "tblog: error: %s\n", e.what());
    return 1;
  }
}
