// The object-store interface as the in-memory store implements it (S3's listing rules: key order,
// start-after, one level with directories, pages counted as requests), the local directory store
// held to the memory store's answers, and an object read back through the object source. S3 itself
// is held to the same rules against SeaweedFS by remote/check_s3_logdirs.py and
// serve/check_data_server.py.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "remote/file_object_store.hpp"
#include "remote/memory_object_store.hpp"
#include "remote/object_source.hpp"
#include "remote/store_schemes.hpp"
#include "tblog/error.hpp"
#include "test_util.hpp"

using namespace tblog;
using namespace tblog::detail;

namespace {

std::vector<std::string> keys_of(const ObjectListing& listing) {
  std::vector<std::string> keys;
  for (const StoredObject& object : listing.objects) keys.push_back(object.key);
  return keys;
}

}  // namespace

TEST(MemoryObjectStore, ListsInKeyOrderAfterAKeyAndOneLevelDeep) {
  MemoryObjectStore store;
  for (const char* key : {"logs/b/e.2", "logs/a/e.1", "logs/a/eval/e.1", "logs/a/train/e.1",
                          "logs/a/e.2", "logs/a-2/e.1", "logs/top", "other/x"})
    store.put(key, "xyz");
  EXPECT_EQ(keys_of(store.list({"logs/", "", false})),
            (std::vector<std::string>{"logs/a-2/e.1", "logs/a/e.1", "logs/a/e.2", "logs/a/eval/e.1",
                                      "logs/a/train/e.1", "logs/b/e.2", "logs/top"}));
  const ObjectListing run = store.list({"logs/a/", "", true});
  EXPECT_EQ(keys_of(run), (std::vector<std::string>{"logs/a/e.1", "logs/a/e.2"}));
  EXPECT_EQ(run.directories, (std::vector<std::string>{"logs/a/eval/", "logs/a/train/"}));
  // As S3: after a key, a directory whose keys all sort before it is not listed.
  const ObjectListing after = store.list({"logs/a/", "logs/a/e.1", true});
  EXPECT_EQ(keys_of(after), (std::vector<std::string>{"logs/a/e.2"}));
  EXPECT_EQ(after.directories, (std::vector<std::string>{"logs/a/eval/", "logs/a/train/"}));
  EXPECT_EQ(store.list({"logs/a/", "logs/a/f", true}).directories,
            (std::vector<std::string>{"logs/a/train/"}));
  // A key to start after that sorts before the prefix: the prefix from its start, as S3 does.
  EXPECT_EQ(keys_of(store.list({"logs/b/", "logs/a", false})),
            (std::vector<std::string>{"logs/b/e.2"}));
  const ObjectListing top = store.list({"logs/", "", true});
  EXPECT_EQ(keys_of(top), (std::vector<std::string>{"logs/top"}));
  EXPECT_EQ(top.directories, (std::vector<std::string>{"logs/a-2/", "logs/a/", "logs/b/"}));
  EXPECT_EQ(top.objects.front().size, 3u);
}

TEST(MemoryObjectStore, CountsAPageOfKeysAsOneRequest) {
  MemoryObjectStore store(10);
  for (int i = 0; i < 25; ++i) store.put("run/e." + std::to_string(100 + i), "x");
  std::size_t requests = 0;
  EXPECT_EQ(store.list({"run/", "", false}, &requests).objects.size(), 25u);
  EXPECT_EQ(requests, 3u);
  requests = 0;
  EXPECT_TRUE(store.list({"run/", "run/e.124", true}, &requests).objects.empty());
  EXPECT_EQ(requests, 1u);  // an empty answer is still a request
  EXPECT_EQ(store.counts().lists, 4u);
}

TEST(ObjectSource, ReadsAnObjectThroughRangedGets) {
  auto store = std::make_shared<MemoryObjectStore>();
  std::string body(20000, '\0');
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>(i * 7);
  store->put("a/obj", body);
  auto source = open_object_source(store, "a/obj");
  EXPECT_EQ(source->size(), body.size());
  EXPECT_EQ(source->name(), "memory:a/obj");
  std::string out(100, '\0');
  EXPECT_EQ(source->read_at(19950, out.data(), out.size()), 50u);
  EXPECT_EQ(out.substr(0, 50), body.substr(19950));
  EXPECT_EQ(source->read_at(20000, out.data(), out.size()), 0u);
  EXPECT_EQ(source->read_at(10, out.data(), 100), 100u);
  EXPECT_EQ(out, body.substr(10, 100));
  // A size from a listing saves the question; a missing object names itself.
  const auto before = store->counts().sizes;
  EXPECT_EQ(open_object_source(store, "a/obj", body.size())->size(), body.size());
  EXPECT_EQ(store->counts().sizes, before);
  try {
    open_object_source(store, "a/none");
    FAIL() << "a missing object opened";
  } catch (const RemoteError& e) {
    EXPECT_NE(std::string(e.what()).find("memory:a/none"), std::string::npos) << e.what();
  }
}

