// The parts of s3:// logdirs that need no server: URLs and their encoding, settings from the
// environment, S3's XML answers, the spool's locks and torn-segment repair. The server-facing
// parts are checked against a real S3 server by remote/check_s3_logdirs.py.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "remote/s3_location.hpp"
#include "remote/s3_settings.hpp"
#include "remote/s3_xml.hpp"
#include "remote/spool.hpp"
#include "tblog/byte_source.hpp"
#include "tblog/error.hpp"
#include "tblog/reader.hpp"
#include "tblog/record.hpp"
#include "tblog/remote.hpp"
#include "tblog/summary_writer.hpp"

namespace fs = std::filesystem;
using namespace tblog;
using namespace tblog::detail;

namespace {

EnvironmentLookup lookup_in(const std::map<std::string, std::string>& env) {
  return [env](const char* name) -> const char* {
    const auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
}

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("tblog_remote_test_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

}  // namespace

TEST(S3Location, SplitsBucketAndKey) {
  const S3Location l = parse_s3_url("s3://my-bucket/runs/exp 1/");
  EXPECT_EQ(l.bucket, "my-bucket");
  EXPECT_EQ(l.key, "runs/exp 1");
  EXPECT_EQ(parse_s3_url("s3://logs").key, "");
  EXPECT_EQ(s3_url(l), "s3://my-bucket/runs/exp 1");
  EXPECT_TRUE(is_remote_path("s3://b/x"));
  EXPECT_FALSE(is_remote_path("runs/s3://x"));
}

// gs://, http://... would otherwise be local folders named "gs:": the writer and the reader
// refuse them in one line; local paths (even with a colon) and s3:// pass.
TEST(Locations, UnknownSchemesAreRefusedByTheWriterAndTheReader) {
  for (const char* bad : {"gs://bucket/runs", "http://host/x", "az+blob://c/r", "file.x://y"}) {
    EXPECT_THROW(require_supported_location(bad), InvalidArgument) << bad;
    EXPECT_THROW(SummaryWriter{bad}, InvalidArgument) << bad;
    EXPECT_THROW(find_runs(bad), InvalidArgument) << bad;
    EXPECT_THROW(open_source(std::string(bad) + "/events.out.tfevents.1"), InvalidArgument) << bad;
  }
  try {
    SummaryWriter writer("gs://bucket/runs");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()),
              "'gs://bucket/runs': unsupported scheme gs:// (tblog reads and writes local paths "
              "and s3://, file:// URLs)");
  }
  for (const char* fine : {"runs/exp", "runs/a:b", "/tmp/x://y", "1gs://x", "file:///tmp/runs", ""})
    EXPECT_NO_THROW(require_supported_location(fine)) << fine;
  // A build without libcurl refuses s3:// as early, in one line saying why.
  if (remote_storage_supported()) {
    EXPECT_NO_THROW(require_supported_location("s3://bucket/runs"));
  } else {
    EXPECT_THROW(require_supported_location("s3://bucket/runs"), InvalidArgument);
  }
}

TEST(S3Location, RefusesWhatNoBucketOrRunCouldBe) {
  for (const char* bad : {"s3://", "s3:///key", "s3://UPPER/key", "s3://ab/key", "s3://b_b/a//b",
                          "s3://bucket/a/../b", "s3://bucket/./a"}) {
    EXPECT_THROW(parse_s3_url(bad), InvalidArgument) << bad;
  }
  try {
    parse_s3_url("s3://Bad/key");
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("'Bad' is not a bucket name"), std::string::npos);
  }
}

TEST(S3Location, EncodesAsSigV4CanonicalFormExpects) {
  EXPECT_EQ(encode_key_for_path("runs/a b+c/é~_.-"), "runs/a%20b%2Bc/%C3%A9~_.-");
  EXPECT_EQ(encode_query_value("runs/a b"), "runs%2Fa%20b");
  EXPECT_EQ(decode_percent("runs/a%20b%2Bc+d%zz"), "runs/a b+c d%zz");
  EXPECT_EQ(decode_percent("%"), "%");
  EXPECT_EQ(decode_percent("a%4"), "a%4");
}

TEST(S3Settings, TensorBoardsEndpointVariableFirst) {
  const auto s = s3_settings_from_environment(lookup_in(
      {{"S3_ENDPOINT", "http://127.0.0.1:8333/"}, {"AWS_ENDPOINT_URL", "https://other"},
       {"AWS_ACCESS_KEY_ID", "AK"}, {"AWS_SECRET_ACCESS_KEY", "SK"}, {"AWS_REGION", "eu-west-1"}}));
  EXPECT_EQ(s.endpoint, "http://127.0.0.1:8333");
  EXPECT_EQ(s.region, "eu-west-1");
  EXPECT_EQ(s.access_key, "AK");
  EXPECT_EQ(s.secret_key, "SK");
  EXPECT_TRUE(s.verify_tls);
}

