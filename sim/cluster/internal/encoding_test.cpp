// Go-compatible checks the API server's messages depend on: decoding a Docker config into
// map[string]interface {} (CRED-15) and the apimachinery name checks.
#include <string>

#include <gtest/gtest.h>

#include "sim/cluster/internal/go_json.h"
#include "sim/cluster/internal/names.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::cluster::internal {
namespace {

TEST(GoUnmarshalObjectError, CRED_15_SyntaxErrorsInGoWords) {
  testing::CoversRule("CRED-15");
  const struct {
    std::string input;
    std::string error;
  } kCases[] = {
      // The whole table of syntax errors is sim/core/go_json_test.cpp's; these show they pass
      // through in Go's words.
      {"", "unexpected end of JSON input"},
      {"{\"a\":1", "unexpected end of JSON input"},
      {"{not json", "invalid character 'n' looking for beginning of object key string"},
      {"{\"a\":1,}", "invalid character '}' looking for beginning of object key string"},
      {"{\"a\":tru}", "invalid character '}' in literal true (expecting 'e')"},
      {"1.", "invalid character ' ' after decimal point in numeric literal"},
      {"\xef\xbb\xbf{}", "invalid character '\xc3\xaf' looking for beginning of value"},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.input);
    EXPECT_EQ(GoUnmarshalObjectError(c.input), c.error);
  }
}

TEST(GoUnmarshalObjectError, CRED_15_OnlyAnObjectOrNullFitsTheMap) {
  testing::CoversRule("CRED-15");
  for (const char* accepted :
       {"{}", " {\"auths\": {}} ", "{\"anything\": 1}", "null", "{\"a\":1e-400}"}) {
    SCOPED_TRACE(accepted);
    EXPECT_EQ(GoUnmarshalObjectError(accepted), std::nullopt);
  }
  const std::string suffix = " into Go value of type map[string]interface {}";
  EXPECT_EQ(GoUnmarshalObjectError("[1,2]"), "json: cannot unmarshal array" + suffix);
  EXPECT_EQ(GoUnmarshalObjectError("\"x\""), "json: cannot unmarshal string" + suffix);
  EXPECT_EQ(GoUnmarshalObjectError("12"), "json: cannot unmarshal number" + suffix);
  EXPECT_EQ(GoUnmarshalObjectError("false"), "json: cannot unmarshal bool" + suffix);
  EXPECT_EQ(GoUnmarshalObjectError("{\"a\":[1e999]}"),
            "json: cannot unmarshal number 1e999 into Go value of type float64");
}

TEST(GoUnmarshalObjectError, DeepNestingIsAnErrorNotACrash) {
  EXPECT_EQ(GoUnmarshalObjectError(std::string(20000, '[')),
            "invalid character '[' exceeded max depth");
  std::string nested = std::string(100, '[') + std::string(100, ']');
  EXPECT_EQ(GoUnmarshalObjectError("{\"a\":" + nested + "}"), std::nullopt);
}

TEST(Names, UpstreamMessages) {
  EXPECT_TRUE(IsDNS1123Label("web-1").empty());
  EXPECT_EQ(IsDNS1123Label("Web"),
            std::vector<std::string>{
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
                "'-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
                "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"});
  EXPECT_EQ(IsDNS1123Label("a.b"), std::vector<std::string>{"must not contain dots"});
  EXPECT_EQ(IsDNS1123Label(std::string(64, 'a')),
            std::vector<std::string>{"must be no more than 63 characters"});
  EXPECT_TRUE(IsDNS1123Subdomain("registry.example.com").empty());
  EXPECT_EQ(IsDNS1123Subdomain("-x").size(), 1u);
  EXPECT_TRUE(NameIsDNSSubdomain("web-", true).empty());
  EXPECT_FALSE(NameIsDNSSubdomain("web-", false).empty());
  EXPECT_TRUE(IsConfigMapKey(".dockerconfigjson").empty());
  EXPECT_EQ(IsConfigMapKey(".."), std::vector<std::string>{"must not be '..'"});
  EXPECT_EQ(IsConfigMapKey("a/b").size(), 1u);
  EXPECT_TRUE(IsQualifiedName("app.kubernetes.io/name").empty());
  EXPECT_EQ(IsQualifiedName("/x"), std::vector<std::string>{"prefix part must be non-empty"});
  EXPECT_TRUE(IsValidLabelValue("").empty());
  EXPECT_EQ(IsValidLabelValue("-x").size(), 1u);
}

}  // namespace
}  // namespace pullsim::cluster::internal
