// Docker config files as the kubelet decodes them (CRED-04, CRED-05), including hostile input.
#include "sim/credentials/docker_config.h"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "sim/testing/covers_rule.h"

namespace pullsim::credentials {
namespace {

using pullsim::testing::CoversRule;

ParsedDockerConfig ParseOk(std::string_view text,
                           DockerConfigFormat format = DockerConfigFormat::kConfigJson) {
  auto parsed = ParseDockerConfig(text, format, "config.json");
  EXPECT_TRUE(parsed.has_value()) << parsed.error().ToString();
  return parsed ? *std::move(parsed) : ParsedDockerConfig{};
}

Error ParseError(std::string_view text, DockerConfigFormat format = DockerConfigFormat::kConfigJson,
                 std::string_view file = "config.json") {
  auto parsed = ParseDockerConfig(text, format, file);
  EXPECT_FALSE(parsed.has_value());
  return parsed ? Error{} : parsed.error();
}

// CRED-05: auth is base64(username:password), split at the first colon, overriding both.
TEST(DockerConfig, CRED_05_AuthOverridesUsernameAndPassword) {
  CoversRule("CRED-05");
  ParsedDockerConfig parsed = ParseOk(
      R"({"auths":{"r.example":{"username":"u","password":"p","email":"e@x","auth":"dXNlcjpwYTpzcw=="}}})");
  ASSERT_EQ(parsed.config.size(), 1u);
  EXPECT_EQ(parsed.config.items[0].registry_key, "r.example");
  EXPECT_EQ(parsed.config.items[0].entry, (DockerConfigEntry{"user", "pa:ss", "e@x"}));
}

TEST(DockerConfig, CRED_05_FieldNamesMatchCaseInsensitively) {
  CoversRule("CRED-05");
  auto entry = DecodeDockerConfigEntry(R"({"USERNAME":"a","Password":"b","eMail":"c"})");
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(*entry, (DockerConfigEntry{"a", "b", "c"}));
  // Go folds the long s (U+017F) to S, so this key selects "username".
  auto folded = DecodeDockerConfigEntry(
      "{\"u\xc5\xbf"
      "ername\":\"x\"}");
  ASSERT_TRUE(folded.has_value());
  EXPECT_EQ(folded->username, "x");
  // An exact match wins over an earlier case-insensitive one only by coming later: last wins.
  auto last = DecodeDockerConfigEntry(R"({"username":"first","USERNAME":"second"})");
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->username, "second");
}

TEST(DockerConfig, CRED_05_EmptyAuthKeepsUsernameAndPassword) {
  CoversRule("CRED-05");
  auto entry = DecodeDockerConfigEntry(R"({"username":"u","password":"p","auth":""})");
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->username, "u");
  EXPECT_EQ(entry->password, "p");
}

TEST(DockerConfig, CRED_05_BadAuthFailsTheWholeFileNamingFileAndKey) {
  CoversRule("CRED-05");
  Error error = ParseError("{\n  \"auths\": {\n    \"r.example\": {\"auth\": \"pants\"}\n  }\n}");
  EXPECT_EQ(error.message, "illegal base64 data at input byte 4");
  EXPECT_EQ(error.where, "config.json:3:27 auths[\"r.example\"].auth");
  Error colon = ParseError(R"({"auths":{"r.example":{"auth":"cGFudHM="}}})");
  EXPECT_EQ(colon.message,
            "unable to parse auth field, must be formatted as base64(username:password)");
  EXPECT_EQ(colon.where, "config.json:1:31 auths[\"r.example\"].auth");
}

TEST(DockerConfig, CRED_05_TypeErrorsUseGoWording) {
  CoversRule("CRED-05");
  EXPECT_EQ(ParseError(R"({"auths":{"r":{"username":5}}})").message,
            "json: cannot unmarshal number into Go struct field DockerConfigJSON.auths.username "
            "of type string");
  EXPECT_EQ(ParseError(R"({"auths":{"r":[]}})").message,
            "json: cannot unmarshal array into Go struct field DockerConfigJSON.auths of type "
            "credentialprovider.dockerConfigEntryWithAuth");
  EXPECT_EQ(ParseError(R"({"auths":"x"})").message,
            "json: cannot unmarshal string into Go struct field DockerConfigJSON.auths of type "
            "credentialprovider.DockerConfig");
  EXPECT_EQ(ParseError("[]").message,
            "json: cannot unmarshal array into Go value of type "
            "credentialprovider.DockerConfigJSON");
  EXPECT_EQ(ParseError(R"({"r":{"password":true}})", DockerConfigFormat::kDockercfg).message,
            "json: cannot unmarshal bool into Go struct field dockerConfigEntryWithAuth.password "
            "of type string");
  EXPECT_EQ(ParseError(R"({"r":"x"})", DockerConfigFormat::kDockercfg).message,
            "json: cannot unmarshal string into Go value of type "
            "credentialprovider.dockerConfigEntryWithAuth");
  EXPECT_EQ(ParseError(R"({"HttpHeaders":{"a":1}})").message,
            "json: cannot unmarshal number into Go struct field DockerConfigJSON.HttpHeaders of "
            "type string");
}

