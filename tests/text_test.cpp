// printable_text and utf8_code_point: what a terminal or a one-line log may receive from an
// untrusted source (a tag in a file, a server's error message).
#include "tblog/text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

TEST(PrintableText, KeepsPrintableUtf8AsItIs) {
  EXPECT_EQ(tblog::printable_text("loss/train 実験 ü"), "loss/train 実験 ü");
}

TEST(PrintableText, MakesControlsAndEscapeSequencesVisible) {
  EXPECT_EQ(tblog::printable_text("a\x1b[2Jb\nc\td\x7f"), "a\\x1b[2Jb\\x0ac\\x09d\\x7f");
  EXPECT_EQ(tblog::printable_text("\xc2\x85\xc2\x9b"), "\\u0085\\u009b");  // C1 controls
}

TEST(PrintableText, ShowsBytesThatAreNotUtf8) {
  EXPECT_EQ(tblog::printable_text("\xff\xc0\xaf"), "\\xff\\xc0\\xaf");  // overlong '/'
  EXPECT_EQ(tblog::printable_text("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a surrogate
  EXPECT_EQ(tblog::printable_text("ok\xe5\xae"), "ok\\xe5\\xae");       // cut mid-character
}

TEST(PrintableText, CutsAfterTheLimitInCodePoints) {
  EXPECT_EQ(tblog::printable_text("abcdef", 3), "abc...");
  EXPECT_EQ(tblog::printable_text("実験実験", 2), "実験...");
  EXPECT_EQ(tblog::printable_text("abc", 3), "abc");
  const std::string huge(100000, 'x');
  EXPECT_EQ(tblog::printable_text(huge, 300).size(), 303u);
}

TEST(Utf8CodePoint, DecodesEachLengthAndRefusesInvalidForms) {
  EXPECT_EQ(tblog::utf8_code_point("A", 0), (std::pair<long, std::size_t>{'A', 1}));
  EXPECT_EQ(tblog::utf8_code_point("\xc3\xbc", 0), (std::pair<long, std::size_t>{0xfc, 2}));
  EXPECT_EQ(tblog::utf8_code_point("\xe5\xae\x9f", 0), (std::pair<long, std::size_t>{0x5b9f, 3}));
  EXPECT_EQ(tblog::utf8_code_point("\xf0\x9f\x98\x80", 0),
            (std::pair<long, std::size_t>{0x1f600, 4}));
  EXPECT_EQ(tblog::utf8_code_point("\xf4\x90\x80\x80", 0).first, -1);  // past U+10FFFF
  EXPECT_EQ(tblog::utf8_code_point("\x80", 0).first, -1);
}

}  // namespace
