// The subcommands of the `tblog` tool. Each returns the process exit status.
#pragma once

#include <string>

namespace tblog::cli {

int run_ls(const std::string& logdir);
int run_cat(const std::string& file, bool json);
// 0: every record intact; 1: corruption found; 2: only torn tails, and `strict` was asked.
int run_verify(const std::string& path, bool strict);
int run_export(const std::string& logdir, const std::string& tag, const std::string& run,
               const std::string& format);
// Every scalar of every run (filtered by exact run name and/or regexes) as one long table:
// CSV with a header, or JSON lines. Exit 2 on a bad regex or format.
int run_export_all(const std::string& logdir, const std::string& run, const std::string& run_regex,
                   const std::string& tag_regex, const std::string& format);

// Uploads what gone s3:// writers left in `spool` ("" for the default spool). 0: nothing left
// behind; 1: something could not be uploaded (each said on stderr).
int run_upload(const std::string& spool);

// TensorBoard's data provider (gRPC) over `logdir`, local or s3://, until interrupted: runs
// tblog-data-server in this process's place. Returns only when it cannot (1).
int run_serve(const std::string& logdir, int port, const std::string& host,
              const std::string& reload);

}  // namespace tblog::cli
