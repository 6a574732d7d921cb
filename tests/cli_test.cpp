// The `tblog` tool, run as a user would: output, exit status and error lines.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>

#include "tblog/reader.hpp"
#include "tblog/summary_writer.hpp"
#include "test_util.hpp"

namespace tblog {
namespace {

struct Result {
  int status;
  std::string out;
};

Result run(const std::string& args) {
  const std::string cmd = std::string(TBLOG_CLI_PATH) + " " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  Result r{-1, {}};
  char buffer[4096];
  std::size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) r.out.append(buffer, n);
  const int status = pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* run_name : {"lstm", "gru"}) {
      SummaryWriter w(dir / run_name);
      for (int i = 0; i < 5; ++i) w.add_scalar("test/accuracy", 0.5 + i * 0.1, i * 10);
      w.add_histogram("W1", std::vector<float>{1.f, 2.f}, 0);
      w.add_text("config", "lr = 0.01", 0);
    }
  }
  test::TempDir dir;
};

TEST_F(Cli, LsListsRunsTagsKindsStepsAndLastValue) {
  const Result r = run("ls " + dir.path());
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("run gru"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("run lstm"), std::string::npos);
  EXPECT_NE(r.out.find("test/accuracy"), std::string::npos);
  EXPECT_NE(r.out.find("steps 0..40"), std::string::npos);
  EXPECT_NE(r.out.find("last 0.9"), std::string::npos);
  EXPECT_NE(r.out.find("histogram"), std::string::npos);
}

TEST_F(Cli, CatPrintsEventsAndJsonLines) {
  const auto file = find_runs(dir / "gru")[0].event_files[0];
  Result r = run("cat " + file);
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("file_version brain.Event:2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("test/accuracy  scalar 0.5"), std::string::npos) << r.out;
  r = run("cat --json " + file);
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("{\"wall_time\":"), std::string::npos);
  EXPECT_NE(r.out.find("\"tag\":\"config\",\"kind\":\"text\""), std::string::npos) << r.out;
}

TEST_F(Cli, VerifyCleanTornAndCorrupt) {
  Result r = run("verify " + dir.path());
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("2 files"), std::string::npos) << r.out;

  const auto file = find_runs(dir / "gru")[0].event_files[0];
  std::string bytes = test::read_file(file);
  test::write_file(file, bytes.substr(0, bytes.size() - 3));
  r = run("verify " + dir.path());
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("torn tail"), std::string::npos) << r.out;
  EXPECT_EQ(run("verify --strict " + dir.path()).status, 2);

  bytes[50] ^= 0x40;
  test::write_file(file, bytes);
  r = run("verify " + dir.path());
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("CORRUPT"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("byte offset"), std::string::npos) << r.out;
}

TEST_F(Cli, ExportCsvAndJson) {
  Result r = run("export " + dir.path() + " --tag test/accuracy --run lstm --format csv");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out.rfind("Wall time,Step,Value\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find(",40,0.9"), std::string::npos) << r.out;
  r = run("export " + dir.path() + " --tag test/accuracy --format json");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("\"gru\":[["), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"lstm\":[["), std::string::npos) << r.out;
}

TEST_F(Cli, ExportAllScalarsAsOneLongTableWithRegexFilters) {
  {
    SummaryWriter w(dir / "cell=gru,hidden=8");  // a comma in the run name: quoted in CSV
    w.add_scalar("loss", 0.5, 3);
  }
  Result r = run("export " + dir.path());
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out.rfind("run,tag,step,wall_time,value\n", 0), 0u) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1 + 5 + 5 + 1) << r.out;
  EXPECT_NE(r.out.find("\"cell=gru,hidden=8\",loss,3,"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("lstm,test/accuracy,40,"), std::string::npos) << r.out;

  r = run("export " + dir.path() +
          " --run-regex '^(lstm|gru)$' --tag-regex accuracy --format jsonl");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 10) << r.out;
  EXPECT_NE(r.out.find("{\"run\":\"gru\",\"tag\":\"test/accuracy\",\"step\":0,"), std::string::npos)
      << r.out;

  EXPECT_EQ(run("export " + dir.path() + " --tag-regex '('").status, 2);
  EXPECT_EQ(run("export " + dir.path() + " --tag-regex nothing-matches").status, 1);
  EXPECT_EQ(run("export " + dir.path() + " --tag t --tag-regex t").status, 2);
}

TEST_F(Cli, ErrorsAreOneLineAndNonZero) {
  Result r = run("export " + dir.path() + " --tag missing");
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(r.out.rfind("tblog: error: no scalar tag 'missing'", 0), 0u) << r.out;
  r = run("ls " + dir / "nope");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("not a directory"), std::string::npos);
  EXPECT_EQ(run("export --help").status, 0);
}

TEST_F(Cli, UsageErrorsExitTwoWithOneLine) {
  for (const std::string args : {"", "cat", "verify --bogus x", "export x --format xml --tag t"}) {
    const Result r = run(args);
    EXPECT_EQ(r.status, 2) << "tblog " << args << ": " << r.out;
  }
  const Result r = run("cat " + dir.path());
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("is a directory"), std::string::npos) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  // A scheme tblog cannot reach is named, not read as a local folder called "gs:".
  for (const std::string args : {"ls gs://bucket/runs", "cat http://host/events.out.tfevents.1",
                                 "export gs://b/x --tag t", "verify az://c/runs"}) {
    const Result u = run(args);
    EXPECT_EQ(u.status, 2) << "tblog " << args << ": " << u.out;
    EXPECT_NE(u.out.find("unsupported scheme"), std::string::npos) << u.out;
    EXPECT_EQ(std::count(u.out.begin(), u.out.end(), '\n'), 1) << u.out;
  }
}

}  // namespace
}  // namespace tblog