TEST(DockerConfig, CRED_05_AnEntryErrorOutranksAnEarlierTypeError) {
  CoversRule("CRED-05");
  // Go keeps the first type error while decoding on, but an error from an entry's own
  // UnmarshalJSON stops decoding and is returned instead.
  EXPECT_EQ(ParseError(R"({"HttpHeaders":5,"auths":{"r":{"auth":"pants"}}})").message,
            "illegal base64 data at input byte 4");
  EXPECT_EQ(ParseError(R"({"HttpHeaders":5,"auths":{}})").message,
            "json: cannot unmarshal number into Go struct field DockerConfigJSON.HttpHeaders of "
            "type map[string]string");
}

// CRED-04: only auths yields credentials; HttpHeaders is read; helpers are never run.
TEST(DockerConfig, CRED_04_HelpersAreIgnoredWithAWarning) {
  CoversRule("CRED-04");
  ParsedDockerConfig parsed = ParseOk(
      R"({"auths":{"r.example":{"auth":"dXNlcjpwYXNzd29yZA=="}},"HttpHeaders":{"User-Agent":"x"},)"
      R"("credsStore":"desktop","credHelpers":{"r2.example":"ecr-login"}})");
  ASSERT_EQ(parsed.config.size(), 1u);
  EXPECT_EQ(parsed.config.items[0].entry.username, "user");
  EXPECT_EQ(parsed.http_headers.at("User-Agent"), "x");
  ASSERT_EQ(parsed.warnings.size(), 2u);
  EXPECT_EQ(parsed.warnings[0],
            "config.json:1:102 credsStore: ignored: the kubelet never runs docker credential "
            "helpers; only \"auths\" gives it credentials (CRED-04)");
  EXPECT_NE(parsed.warnings[1].find("config.json:1:"), std::string::npos);
  EXPECT_NE(parsed.warnings[1].find("credHelpers"), std::string::npos);
}

