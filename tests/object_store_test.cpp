// The object-store interface as the in-memory store implements it (S3's listing rules: key order,
// start-after, one level with directories, pages counted as requests), and an object read back
// through the object source. S3 itself is held to the same rules against SeaweedFS by
// remote/check_s3_logdirs.py and serve/check_data_server.py.
#include <gtest/gtest.h>

#include "remote/memory_object_store.hpp"
#include "remote/object_source.hpp"
#include "tblog/error.hpp"

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