TEST(S3Settings, TensorFlowStyleHostAndAwsFallbacks) {
  const std::map<std::string, std::string> keys = {{"AWS_ACCESS_KEY_ID", "AK"},
                                                   {"AWS_SECRET_ACCESS_KEY", "SK"}};
  auto env = keys;
  env["S3_ENDPOINT"] = "minio:9000";
  env["S3_USE_HTTPS"] = "0";
  env["S3_VERIFY_SSL"] = "0";
  auto s = s3_settings_from_environment(lookup_in(env));
  EXPECT_EQ(s.endpoint, "http://minio:9000");
  EXPECT_FALSE(s.verify_tls);
  env = keys;
  env["AWS_ENDPOINT_URL"] = "https://storage.example";
  EXPECT_EQ(s3_settings_from_environment(lookup_in(env)).endpoint, "https://storage.example");
  env = keys;
  env["AWS_DEFAULT_REGION"] = "ap-south-1";
  s = s3_settings_from_environment(lookup_in(env));
  EXPECT_EQ(s.endpoint, "https://s3.ap-south-1.amazonaws.com");
  EXPECT_EQ(s.region, "ap-south-1");
  env = keys;
  env["S3_ENDPOINT"] = "ftp://x";
  EXPECT_THROW(s3_settings_from_environment(lookup_in(env)), InvalidArgument);
}

TEST(S3Settings, CredentialsFileProfile) {
  const fs::path dir = scratch("credentials");
  std::ofstream(dir / "credentials") << "[default]\naws_access_key_id = D\naws_secret_access_key=DS\n"
                                        "# comment\n[work]\naws_access_key_id=W\n"
                                        "aws_secret_access_key = WS\naws_session_token = T\n";
  auto s = s3_settings_from_environment(lookup_in({{"HOME", dir.string() + "/nowhere"},
                                                   {"AWS_SHARED_CREDENTIALS_FILE",
                                                    (dir / "credentials").string()},
                                                   {"AWS_PROFILE", "work"}}));
  EXPECT_EQ(s.access_key, "W");
  EXPECT_EQ(s.secret_key, "WS");
  EXPECT_EQ(s.session_token, "T");
  fs::create_directories(dir / "home/.aws");
  fs::copy_file(dir / "credentials", dir / "home/.aws/credentials");
  s = s3_settings_from_environment(lookup_in({{"HOME", (dir / "home").string()}}));
  EXPECT_EQ(s.access_key, "D");
  EXPECT_EQ(s.session_token, "");
  try {
    s3_settings_from_environment(lookup_in({{"HOME", (dir / "home").string()},
                                            {"AWS_PROFILE", "absent"}}));
    FAIL();
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("[absent]"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(".aws/credentials"), std::string::npos) << e.what();
  }
  EXPECT_THROW(s3_settings_from_environment(lookup_in({{"AWS_ACCESS_KEY_ID", "only"}})), IoError);
}

TEST(S3Xml, ListingAndErrors) {
  const std::string listing =
      "<ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>a%20b/x</Key>"
      "<Size>12</Size></Contents><Contents><Key>c&amp;d</Key><Size>0</Size></Contents>"
      "<NextContinuationToken>t&#43;1&#x2F;</NextContinuationToken></ListBucketResult>";
  const auto contents = xml_blocks(listing, "Contents");
  ASSERT_EQ(contents.size(), 2u);
  EXPECT_EQ(xml_text(contents[0], "Key"), "a%20b/x");
  EXPECT_EQ(xml_text(contents[1], "Key"), "c&d");
  EXPECT_EQ(xml_text(listing, "NextContinuationToken"), "t+1/");
  EXPECT_EQ(xml_text(listing, "Missing"), "");
  EXPECT_EQ(xml_unescape("&lt;&gt;&quot;&apos;&unknown;&#0;&#99999;&"),
            "<>\"'&unknown;&#0;&#99999;&");
  EXPECT_TRUE(xml_blocks("<Contents><Key>unterminated", "Contents").empty());
}

TEST(Spool, RootFollowsTheOptionThenTheEnvironment) {
  EXPECT_EQ(spool_root("/given"), "/given");
  EXPECT_FALSE(default_spool_dir().empty());
  EXPECT_EQ(run_spool_dir("/r", "http://h:1", "s3://b/run"), "/r/http%3A%2F%2Fh%3A1/s3%3A%2F%2Fb%2Frun");
}