// A local directory as a store answers every listing as the memory store (S3's rules) does: the
// same keys put into both, the same queries, the same answers.
TEST(FileObjectStore, ListsAsTheMemoryStoreDoes) {
  tblog::test::TempDir dir;
  FileObjectStore files(dir.path());
  MemoryObjectStore memory;
  for (const char* key :
       {"logs/b/e.2", "logs/a/e.1", "logs/a/eval/e.1", "logs/a/train/deep/e.1", "logs/a/e.2",
        "logs/a-2/e.1", "logs/top", "logs/a.b/e", "other/x", "root-file"}) {
    files.put(key, "xyz");
    memory.put(key, "xyz");
  }
  std::filesystem::create_directories(dir / "logs/empty/nothing");  // no keys: never listed
  for (const std::string prefix :
       {"", "logs/", "logs/a", "logs/a/", "logs/a/e", "logs/a/train/", "other/", "nope/", "root"}) {
    for (const std::string after : {"", "logs/a/e.1", "logs/a/eval/e.1", "logs/a-2/e.1",
                                    "logs/a/train/deep/e.0", "logs/b", "a", "zzz"}) {
      for (const bool one_level : {false, true}) {
        const ListQuery query{prefix, after, one_level};
        const ObjectListing want = memory.list(query);
        const ObjectListing got = files.list(query);
        const std::string what =
            "'" + prefix + "' after '" + after + "' one level " + std::to_string(one_level);
        EXPECT_EQ(keys_of(got), keys_of(want)) << what;
        EXPECT_EQ(got.directories, want.directories) << what;
      }
    }
  }
  std::size_t requests = 0;
  files.list({"logs/", "", false}, &requests);
  EXPECT_EQ(requests, 1u);  // one walk, however many keys
}

TEST(FileObjectStore, PutsWholeFilesReadsRangesAndRefusesWhatIsNoObject) {
  tblog::test::TempDir dir;
  FileObjectStore store(dir.path());
  store.put("run/events.1", "0123456789");
  EXPECT_EQ(store.size("run/events.1"), 10u);
  EXPECT_EQ(store.get_range("run/events.1", 3, 4), "3456");
  EXPECT_EQ(store.get_range("run/events.1", 8, 100), "89");
  EXPECT_EQ(store.get_range("run/events.1", 10, 5), "");
  EXPECT_EQ(store.url("run/events.1"), "file://" + dir.path() + "/run/events.1");
  EXPECT_THROW(store.size("run/missing"), RemoteError);
  EXPECT_THROW(store.get_range("run/missing", 0, 1), RemoteError);
  // A put's file before its rename is no object; a FIFO in an object's place is refused at once.
  std::ofstream(dir / "run/.tblog-put-1-0") << "half";
  ASSERT_EQ(::mkfifo((dir / "run/fifo").c_str(), 0600), 0);
  EXPECT_EQ(keys_of(store.list({"run/", "", false})), (std::vector<std::string>{"run/events.1"}));
  EXPECT_THROW(store.get_range("run/fifo", 0, 1), RemoteError);
  // No temporary file is left behind by a put.
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir / "run"))
    ++entries;
  EXPECT_EQ(entries, 3u);  // events.1, the planted partial file, the FIFO
}

TEST(FileScheme, NamesAnAbsolutePathAndRefusesOthersInOneLine) {
  const StoreScheme* scheme = store_scheme_of("file:///data/runs/");
  ASSERT_NE(scheme, nullptr);
  EXPECT_EQ(scheme->open("file:///data/runs/", 3, {}).root, "data/runs");
  EXPECT_EQ(scheme->open("file://localhost/data/runs", 3, {}).root, "data/runs");
  EXPECT_EQ(scheme->open("file:///data/runs", 3, {}).store->url("data/runs/x"),
            "file:///data/runs/x");
  try {
    scheme->open("file://data/runs", 3, {});
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_EQ(std::string(e.what()),
              "'file://data/runs': a file:// URL names an absolute path on this machine "
              "(file:///data/runs)");
  }
}
