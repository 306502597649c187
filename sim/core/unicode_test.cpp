// Go's unicode/utf8 decoding and encoding, unicode.IsPrint and unicode.ToLower's changes.
#include "sim/core/unicode.h"

#include <string>

#include <gtest/gtest.h>

namespace pullsim {
namespace {

TEST(DecodeRune, DecodesLikeGo) {
  const struct {
    std::string_view text;
    char32_t rune;
    std::size_t width;
  } kCases[] = {
      {"a", U'a', 1},
      {"\xc3\xa9", U'\u00e9', 2},
      {"\xe2\x82\xac", U'\u20ac', 3},
      {"\xf0\x9f\x90\xb3", U'\U0001f433', 4},
      {"", kRuneError, 0},
      {"\xff", kRuneError, 1},
      {"\xc0\x80", kRuneError, 1},          // overlong
      {"\xe0\x80\x80", kRuneError, 1},      // overlong
      {"\xed\xa0\x80", kRuneError, 1},      // a surrogate
      {"\xf4\x90\x80\x80", kRuneError, 1},  // above U+10FFFF
      {"\xe2\x82", kRuneError, 1},          // cut short
      {"\xef\xbf\xbd", kRuneError, 3},      // an encoded U+FFFD is valid
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(::testing::PrintToString(c.text));
    const DecodedRune d = DecodeRune(c.text);
    EXPECT_EQ(d.rune, c.rune);
    EXPECT_EQ(d.width, c.width);
  }
  EXPECT_EQ(DecodeRune("a\xc3\xa9", 1).rune, U'\u00e9');
  EXPECT_EQ(DecodeRune("ab", 2).width, 0u);
}

TEST(DecodeLastRune, DecodesLikeGo) {
  const struct {
    std::string_view text;
    char32_t rune;
    std::size_t width;
  } kCases[] = {
      {"", kRuneError, 0},
      {"a", U'a', 1},
      {"x\xc3\xa9", U'\u00e9', 2},
      {"\xf0\x9f\x90\xb3", U'\U0001f433', 4},
      {"a\xc3", kRuneError, 1},             // a lead byte at the end
      {"\xa9", kRuneError, 1},              // a lone continuation byte
      {"\xe2\x82\xac\xac", kRuneError, 1},  // one continuation byte too many
      {"\xc0\xa0", kRuneError, 1},          // overlong
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(::testing::PrintToString(c.text));
    const DecodedRune d = DecodeLastRune(c.text);
    EXPECT_EQ(d.rune, c.rune);
    EXPECT_EQ(d.width, c.width);
  }
}

TEST(AppendRune, EncodesAndReplacesInvalidRunes) {
  std::string out;
  for (char32_t rune : {U'a', U'\u00e9', U'\u20ac', U'\U0001f433'}) AppendRune(out, rune);
  EXPECT_EQ(out, "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x90\xb3");
  out.clear();
  AppendRune(out, 0xD800);
  AppendRune(out, 0x110000);
  EXPECT_EQ(out, "\xef\xbf\xbd\xef\xbf\xbd");
}

TEST(IsPrint, FollowsGoUnicodeTables) {
  EXPECT_TRUE(IsPrint(U' '));
  EXPECT_TRUE(IsPrint(U'~'));
  EXPECT_FALSE(IsPrint(U'\t'));
  EXPECT_FALSE(IsPrint(0x7F));
  EXPECT_TRUE(IsPrint(U'\u00e9'));
  EXPECT_FALSE(IsPrint(0xA0));    // no-break space
  EXPECT_FALSE(IsPrint(0xAD));    // soft hyphen
  EXPECT_FALSE(IsPrint(0x3000));  // ideographic space
  EXPECT_TRUE(IsPrint(U'\U0001f433'));
  EXPECT_FALSE(IsPrint(0xE0001));  // language tag
  EXPECT_FALSE(IsPrint(0xF0000));  // private use
}

TEST(IsSpace, FollowsGoUnicodeIsSpace) {
  for (char32_t rune :
       {U' ', U'\t', U'\n', U'\v', U'\f', U'\r', U'\u0085', U'\u00a0', U'\u1680', U'\u2000',
        U'\u200a', U'\u2028', U'\u2029', U'\u202f', U'\u205f', U'\u3000'}) {
    EXPECT_TRUE(IsSpace(rune)) << static_cast<unsigned>(rune);
  }
  for (char32_t rune : {U'a', U'\0', U'\u200b', U'\ufeff', U'\u180e', kRuneError}) {
    EXPECT_FALSE(IsSpace(rune)) << static_cast<unsigned>(rune);
  }
}

TEST(TrimSpace, TrimsUnicodeSpaceButNotInvalidBytes) {
  EXPECT_EQ(TrimSpace(" \t nginx \n"), "nginx");
  EXPECT_EQ(TrimSpace("\xc2\xa0nginx\xe3\x80\x80"), "nginx");
  EXPECT_EQ(TrimSpace("   "), "");
  EXPECT_EQ(TrimSpace(""), "");
  EXPECT_EQ(TrimSpace("a b"), "a b");
  EXPECT_EQ(TrimSpace("\xc0\xa0x\xc2"), "\xc0\xa0x\xc2");  // an overlong space is not space
  EXPECT_EQ(TrimSpace("\xe2\x80\x8bx"), "\xe2\x80\x8bx");  // zero-width space is not space
}

TEST(LowerChanges, UpperAndTitleCaseLetters) {
  EXPECT_TRUE(LowerChanges(U'A'));
  EXPECT_FALSE(LowerChanges(U'a'));
  EXPECT_FALSE(LowerChanges(U'1'));
  EXPECT_TRUE(LowerChanges(U'\u00c9'));  // É
  EXPECT_FALSE(LowerChanges(U'\u00e9'));
  EXPECT_TRUE(LowerChanges(U'\u01c5'));  // Dž, title case
  EXPECT_TRUE(LowerChanges(U'\u2126'));  // Ohm sign
}

}  // namespace
}  // namespace pullsim