TEST(Spool, LongRunUrlsMakeDirectoryNamesAFileSystemTakes) {
  // S3 keys reach 1,024 bytes and percent-encoding triples each non-ASCII byte; a file name may
  // hold 255 bytes: a long URL is cut and told apart by a hash of the whole.
  const std::string ascii = "s3://b/" + std::string(1000, 'r');
  std::string japanese = "s3://b/";
  for (int i = 0; i < 40; ++i) japanese += "実験";
  for (const std::string& url : {ascii, japanese, ascii + "x"}) {
    const std::string dir = run_spool_dir("/r", "http://h:1", url);
    const std::string name = fs::path(dir).filename().string();
    EXPECT_LE(name.size(), 200u) << url;
    EXPECT_EQ(name.find('%', name.size() - 19), std::string::npos) << "half an escape: " << name;
  }
  EXPECT_NE(run_spool_dir("/r", "h", ascii), run_spool_dir("/r", "h", ascii + "x"));
  EXPECT_EQ(run_spool_dir("/r", "h", japanese), run_spool_dir("/r", "h", japanese));
  // A long run's writer directory can be made, and holds the whole URL in its target file.
  const fs::path root = scratch("long-url");
  const std::string dir = run_spool_dir(root.string(), "http://h:1", japanese) + "/w";
  LockedSpool spool = LockedSpool::create(dir, japanese, "http://h:1");
  EXPECT_EQ(spool.run_url(), japanese);
}

TEST(S3Settings, TheOperationDeadlineComesFromTblogS3Timeout) {
  std::map<std::string, std::string> env = {{"AWS_ACCESS_KEY_ID", "k"},
                                            {"AWS_SECRET_ACCESS_KEY", "s"}};
  EXPECT_EQ(s3_settings_from_environment(lookup_in(env)).operation_timeout,
            std::chrono::seconds(60));
  env["TBLOG_S3_TIMEOUT"] = "2.5";
  EXPECT_EQ(s3_settings_from_environment(lookup_in(env)).operation_timeout,
            std::chrono::milliseconds(2500));
  for (const char* bad : {"0", "-1", "nan", "inf", "5s", "86401", "1e9"}) {
    env["TBLOG_S3_TIMEOUT"] = bad;
    try {
      s3_settings_from_environment(lookup_in(env));
      ADD_FAILURE() << "TBLOG_S3_TIMEOUT=" << bad << " accepted";
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find("TBLOG_S3_TIMEOUT"), std::string::npos);
    }
  }
}

TEST(Spool, ALockedWriterIsLeftAloneAndAGoneOneAdopted) {
  const fs::path dir = scratch("adopt");
  std::vector<std::string> in_use;
  {
    LockedSpool live = LockedSpool::create((dir / "w1").string(), "s3://b/run", "http://h");
    std::ofstream(dir / "w1" / "events.out.tfevents.1.h.1.00000000") << "x";
    EXPECT_TRUE(adopt_orphans(dir.string(), in_use).empty());
    ASSERT_EQ(in_use.size(), 1u);
    EXPECT_EQ(in_use[0], (dir / "w1").string());
  }  // released with a segment still in it: the directory stays, unlocked
  in_use.clear();
  auto adopted = adopt_orphans(dir.string(), in_use);
  EXPECT_TRUE(in_use.empty());
  ASSERT_EQ(adopted.size(), 1u);
  EXPECT_EQ(adopted[0].run_url(), "s3://b/run");
  EXPECT_EQ(adopted[0].endpoint(), "http://h");
  ASSERT_EQ(adopted[0].segments().size(), 1u);
  fs::remove(adopted[0].segments()[0]);
  adopted.clear();  // empty now: removed on release
  EXPECT_FALSE(fs::exists(dir / "w1"));
}

TEST(Spool, TornSegmentCutBackToWholeRecords) {
  const fs::path dir = scratch("torn");
  std::string bytes;
  append_record(bytes, "first");
  append_record(bytes, "second");
  const std::size_t whole = bytes.size();
  std::string torn;
  append_record(torn, "third, cut short by a kill");
  bytes += torn.substr(0, 9);
  const fs::path file = dir / "events.out.tfevents.segment";
  std::ofstream(file, std::ios::binary) << bytes;
  EXPECT_EQ(trim_to_whole_records(file.string()), 2u);
  EXPECT_EQ(fs::file_size(file), whole);
  EXPECT_EQ(trim_to_whole_records(file.string()), 2u);  // idempotent
}
