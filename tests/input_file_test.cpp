// How every reader opens an input path (input_file.hpp): regular files only, refused before a
// byte is read otherwise (a FIFO must not block open(), /dev/zero must not be read forever), and
// whole-file reads bounded by the size the file has, never by what its contents claim.
#include "input_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "tblog/error.hpp"
#include "test_util.hpp"

namespace tblog::detail {
namespace {

// The IoError message of `f`, or "" when it does not throw one.
template <typename F>
std::string io_error_of(F&& f) {
  try {
    f();
  } catch (const IoError& e) {
    return e.what();
  }
  return "";
}

TEST(InputFile, ARegularFileIsReadWhole) {
  test::TempDir dir;
  test::write_file(dir / "f", std::string("abc\0def", 7));
  EXPECT_EQ(read_input_file(dir / "f", "data file"), std::string("abc\0def", 7));
  const int fd = open_input_file(dir / "f", "data file");
  EXPECT_GE(fd, 0);
  ::close(fd);
}

TEST(InputFile, AMissingFileNamesWhatAndWhere) {
  test::TempDir dir;
  const std::string message = io_error_of([&] { read_input_file(dir / "nope", "event file"); });
  EXPECT_EQ(message, "event file '" + dir / "nope" + "': No such file or directory");
}

TEST(InputFile, ADirectoryIsRefusedByKind) {
  test::TempDir dir;
  EXPECT_EQ(io_error_of([&] { open_input_file(dir.path(), "sprite"); }),
            "sprite '" + dir.path() + "': is a directory, not a regular file");
}

TEST(InputFile, AFifoIsRefusedWithoutWaitingForAWriter) {
  test::TempDir dir;
  const std::string fifo = dir / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Opened without O_NONBLOCK this would block until a writer came: the test would hang.
  EXPECT_EQ(io_error_of([&] { read_input_file(fifo, "metadata"); }),
            "metadata '" + fifo + "': is a FIFO, not a regular file");
}

TEST(InputFile, ADeviceIsRefusedBeforeAByteIsRead) {
  EXPECT_EQ(io_error_of([] { read_input_file("/dev/zero", "tensors"); }),
            "tensors '/dev/zero': is a device, not a regular file");
}

TEST(InputFile, AFileLargerThanTheLimitIsRefusedNamingBothSizes) {
  test::TempDir dir;
  test::write_file(dir / "big", std::string(1000, 'x'));
  EXPECT_EQ(io_error_of([&] { read_input_file(dir / "big", "config", 999); }),
            "config '" + dir / "big" + "': 1000 bytes, more than the 999 allowed");
  EXPECT_EQ(read_input_file(dir / "big", "config", 1000).size(), 1000u);
}

}  // namespace
}  // namespace tblog::detail
