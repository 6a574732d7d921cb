// The object-storage uploader over an in-memory store: segments become objects written once, in
// order, holding exactly the records written; failed uploads are retried and reported, and what
// close could not upload is kept in the spool and uploaded first by the run's next writer. The
// same sink over S3 is checked against SeaweedFS by remote/check_s3_logdirs.py.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "remote/memory_object_store.hpp"
#include "remote/uploading_sink.hpp"
#include "tblog/byte_source.hpp"
#include "tblog/error.hpp"
#include "tblog/reader.hpp"
#include "tblog/record.hpp"
#include "test_util.hpp"

using namespace tblog;
using namespace tblog::detail;

namespace {

// A store whose puts fail while `failing` is set (a server that is down).
class FlakyStore final : public ObjectStore {
 public:
  explicit FlakyStore(std::shared_ptr<MemoryObjectStore> inner) : inner_(std::move(inner)) {}
  ObjectListing list(const ListQuery& query, std::size_t* requests) override {
    return inner_->list(query, requests);
  }
  void put(const std::string& key, std::string_view body) override {
    if (failing) throw RemoteError("upload of " + url(key) + ": HTTP 503 SlowDown");
    inner_->put(key, body);
  }
  std::string get_range(const std::string& key, std::uint64_t offset, std::size_t size) override {
    return inner_->get_range(key, offset, size);
  }
  std::uint64_t size(const std::string& key) override { return inner_->size(key); }
  std::string url(const std::string& key) const override { return inner_->url(key); }
  std::atomic<bool> failing{false};

 private:
  std::shared_ptr<MemoryObjectStore> inner_;
};

struct Target {
  std::shared_ptr<MemoryObjectStore> memory = std::make_shared<MemoryObjectStore>();
  FlakyStore* flaky = nullptr;  // owned by the sink

  UploadTarget make() {
    UploadTarget target;
    auto store = std::make_unique<FlakyStore>(memory);
    flaky = store.get();
    target.store = std::move(store);
    target.checking_store = std::make_unique<FlakyStore>(memory);
    target.run_key = "logs/run";
    target.store_id = "memory";
    return target;
  }
};

std::string records_of(const std::vector<std::string>& payloads) {
  std::string out;
  for (const std::string& p : payloads) append_record(out, p);
  return out;
}

// The runs' event payloads as a reader sees them: every object of the run, in name order.
std::vector<std::int64_t> steps_in(MemoryObjectStore& store) {
  std::vector<std::int64_t> steps;
  for (const StoredObject& object : store.list({"logs/run/", "", true}).objects) {
    for (const Event& e : [&] {
           std::vector<Event> events;
           for_each_event(memory_source(store.get_range(object.key, 0, object.size), object.key),
                          OnCorruption::kStop, [&](const Event& ev) { events.push_back(ev); });
           return events;
         }()) {
      if (e.file_version.empty()) steps.push_back(e.step);
    }
  }
  return steps;
}

std::string scalar_event(std::int64_t step) {
  // Event{step (2): step}: enough for a reader to tell them apart.
  std::string payload;
  payload.push_back(0x10);
  payload.push_back(static_cast<char>(step));
  return payload;
}

WriterOptions options_in(const test::TempDir& spool) {
  WriterOptions options;
  options.spool_dir = spool.path();
  options.upload_interval = std::chrono::hours(1);  // segments close on flush and close only
  options.close_upload_timeout = std::chrono::milliseconds(300);
  return options;
}

}  // namespace

TEST(UploadingSink, EachFlushBecomesOneObjectInOrderHoldingTheRecords) {
  test::TempDir spool;
  Target target;
  UploadingSink sink(target.make(), options_in(spool), "");
  EXPECT_EQ(sink.path().rfind("memory:logs/run/events.out.tfevents.", 0), 0u) << sink.path();
  ASSERT_EQ(sink.write(records_of({scalar_event(1), scalar_event(2)})), "");
  ASSERT_EQ(sink.flushed(), "");
  ASSERT_EQ(sink.write(records_of({scalar_event(3)})), "");
  EXPECT_EQ(sink.finish(), "");
  const auto objects = target.memory->list({"logs/run/", "", true}).objects;
  ASSERT_EQ(objects.size(), 2u);
  EXPECT_LT(objects[0].key, objects[1].key);
  EXPECT_EQ(steps_in(*target.memory), (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(target.memory->counts().puts, 2u);  // written once each
}

TEST(UploadingSink, FailedUploadsAreReportedRetriedAndKeptForTheNextWriter) {
  test::TempDir spool;
  Target target;
  {
    UploadingSink sink(target.make(), options_in(spool), "");
    target.flaky->failing = true;
    ASSERT_EQ(sink.write(records_of({scalar_event(1)})), "");
    ASSERT_EQ(sink.flushed(), "");
    UploadBacklog backlog;
    for (int i = 0; i < 200 && backlog.last_error.empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      backlog = sink.upload_backlog();
    }
    EXPECT_EQ(backlog.segments, 1u);
    EXPECT_NE(backlog.last_error.find("HTTP 503 SlowDown"), std::string::npos)
        << backlog.last_error;
    const std::string left = sink.finish();
    EXPECT_NE(left.find("1 segment"), std::string::npos) << left;
    EXPECT_NE(left.find("kept in the spool"), std::string::npos) << left;
  }
  EXPECT_TRUE(target.memory->list({"logs/run/", "", true}).objects.empty());
  // The server is back: the run's next writer uploads the kept segment before its own.
  UploadingSink next(target.make(), options_in(spool), "");
  ASSERT_EQ(next.write(records_of({scalar_event(2)})), "");
  EXPECT_EQ(next.finish(), "");
  EXPECT_EQ(steps_in(*target.memory), (std::vector<std::int64_t>{1, 2}));
}

TEST(UploadingSink, AStoreThatCannotBeListedRefusesTheWriterInOneLine) {
  test::TempDir spool;
  class Unreachable final : public ObjectStore {
   public:
    ObjectListing list(const ListQuery&, std::size_t*) override {
      throw RemoteError("listing of memory:logs/run/: connection refused");
    }
    void put(const std::string&, std::string_view) override {}
    std::string get_range(const std::string&, std::uint64_t, std::size_t) override { return {}; }
    std::uint64_t size(const std::string&) override { return 0; }
    std::string url(const std::string& key) const override { return "memory:" + key; }
  };
  UploadTarget target;
  target.store = std::make_unique<Unreachable>();
  target.checking_store = std::make_unique<Unreachable>();
  target.run_key = "logs/run";
  target.store_id = "memory";
  try {
    UploadingSink sink(std::move(target), options_in(spool), "");
    FAIL() << "opened";
  } catch (const RemoteError& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot open memory:logs/run for writing: listing of memory:logs/run/: connection "
              "refused");
  }
}
