// Go's encoding/json as pullsim reads it: syntax errors in Go's words, the nesting limit, string
// decoding and the reader. Expected texts are Go's own.
#include "sim/core/go_json.h"

#include <string>

#include <gtest/gtest.h>

namespace pullsim {
namespace {

TEST(CheckJsonSyntax, AcceptsValidDocuments) {
  for (const char* text : {"{}", " [1, -0.5e+3, true, false, null, \"\\u00e9\\n\"] ", "\"x\"", "0",
                           "{\"a\":{\"b\":[{}]}}", "null", "{\"a\":1e-400}", " {\"auths\": {}} "}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(CheckJsonSyntax(text).has_value());
  }
}

TEST(CheckJsonSyntax, ReportsGoSyntaxErrors) {
  const struct {
    std::string input;
    std::string message;
  } kCases[] = {
      {"", "unexpected end of JSON input"},
      {"   ", "unexpected end of JSON input"},
      {"{", "unexpected end of JSON input"},
      {"{\"a\":1", "unexpected end of JSON input"},
      {"{\"a\"", "unexpected end of JSON input"},
      {"{\"a", "unexpected end of JSON input"},
      {"{\"auths\": {", "unexpected end of JSON input"},
      {"{not json", "invalid character 'n' looking for beginning of object key string"},
      {"{'a':1}", "invalid character '\\'' looking for beginning of object key string"},
      {"{\"a\" 1}", "invalid character '1' after object key"},
      {"{\"a\":1 \"b\"}", "invalid character '\"' after object key:value pair"},
      {"{\"a\":1 \"b\":2}", "invalid character '\"' after object key:value pair"},
      {"{\"a\":1,}", "invalid character '}' looking for beginning of object key string"},
      {"{\"a\":}", "invalid character '}' looking for beginning of value"},
      {"{\"a\":[1,]}", "invalid character ']' looking for beginning of value"},
      {"[1 2]", "invalid character '2' after array element"},
      {"{\"a\":[1 2]}", "invalid character '2' after array element"},
      {"{} x", "invalid character 'x' after top-level value"},
      {"{\"a\":1}x", "invalid character 'x' after top-level value"},
      {"{\"a\":01}", "invalid character '1' after object key:value pair"},
      {"{\"a\":tru}", "invalid character '}' in literal true (expecting 'e')"},
      {"trux", "invalid character 'x' in literal true (expecting 'e')"},
      {"nul!", "invalid character '!' in literal null (expecting 'l')"},
      {"{\"a\":nul}", "invalid character '}' in literal null (expecting 'l')"},
      {"{\"a\":fx}", "invalid character 'x' in literal false (expecting 'a')"},
      {"-x", "invalid character 'x' in numeric literal"},
      {"{\"a\":-}", "invalid character '}' in numeric literal"},
      {"1.x", "invalid character 'x' after decimal point in numeric literal"},
      {"{\"a\":1.}", "invalid character '}' after decimal point in numeric literal"},
      {"1ex", "invalid character 'x' in exponent of numeric literal"},
      {"{\"a\":1e}", "invalid character '}' in exponent of numeric literal"},
      {"\"a\tb\"", "invalid character '\\t' in string literal"},
      {"\"\\x\"", "invalid character 'x' in string escape code"},
      {"\"\\u12g4\"", "invalid character 'g' in \\u hexadecimal character escape"},
      {"'a'", "invalid character '\\'' looking for beginning of value"},
      // At the end Go feeds the scanner one space, so a cut token complains about ' '.
      {"tru", "invalid character ' ' in literal true (expecting 'e')"},
      {"tr", "invalid character ' ' in literal true (expecting 'u')"},
      {"-", "invalid character ' ' in numeric literal"},
      {"1.", "invalid character ' ' after decimal point in numeric literal"},
      {"1e", "invalid character ' ' in exponent of numeric literal"},
      {"{\"a\":\"\\", "invalid character ' ' in string escape code"},
      {"\"\\u12", "invalid character ' ' in \\u hexadecimal character escape"},
      // A byte is quoted as the rune of its value (Go's quoteChar), escaped as %q escapes it.
      {"\xc3\xa9", "invalid character '\xc3\x83' looking for beginning of value"},
      {"\xef\xbb\xbf{}", "invalid character '\xc3\xaf' looking for beginning of value"},
      {"\x01", "invalid character '\\x01' looking for beginning of value"},
      {"\xa0", "invalid character '\\u00a0' looking for beginning of value"},
      {"\"", "unexpected end of JSON input"},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.input);
    auto error = CheckJsonSyntax(c.input);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->message, c.message);
  }
}

TEST(CheckJsonSyntax, ReportsTheOffendingOffset) {
  EXPECT_EQ(CheckJsonSyntax("{\"a\" 1}")->offset, 5u);
  EXPECT_EQ(CheckJsonSyntax("{\"a\":1")->offset, 6u);  // the end of the input
  EXPECT_EQ(CheckJsonSyntax("  x")->offset, 2u);
}

