// printable_text and utf8_code_point: what a terminal or a one-line log may receive from an
// untrusted source (a tag in a file, a server's error message); json_quoted and number_text, the
// forms tblog's value descriptions use.
#include "tblog/text.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
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

namespace {

template <typename T>
T random_bits(std::mt19937_64& rng) {
  T value;
  const std::uint64_t bits = rng();
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

}  // namespace

// tblog's core writes numbers without fmt; `tblog cat` wrote them with fmt before, and its output
// must not change: the same text for random bit patterns (NaNs, subnormals, huge and tiny values
// included) and for round numbers around the switch between fixed and scientific forms.
TEST(NumberText, WritesWhatFmtWrites) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200000; ++i) {
    const double d = random_bits<double>(rng);
    const float f = random_bits<float>(rng);
    const double round =
        std::ldexp(static_cast<double>(rng() % 100000), static_cast<int>(rng() % 120) - 60);
    for (const double x :
         {d, static_cast<double>(f), round, static_cast<double>(static_cast<float>(round))}) {
      const auto as_float = static_cast<float>(x);
      const std::string expected =
          static_cast<double>(as_float) == x ? fmt::format("{}", as_float) : fmt::format("{}", x);
      ASSERT_EQ(tblog::number_text(x), expected) << std::hexfloat << x;
    }
  }
  EXPECT_EQ(tblog::number_text(1e16), "1e+16");
  EXPECT_EQ(tblog::number_text(1e15), "1000000000000000");
  EXPECT_EQ(tblog::number_text(0.1), "0.1");
  EXPECT_EQ(tblog::number_text(-0.0), "-0");
  EXPECT_EQ(tblog::number_text(0.9f), "0.9");
  EXPECT_EQ(tblog::number_text(1e-5), "1e-05");
  EXPECT_EQ(tblog::number_text(100000), "100000");
}

TEST(JsonQuoted, EscapesAndKeepsJsonValidUtf8) {
  EXPECT_EQ(tblog::json_quoted("a\"b\\c\nd\te\x01"), "\"a\\\"b\\\\c\\nd\\te\\u0001\"");
  EXPECT_EQ(tblog::json_quoted("実\xff"), "\"実\\ufffd\"");
}
