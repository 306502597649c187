// The Go behaviours the kubelet's credential code inherits: URL parsing, SplitHostPort and
// filepath.Match. Expected texts are Go's own. (base64, JSON and %q: sim/core's tests.)
#include <string>

#include <gtest/gtest.h>

#include "sim/credentials/internal/go_filepath.h"
#include "sim/credentials/internal/go_url.h"

namespace pullsim::credentials::internal {
namespace {

TEST(GoUrl, ParsesHostAndPath) {
  auto url = ParseGoUrl("https://user:pw@quay.io:443/v2/coreos?x=1#frag");
  ASSERT_TRUE(url.has_value()) << url.error().message;
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "quay.io:443");
  EXPECT_EQ(url->path, "/v2/coreos");
  auto escaped = ParseGoUrl("https://reg.example/a%20b");
  ASSERT_TRUE(escaped.has_value());
  EXPECT_EQ(escaped->path, "/a b");
  auto ipv6 = ParseGoUrl("https://[::1]:5000/foo");
  ASSERT_TRUE(ipv6.has_value());
  EXPECT_EQ(ipv6->host, "[::1]:5000");
}

TEST(GoUrl, RejectsWhatGoRejects) {
  struct Case {
    const char* input;
    const char* message;
  };
  const Case cases[] = {
      {"https://[a-c]b.example",
       "parse \"https://[a-c]b.example\": invalid port \"b.example\" after host"},
      {"https://*.example.com:*",
       "parse \"https://*.example.com:*\": invalid port \":*\" after host"},
      {"https://[::1", "parse \"https://[::1\": missing ']' in host"},
      {"https://a b.example",
       "parse \"https://a b.example\": invalid character \" \" in host name"},
      {"https://reg.example/%zz", "parse \"https://reg.example/%zz\": invalid URL escape \"%zz\""},
      {"https://x\n", "parse \"https://x\\n\": net/url: invalid control character in URL"},
      {"https://a%41.example", "parse \"https://a%41.example\": invalid URL escape \"%41\""},
      {"https://us{er@x", "parse \"https://us{er@x\": net/url: invalid userinfo"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input);
    auto url = ParseGoUrl(c.input);
    ASSERT_FALSE(url.has_value());
    EXPECT_EQ(url.error().message, c.message);
  }
}

TEST(GoUrl, SplitsHostLikeSplitUrl) {
  EXPECT_EQ(SplitUrlHost("quay.io").host, "quay.io");
  EXPECT_EQ(SplitUrlHost("quay.io").port, "");
  EXPECT_EQ(SplitUrlHost("quay.io:443").host, "quay.io");
  EXPECT_EQ(SplitUrlHost("quay.io:443").port, "443");
  EXPECT_EQ(SplitUrlHost("[::1]:5000").host, "::1");
  EXPECT_EQ(SplitUrlHost("[::1]:5000").port, "5000");
  EXPECT_EQ(SplitUrlHost("[::1]").host, "[::1]");  // no port: SplitHostPort fails, kept whole
  EXPECT_EQ(SplitUrlHost("host:").port, "");
}

TEST(GoGlob, MatchesLikeFilepathMatch) {
  struct Case {
    const char* pattern;
    const char* name;
    bool match;
    bool bad;
  };
  const Case cases[] = {
      {"*", "localhost", true, false},
      {"*-good", "prefix-good", true, false},
      {"pre*", "prefix", true, false},
      {"p?efix", "prefix", true, false},
      {"[a-c]b", "bb", true, false},
      {"[^a-c]b", "bb", false, false},
      {"[!a]b", "!b", true, false},
      {"a\\*", "a*", true, false},
      {"a*b*c", "axxbyyc", true, false},
      {"a*b", "axxbyyc", false, false},
      {"Registry", "registry", false, false},
      {"[", "a", false, true},
      {"a[", "a", false, true},
      {"[a-]", "a", false, true},
      {"x*[", "xy", false, true},
      {"\\", "a", false, true},
      {"", "", true, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.pattern) + " ~ " + c.name);
    bool bad = false;
    EXPECT_EQ(GlobMatch(c.pattern, c.name, &bad), c.match);
    EXPECT_EQ(bad, c.bad);
  }
}

TEST(GoPath, CleansAndJoinsLikeFilepath) {
  EXPECT_EQ(CleanPath("/var/lib/kubelet/"), "/var/lib/kubelet");
  EXPECT_EQ(CleanPath("/a/b/../c/./d"), "/a/c/d");
  EXPECT_EQ(CleanPath("/.."), "/");
  EXPECT_EQ(CleanPath("a/../.."), "..");
  EXPECT_EQ(CleanPath(""), ".");
  EXPECT_EQ(AbsoluteJoin("/work", "", "config.json"), "/work/config.json");
  EXPECT_EQ(AbsoluteJoin("/work", ".docker", "config.json"), "/work/.docker/config.json");
  EXPECT_EQ(AbsoluteJoin("/work", "/", ".dockercfg"), "/.dockercfg");
  EXPECT_EQ(AbsoluteJoin("/", "/var/lib/kubelet/", "config.json"), "/var/lib/kubelet/config.json");
}

}  // namespace
}  // namespace pullsim::credentials::internal