TEST(CheckJsonSyntax, LimitsNestingLikeGo) {
  std::string ok(kMaxJsonNesting, '[');
  ok += std::string(kMaxJsonNesting, ']');
  EXPECT_FALSE(CheckJsonSyntax(ok).has_value());
  std::string deep(kMaxJsonNesting + 1, '[');
  auto error = CheckJsonSyntax(deep);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message, "invalid character '[' exceeded max depth");
  EXPECT_EQ(error->offset, kMaxJsonNesting);
  // Far past the limit it is still an error, not a crash.
  EXPECT_EQ(CheckJsonSyntax(std::string(20000, '['))->message,
            "invalid character '[' exceeded max depth");
}

TEST(JsonReader, DecodesStringsLikeGo) {
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

TEST(JsonReader, SkipsDeepValuesWithoutRecursion) {
  std::string text =
      "{\"skip\":" + std::string(9000, '[') + std::string(9000, ']') + ",\"keep\":\"yes\"}";
  ASSERT_FALSE(CheckJsonSyntax(text).has_value());
  JsonReader reader(text);
  EXPECT_EQ(reader.Peek(), JsonKind::kObject);
  reader.EnterObject();
  std::string key;
  ASSERT_TRUE(reader.NextMember(key));
  EXPECT_EQ(key, "skip");
  EXPECT_EQ(reader.Peek(), JsonKind::kArray);
  reader.SkipValue();
  ASSERT_TRUE(reader.NextMember(key));
  EXPECT_EQ(key, "keep");
  EXPECT_EQ(reader.ReadString(), "yes");
  EXPECT_FALSE(reader.NextMember(key));
}

TEST(GoDecodeError, RendersLikeUnmarshalTypeError) {
  GoDecodeError type_error;
  type_error.value = std::string(GoValueWord(JsonKind::kArray));
  type_error.type = "map[string]interface {}";
  EXPECT_EQ(type_error.Message(),
            "json: cannot unmarshal array into Go value of type map[string]interface {}");
  type_error.struct_name = "DockerConfigJSON";
  type_error.field = "auths";
  type_error.type = "credentialprovider.DockerConfig";
  EXPECT_EQ(type_error.Message(),
            "json: cannot unmarshal array into Go struct field DockerConfigJSON.auths of type "
            "credentialprovider.DockerConfig");
  GoDecodeError plain;
  plain.plain = "illegal base64 data at input byte 0";
  EXPECT_FALSE(plain.is_type_error());
  EXPECT_EQ(plain.Message(), "illegal base64 data at input byte 0");
}

TEST(PositionOf, CountsLinesAndColumnsFromOne) {
  EXPECT_EQ(PositionOf("ab\ncd", 0).line, 1u);
  EXPECT_EQ(PositionOf("ab\ncd", 4).line, 2u);
  EXPECT_EQ(PositionOf("ab\ncd", 4).column, 2u);
  EXPECT_EQ(PositionOf("ab", 99).column, 3u);  // clamped to the end
}

// json.Marshal's string encoding, as Go prints it (escapeHTML on unless said otherwise).
TEST(AppendGoJsonString, EscapesAsEncodingJsonDoes) {
  struct Case {
    std::string_view text;
    std::string_view json;
  };
  constexpr Case kCases[] = {
      {"plain", R"("plain")"},
      {"a\"b\\c", R"("a\"b\\c")"},
      {"\b\f\n\r\t", R"("\b\f\n\r\t")"},
      {std::string_view("\x00\x01\x1f\x7f", 4), "\"\\u0000\\u0001\\u001f\x7f\""},
      {"<a href='x'>&</a>", R"("\u003ca href='x'\u003e\u0026\u003c/a\u003e")"},
      {"\xC3\xA9t\xC3\xA9 \xF0\x9F\x9A\x80", "\"\xC3\xA9t\xC3\xA9 \xF0\x9F\x9A\x80\""},
      // Invalid UTF-8: each byte of a bad sequence is one U+FFFD (stray continuation, surrogate,
      // overlong, truncated).
      {"a\x80"
       "b\xED\xA0\x80"
       "c\xC0\xAF"
       "d\xE2\x80",
       R"("a\ufffdb\ufffd\ufffd\ufffdc\ufffd\ufffdd\ufffd\ufffd")"},
      {"\xE2\x80\xA8|\xE2\x80\xA9", R"("\u2028|\u2029")"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(std::string(c.text));
    std::string out = "x";
    AppendGoJsonString(out, c.text);
    EXPECT_EQ(out, "x" + std::string(c.json));
  }
}

TEST(AppendGoJsonString, WithoutHtmlEscapingKeepsMarkupButNotLineSeparators) {
  std::string out;
  AppendGoJsonString(out, "<a>&\xE2\x80\xA8", /*escape_html=*/false);
  EXPECT_EQ(out, R"("<a>&\u2028")");
}

}  // namespace
}  // namespace pullsim
