// tblog/error.hpp: one exception family. Each error is a tblog::Error and the standard exception
// callers already catch for its kind, and std::exception exactly once (no ambiguous base).
#include "tblog/error.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tblog/summary_writer.hpp"
#include "test_util.hpp"

namespace {

template <typename Caught, typename Thrown>
bool caught_as(const Thrown& error) {
  try {
    throw error;
  } catch (const Caught&) {
    return true;
  } catch (...) {
    return false;
  }
}

TEST(Errors, EachIsATblogErrorAndItsStandardKind) {
  const tblog::InvalidArgument bad("tag is empty");
  EXPECT_TRUE(caught_as<std::invalid_argument>(bad));
  EXPECT_TRUE(caught_as<std::logic_error>(bad));
  EXPECT_TRUE(caught_as<tblog::Error>(bad));
  EXPECT_TRUE(caught_as<std::exception>(bad));
  EXPECT_FALSE(caught_as<std::runtime_error>(bad));
  const auto runtime = [](const auto& failed) {
    EXPECT_TRUE(caught_as<std::runtime_error>(failed)) << failed.what();
    EXPECT_TRUE(caught_as<tblog::Error>(failed)) << failed.what();
    EXPECT_TRUE(caught_as<std::exception>(failed)) << failed.what();
    EXPECT_FALSE(caught_as<std::invalid_argument>(failed)) << failed.what();
  };
  runtime(tblog::RuntimeError("closed"));
  runtime(tblog::IoError("disk full"));
  runtime(tblog::RemoteError("403"));
  runtime(tblog::RemoteTimeout("no answer"));
  runtime(tblog::CorruptData("crc"));
  runtime(tblog::CorruptRecord("length"));
  EXPECT_TRUE(caught_as<tblog::IoError>(tblog::RemoteTimeout("no answer")));
}

TEST(Errors, WhatIsTheMessageThroughEveryBase) {
  const tblog::IoError error("cannot create logdir 'x'");
  EXPECT_STREQ(static_cast<const tblog::Error&>(error).what(), "cannot create logdir 'x'");
  EXPECT_STREQ(static_cast<const std::exception&>(error).what(), "cannot create logdir 'x'");
}

TEST(Errors, TheWritersBadArgumentsAreStdInvalidArgument) {
  tblog::test::TempDir dir;
  tblog::SummaryWriter writer(dir.path());
  EXPECT_THROW(writer.add_scalar("", 1.0, 0), std::invalid_argument);
  EXPECT_THROW(writer.add_histogram("h", std::vector<float>{}, 0), tblog::Error);
}

}  // namespace
