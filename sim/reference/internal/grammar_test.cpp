#include "sim/reference/internal/grammar.h"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "sim/testing/covers_rule.h"

namespace pullsim::reference::internal {
namespace {

TEST(Grammar, REF_01_PathComponents) {
  testing::CoversRule("REF-01");
  for (std::string_view ok : {"a", "a.b", "a_b", "a__b", "a-b", "a---b", "a.b_c__d-e", "0"}) {
    SCOPED_TRACE(ok);
    EXPECT_TRUE(IsPathComponent(ok));
  }
  for (std::string_view bad : {"", "A", "a___b", "a._b", "-a", "a-", "a.", "_a", "a..b", "a_-b"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(IsPathComponent(bad));
  }
}

TEST(Grammar, REF_01_Domains) {
  testing::CoversRule("REF-01");
  for (std::string_view ok :
       {"a", "A-b.C", "localhost:5000", "1.2.3.4:80", "[::1]", "[fc00::1]:5000", "xn--7o8h.com"}) {
    SCOPED_TRACE(ok);
    EXPECT_TRUE(IsDomainAndPort(ok));
  }
  for (std::string_view bad : {"", "-a", "a-", "a..b", "a:", "a:b", "[]", "[::1", "[fe80::1%e]",
                               "[::1]:", "[::1]x", "a_b", "fc00::1:5000"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(IsDomainAndPort(bad));
  }
}

TEST(Grammar, REF_01_TagsAndDigests) {
  testing::CoversRules({"REF-01", "REF-04"});
  EXPECT_TRUE(IsTag("_ok"));
  EXPECT_TRUE(IsTag(std::string(128, 't')));
  EXPECT_FALSE(IsTag(std::string(129, 't')));
  EXPECT_FALSE(IsTag(".a"));
  EXPECT_FALSE(IsTag("-a"));
  EXPECT_FALSE(IsTag(""));
  EXPECT_TRUE(IsDigestPattern("sha256:" + std::string(32, 'F')));
  EXPECT_TRUE(IsDigestPattern("a+B.c_d-e:" + std::string(32, '0')));
  EXPECT_FALSE(IsDigestPattern("sha256:" + std::string(31, 'f')));
  EXPECT_FALSE(IsDigestPattern("1sha:" + std::string(32, 'f')));
  EXPECT_FALSE(IsDigestPattern("sha256:" + std::string(32, 'g')));
  EXPECT_FALSE(IsDigestPattern("a--b:" + std::string(32, 'f')));
}

TEST(Grammar, REF_01_SplitsNameTagDigest) {
  testing::CoversRule("REF-01");
  const std::string digest = "sha256:" + std::string(64, 'f');
  const std::string input = "[::1]:5000/a/b:v1@" + digest;  // the match views into it
  const auto match = MatchReference(input);
  ASSERT_TRUE(match.has_value());
  EXPECT_EQ(match->domain, "[::1]:5000");
  EXPECT_EQ(match->path, "a/b");
  EXPECT_EQ(match->tag, "v1");
  EXPECT_EQ(match->digest, digest);
  EXPECT_FALSE(MatchReference("a@" + digest + "@" + digest).has_value());
  EXPECT_FALSE(MatchReference("a:b/c").has_value());  // "a:b" is not a host: port not numeric
  EXPECT_TRUE(MatchReference("a:1/c").has_value());
}

TEST(Grammar, REF_03_GoToLowerChanges) {
  testing::CoversRule("REF-03");
  EXPECT_FALSE(GoToLowerChanges("abc-123/\xC3\xA9\xE4\xB8\xAD"));  // é, 中
  EXPECT_TRUE(GoToLowerChanges("aBc"));
  EXPECT_TRUE(GoToLowerChanges("\xC3\x89"));       // É
  EXPECT_TRUE(GoToLowerChanges("\xC7\x85"));       // ǅ, title case
  EXPECT_TRUE(GoToLowerChanges("\xE2\x84\xAA"));   // KELVIN SIGN
  EXPECT_TRUE(GoToLowerChanges("\x80"));           // invalid UTF-8
  EXPECT_TRUE(GoToLowerChanges("\xC0\xAF"));       // overlong '/'
  EXPECT_FALSE(GoToLowerChanges("\xEF\xBF\xBD"));  // an encoded U+FFFD stays
  EXPECT_EQ(GoToLowerForGrammar("AbC\xE2\x84\xAA\xC4\xB0"), "abcki");
}

}  // namespace
}  // namespace pullsim::reference::internal
