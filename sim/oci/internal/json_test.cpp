#include "sim/oci/internal/json.h"

#include <string>

#include <gtest/gtest.h>

namespace pullsim::oci::internal {
namespace {

TEST(ParseStrictJson, ParsesNestedDocuments) {
  auto value = ParseStrictJson(R"({"a": [1, {"b": null}], "c": "d", "e": 1.5})", "doc");
  ASSERT_TRUE(value.has_value()) << value.error().ToString();
  EXPECT_EQ((*value)["a"][0], 1);
  EXPECT_TRUE((*value)["a"][1]["b"].is_null());
  EXPECT_EQ((*value)["c"], "d");
  EXPECT_DOUBLE_EQ((*value)["e"].get<double>(), 1.5);
}

TEST(ParseStrictJson, RejectsDuplicateKeysWithPath) {
  auto value = ParseStrictJson(R"({"manifests": [{"size": 1, "size": 2}]})", "image index");
  ASSERT_FALSE(value.has_value());
  EXPECT_EQ(value.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(value.error().where, "manifests[0].size");
  EXPECT_EQ(value.error().message, "image index: duplicate key \"size\" in one object");
}

TEST(ParseStrictJson, AllowsSameKeyInDifferentObjects) {
  EXPECT_TRUE(ParseStrictJson(R"({"a": {"x": 1}, "b": {"x": 2}})", "doc").has_value());
}

TEST(ParseStrictJson, RejectsDeepNestingWithoutRecursing) {
  // A million levels would overflow a recursive parser's stack; this one stops at the limit.
  const std::string deep = std::string(1'000'000, '[') + std::string(1'000'000, ']');
  auto value = ParseStrictJson(deep, "image manifest");
  ASSERT_FALSE(value.has_value());
  EXPECT_NE(value.error().message.find("nested deeper than 64 levels"), std::string::npos)
      << value.error().message;

  std::string ok = std::string(63, '[') + std::string(63, ']');
  EXPECT_TRUE(ParseStrictJson(ok, "doc").has_value());
  std::string too_deep = std::string(65, '[') + std::string(65, ']');
  EXPECT_FALSE(ParseStrictJson(too_deep, "doc").has_value());
}

TEST(ParseStrictJson, RejectsOversizedDocumentsBeforeParsing) {
  const std::string huge(100 * 1000 * 1000, ' ');
  auto value = ParseStrictJson(huge, "image manifest");
  ASSERT_FALSE(value.has_value());
  EXPECT_EQ(value.error().message,
            "image manifest is 100000000 bytes; documents over 4194304 bytes (4 MiB) are refused");
}

TEST(ParseStrictJson, ReportsSyntaxErrorsWithLineAndColumn) {
  auto value = ParseStrictJson("{\n  \"a\": tru\n}", "image index");
  ASSERT_FALSE(value.has_value());
  EXPECT_NE(value.error().message.find("image index is not valid JSON: parse error at line 3"),
            std::string::npos)
      << value.error().message;

  for (std::string_view bad : {"", "{", "{\"a\":1} x", "[1,]", "\"\xff\"", "1e99999", "{'a':1}"}) {
    SCOPED_TRACE(bad);
    auto result = ParseStrictJson(bad, "doc");
    ASSERT_FALSE(result.has_value());
    EXPECT_NE(result.error().message.find("doc is not valid JSON"), std::string::npos)
        << result.error().message;
  }
}

TEST(Fields, NamesFieldAndExpectedType) {
  auto value = ParseStrictJson(
      R"({"s": 1, "n": "1", "neg": -3, "big": 18446744073709551615, "f": 1.0,
          "arr": ["a", 2], "map": {"k": true}, "null": null})",
      "doc");
  ASSERT_TRUE(value.has_value());
  auto fields = Fields::Of(*value, "config");
  ASSERT_TRUE(fields.has_value());

  auto s = fields->String("s");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().where, "config.s");
  EXPECT_EQ(s.error().message, "expected a string, got integer");

  EXPECT_EQ(fields->NonNegativeInt("n").error().message, "expected an integer, got string");
  EXPECT_EQ(fields->NonNegativeInt("neg").error().message, "must not be negative, got -3");
  EXPECT_NE(fields->NonNegativeInt("big").error().message.find("out of range"), std::string::npos);
  EXPECT_EQ(fields->NonNegativeInt("f").error().message, "expected an integer, got number");
  EXPECT_EQ(fields->NonNegativeInt("null").error().message, "expected an integer, got null");
  EXPECT_EQ(fields->NonNegativeInt("missing").error().message, "missing required field");
  EXPECT_EQ(fields->NonNegativeInt("missing").error().where, "config.missing");

  auto arr = fields->OptionalStringArray("arr");
  ASSERT_FALSE(arr.has_value());
  EXPECT_EQ(arr.error().where, "config.arr[1]");
  auto map = fields->OptionalStringMap("map");
  ASSERT_FALSE(map.has_value());
  EXPECT_EQ(map.error().where, "config.map.k");

  // Optional fields set to null read as absent, as Go's encoding/json reads them.
  auto null_string = fields->OptionalString("null");
  ASSERT_TRUE(null_string.has_value());
  EXPECT_FALSE(null_string->has_value());
  auto null_object = fields->Object("null", false);
  ASSERT_TRUE(null_object.has_value());
  EXPECT_EQ(*null_object, nullptr);
  EXPECT_FALSE(fields->Object("null", true).has_value());
}

TEST(Fields, RejectsNonObjects) {
  auto value = ParseStrictJson("[1]", "doc");
  ASSERT_TRUE(value.has_value());
  auto fields = Fields::Of(*value, "");
  ASSERT_FALSE(fields.has_value());
  EXPECT_EQ(fields.error().ToString(), "(document): expected an object, got array");
}

TEST(JoinPath, QuotesUnusualKeys) {
  EXPECT_EQ(JoinPath("", "a"), "a");
  EXPECT_EQ(JoinPath("a", "os.version"), "a.os.version");
  EXPECT_EQ(JoinPath("annotations", "org.opencontainers.image.ref.name"),
            "annotations.org.opencontainers.image.ref.name");
  EXPECT_EQ(JoinPath("annotations", "a b"), "annotations[\"a b\"]");
  EXPECT_EQ(JoinPath("m", 3), "m[3]");
}

TEST(Quote, EscapesAndCuts) {
  EXPECT_EQ(Quote("a\"b\\c\n"), "\"a\\\"b\\\\c\\x0a\"");
  EXPECT_EQ(Quote(std::string(300, 'x'), 4), "\"xxxx\"...");
}

}  // namespace
}  // namespace pullsim::oci::internal
