#include "sim/registry/names.h"

#include <gtest/gtest.h>

namespace pullsim::registry {
namespace {

struct NameCase {
  const char* name;
  bool valid;
};

constexpr NameCase kNames[] = {
    {"app", true},         {"team/app", true}, {"a/b/c/d", true},        {"my-app", true},
    {"my--app", true},     {"my_app", true},   {"my__app", true},        {"my.app", true},
    {"0app", true},        {"", false},        {"App", false},           {"team//app", false},
    {"/app", false},       {"app/", false},    {"my___app", false},      {"my..app", false},
    {"-app", false},       {"app-", false},    {"../etc/passwd", false}, {"team/../app", false},
    {"team/./app", false}, {"a b", false},     {"app:tag", false},
};

TEST(RepositoryName, FollowsTheDistributionGrammar) {
  for (const NameCase& c : kNames) {
    SCOPED_TRACE(c.name);
    auto result = CheckRepositoryName(c.name);
    EXPECT_EQ(result.has_value(), c.valid) << (result ? "" : result.error().message);
  }
}

TEST(RepositoryName, RejectsOverlongNames) {
  EXPECT_TRUE(CheckRepositoryName(std::string(255, 'a')).has_value());
  auto result = CheckRepositoryName(std::string(256, 'a'));
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().message.find("longer than 255"), std::string::npos);
}

TEST(RepositoryName, ErrorNamesTheComponent) {
  auto result = CheckRepositoryName("team/App");
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().message.find("component 2"), std::string::npos)
      << result.error().message;
  EXPECT_NE(result.error().message.find("uppercase"), std::string::npos);
}

TEST(Tag, FollowsTheDistributionGrammar) {
  EXPECT_TRUE(CheckTag("latest").has_value());
  EXPECT_TRUE(CheckTag("1.0.0-rc_1").has_value());
  EXPECT_TRUE(CheckTag("_x").has_value());
  EXPECT_TRUE(CheckTag(std::string(128, 'a')).has_value());
  EXPECT_FALSE(CheckTag(std::string(129, 'a')).has_value());
  EXPECT_FALSE(CheckTag("").has_value());
  EXPECT_FALSE(CheckTag(".hidden").has_value());
  EXPECT_FALSE(CheckTag("-x").has_value());
  EXPECT_FALSE(CheckTag("a/b").has_value());
  EXPECT_FALSE(CheckTag("a:b").has_value());
}

struct GlobCase {
  const char* pattern;
  const char* text;
  bool match;
};

constexpr GlobCase kGlobs[] = {
    {"**", "a", true},
    {"**", "a/b/c", true},
    {"*", "a", true},
    {"*", "a/b", false},
    {"tenant-a/*", "tenant-a/app", true},
    {"tenant-a/*", "tenant-a/team/app", false},
    {"tenant-a/**", "tenant-a/team/app", true},
    {"tenant-a/**", "tenant-a", false},
    {"tenant-a/**", "tenant-ab/app", false},
    {"tenant-a*", "tenant-ab", true},
    {"**/b/*", "a/b/c/b/d", true},
    {"**/b/*", "a/b/c/d", false},
    {"a/?", "a/b", true},
    {"a/?", "a/bc", false},
    {"a?b", "a/b", false},
    {"library/nginx", "library/nginx", true},
    {"library/nginx", "library/nginx2", false},
    {"*/*/*", "a/b/c", true},
    {"*/*/*", "a/b", false},
};

TEST(RepositoryGlob, StarStaysInASegmentDoubleStarCrosses) {
  for (const GlobCase& c : kGlobs) {
    SCOPED_TRACE(std::string(c.pattern) + " ~ " + c.text);
    auto glob = RepositoryGlob::Parse(c.pattern);
    ASSERT_TRUE(glob.has_value());
    EXPECT_EQ(glob->Matches(c.text), c.match);
  }
}

TEST(RepositoryGlob, RejectsCharactersNoNameHas) {
  EXPECT_FALSE(RepositoryGlob::Parse("").has_value());
  auto bad = RepositoryGlob::Parse("Tenant/*");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("'T' at offset 0"), std::string::npos) << bad.error().message;
}

}  // namespace
}  // namespace pullsim::registry
