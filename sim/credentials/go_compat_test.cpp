// The Go behaviours the kubelet's credential code inherits: base64, JSON syntax errors, URL
// parsing, SplitHostPort and filepath.Match. Expected texts are Go's own.
#include <string>

#include <gtest/gtest.h>

#include "sim/credentials/internal/go_base64.h"
#include "sim/credentials/internal/go_filepath.h"
#include "sim/credentials/internal/go_json.h"
#include "sim/credentials/internal/go_url.h"

namespace pullsim::credentials::internal {
namespace {

TEST(GoBase64, DecodesPaddedAndUnpadded) {
  EXPECT_EQ(DecodeGoBase64("Zm9vOmJhcg==", true).value(), "foo:bar");
  EXPECT_EQ(DecodeGoBase64("Zm9vOmJhcg", false).value(), "foo:bar");
  EXPECT_EQ(DecodeGoBase64("", true).value(), "");
  EXPECT_EQ(DecodeGoBase64("Zm9v\nOmJh\r\ncg==", true).value(), "foo:bar");
}

TEST(GoBase64, ReportsGoOffsets) {
  struct Case {
    const char* input;
    bool padded;
    const char* message;
  };
  const Case cases[] = {
      {"pants", false, "illegal base64 data at input byte 4"},
      {" Zm9vOmJhcg==", true, "illegal base64 data at input byte 0"},
      {"Zm9vOmJhcg=", true, "illegal base64 data at input byte 11"},
      {"Zm9vOmJhcg==", false, "illegal base64 data at input byte 10"},
      {"Zm9vOmJhcg", true, "illegal base64 data at input byte 8"},
      {"Zg==Zg==", true, "illegal base64 data at input byte 4"},
      {"Z===", true, "illegal base64 data at input byte 1"},
      {"Zm9v!", false, "illegal base64 data at input byte 4"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input);
    auto decoded = DecodeGoBase64(c.input, c.padded);
    ASSERT_FALSE(decoded.has_value());
    EXPECT_EQ(decoded.error().message, c.message);
  }
}

TEST(GoJson, AcceptsValidDocuments) {
  for (const char* text : {"{}", " [1, -0.5e+3, true, false, null, \"\\u00e9\\n\"] ", "\"x\"", "0",
                           "{\"a\":{\"b\":[{}]}}"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(CheckJsonSyntax(text).has_value());
  }
}

TEST(GoJson, ReportsGoSyntaxErrors) {
  struct Case {
    const char* input;
    const char* message;
  };
  const Case cases[] = {
      {"{not json", "invalid character 'n' looking for beginning of object key string"},
      {"{\"auths\": {", "unexpected end of JSON input"},
      {"", "unexpected end of JSON input"},
      {"{\"a\" 1}", "invalid character '1' after object key"},
      {"{\"a\":1 \"b\"}", "invalid character '\"' after object key:value pair"},
      {"[1 2]", "invalid character '2' after array element"},
      {"{} x", "invalid character 'x' after top-level value"},
      // At the end Go feeds the scanner one space, so a cut literal complains about ' '.
      {"tru", "invalid character ' ' in literal true (expecting 'e')"},
      {"-", "invalid character ' ' in numeric literal"},
      {"trux", "invalid character 'x' in literal true (expecting 'e')"},
      {"nul!", "invalid character '!' in literal null (expecting 'l')"},
      {"\"a\tb\"", "invalid character '\\t' in string literal"},
      {"\"\\x\"", "invalid character 'x' in string escape code"},
      {"\"\\u12g4\"", "invalid character 'g' in \\u hexadecimal character escape"},
      {"-x", "invalid character 'x' in numeric literal"},
      {"1.x", "invalid character 'x' after decimal point in numeric literal"},
      {"1ex", "invalid character 'x' in exponent of numeric literal"},
      {"'a'", "invalid character '\\'' looking for beginning of value"},
      {"\xc3\xa9", "invalid character '\xc3\x83' looking for beginning of value"},
      {"\x01", "invalid character '\\x01' looking for beginning of value"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input);
    auto error = CheckJsonSyntax(c.input);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->message, c.message);
  }
}

TEST(GoJson, LimitsNestingLikeGo) {
  std::string ok(kMaxJsonNesting, '[');
  ok += std::string(kMaxJsonNesting, ']');
  EXPECT_FALSE(CheckJsonSyntax(ok).has_value());
  std::string deep(kMaxJsonNesting + 1, '[');
  auto error = CheckJsonSyntax(deep);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message, "invalid character '[' exceeded max depth");
  EXPECT_EQ(error->offset, kMaxJsonNesting);
}

TEST(GoJson, DecodesStringsLikeGo) {
  auto read = [](std::string text) {
    EXPECT_FALSE(CheckJsonSyntax(text).has_value()) << text;
    JsonReader reader(text);
    return reader.ReadString();
  };
  EXPECT_EQ(read("\"a\\\"b\\\\c\\/d\\n\""), "a\"b\\c/d\n");
  EXPECT_EQ(read("\"\\u00e9\""), "\xc3\xa9");
  EXPECT_EQ(read("\"\\ud83d\\ude00\""), "\xf0\x9f\x98\x80");  // a surrogate pair
  EXPECT_EQ(read("\"\\ud83dx\""), "\xef\xbf\xbdx");           // lone surrogate -> U+FFFD
  EXPECT_EQ(read("\"\\ude00\\u0041\""),
            "\xef\xbf\xbd"
            "A");  // low surrogate first
  EXPECT_EQ(read("\"a\xff\xfe"
                 "b\""),
            "a\xef\xbf\xbd\xef\xbf\xbd"
            "b");  // invalid UTF-8
  EXPECT_EQ(read("\"\xed\xa0\x80\""), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

TEST(GoJson, SkipsDeepValuesWithoutRecursion) {
  std::string text =
      "{\"skip\":" + std::string(9000, '[') + std::string(9000, ']') + ",\"keep\":\"yes\"}";
  ASSERT_FALSE(CheckJsonSyntax(text).has_value());
  JsonReader reader(text);
  reader.EnterObject();
  std::string key;
  ASSERT_TRUE(reader.NextMember(key));
  EXPECT_EQ(key, "skip");
  reader.SkipValue();
  ASSERT_TRUE(reader.NextMember(key));
  EXPECT_EQ(key, "keep");
  EXPECT_EQ(reader.ReadString(), "yes");
  EXPECT_FALSE(reader.NextMember(key));
}

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