TEST(DockerConfig, CRED_04_LegacyLayoutInConfigJsonYieldsNothing) {
  CoversRule("CRED-04");
  ParsedDockerConfig parsed =
      ParseOk(R"({"https://index.docker.io/v1/": {"auth": "Zm9vOmJhcg=="}})");
  EXPECT_TRUE(parsed.config.empty());
  // ... and config.json layout in a .dockercfg makes "auths" a registry key with no credentials.
  ParsedDockerConfig legacy =
      ParseOk(R"({"auths":{"quay.io":{"username":"u"}}})", DockerConfigFormat::kDockercfg);
  ASSERT_EQ(legacy.config.size(), 1u);
  EXPECT_EQ(legacy.config.items[0].registry_key, "auths");
  EXPECT_EQ(legacy.config.items[0].entry, DockerConfigEntry{});
}

TEST(DockerConfig, CRED_04_NullsAndRepeatsFollowGo) {
  CoversRule("CRED-04");
  EXPECT_TRUE(ParseOk("null").config.empty());
  EXPECT_TRUE(ParseOk(R"({"auths":null})").config.empty());
  // A null entry is an entry with no credentials.
  ParsedDockerConfig null_entry = ParseOk(R"({"auths":{"r":null}})");
  ASSERT_EQ(null_entry.config.size(), 1u);
  // A repeated "auths" object adds to the same map; a repeated key keeps its last value.
  ParsedDockerConfig twice =
      ParseOk(R"({"auths":{"a":{"username":"1"}},"Auths":{"b":{},"a":{"username":"2"}}})");
  ASSERT_EQ(twice.config.size(), 2u);
  EXPECT_EQ(twice.config.items[0].registry_key, "a");
  EXPECT_EQ(twice.config.items[0].entry.username, "2");
  // A later null empties it again.
  EXPECT_TRUE(ParseOk(R"({"auths":{"a":{}},"auths":null})").config.empty());
}

TEST(DockerConfig, CRED_04_SyntaxErrorsNameLineAndColumn) {
  CoversRule("CRED-04");
  Error error = ParseError("{\n  \"auths\": {\n    \"a\": {,}\n  }\n}",
                           DockerConfigFormat::kConfigJson, "/root/.docker/config.json");
  EXPECT_EQ(error.message, "invalid character ',' looking for beginning of object key string");
  EXPECT_EQ(error.where, "/root/.docker/config.json:3:11");
  EXPECT_EQ(error.code, ErrorCode::kInvalidArgument);
}

TEST(DockerConfig, FormatFollowsFileName) {
  EXPECT_EQ(FormatForFileName("/root/.dockercfg"), DockerConfigFormat::kDockercfg);
  EXPECT_EQ(FormatForFileName(".dockercfg"), DockerConfigFormat::kDockercfg);
  EXPECT_EQ(FormatForFileName("/root/.docker/config.json"), DockerConfigFormat::kConfigJson);
  EXPECT_EQ(FormatForFileName("creds.json"), DockerConfigFormat::kConfigJson);
}

// Hostile files: clear errors or correct results, never a crash.
TEST(DockerConfigHostile, DeepNestingIsAnErrorNotACrash) {
  std::string deep = "{\"auths\":" + std::string(200000, '[') + std::string(200000, ']') + "}";
  Error error = ParseError(deep);
  EXPECT_EQ(error.message, "invalid character '[' exceeded max depth");
  // Deep but within Go's limit, in an ignored field: skipped without recursion.
  std::string ok = "{\"x\":" + std::string(9990, '[') + std::string(9990, ']') + ",\"auths\":{}}";
  EXPECT_TRUE(ParseOk(ok).config.empty());
}

TEST(DockerConfigHostile, InvalidUtf8IsReplacedAsGoDoes) {
  ParsedDockerConfig parsed =
      ParseOk("{\"auths\":{\"r\xff.example\":{\"username\":\"u\xc3\x28\",\"password\":\"p\"}}}");
  ASSERT_EQ(parsed.config.size(), 1u);
  EXPECT_EQ(parsed.config.items[0].registry_key, "r\xef\xbf\xbd.example");
  EXPECT_EQ(parsed.config.items[0].entry.username, "u\xef\xbf\xbd(");
  // A stray byte outside strings is a syntax error naming it.
  EXPECT_EQ(ParseError("{\"auths\":{}}\xff").message,
            "invalid character '\xc3\xbf' after top-level value");
}

TEST(DockerConfigHostile, HundredThousandEntriesParse) {
  std::string text = "{\"auths\":{";
  for (int i = 0; i < 100000; ++i) {
    if (i > 0) text += ",";
    text += "\"registry-" + std::to_string(i) + ".example\":{\"auth\":\"dTpw\"}";
  }
  text += "}}";
  ParsedDockerConfig parsed = ParseOk(text);
  ASSERT_EQ(parsed.config.size(), 100000u);
  EXPECT_EQ(parsed.config.items[99999].registry_key, "registry-99999.example");
  EXPECT_EQ(parsed.config.items[99999].entry.password, "p");
}

TEST(DockerConfigHostile, HundredMegabyteFileIsRead) {
  // 100 MB in an ignored field, then a bad auth: the whole file is scanned and the error still
  // names the key at the end.
  std::string text = "{\"padding\":\"";
  text.append(100u << 20, 'a');
  text += "\",\"auths\":{\"r\":{\"auth\":\"!\"}}}";
  auto start = std::chrono::steady_clock::now();
  Error error = ParseError(text);
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(error.message, "illegal base64 data at input byte 0");
  EXPECT_NE(error.where.find("auths[\"r\"].auth"), std::string::npos);
  EXPECT_LT(elapsed, std::chrono::seconds(60));
}

TEST(DockerConfigHostile, TruncatedAndEmptyFilesAreErrors) {
  EXPECT_EQ(ParseError("").message, "unexpected end of JSON input");
  EXPECT_EQ(ParseError("{\"auths\": {").message, "unexpected end of JSON input");
  EXPECT_EQ(ParseError(std::string("{\"auths\"\0:{}}", 13)).message,
            "invalid character '\\x00' after object key");
}

}  // namespace
}  // namespace pullsim::credentials
