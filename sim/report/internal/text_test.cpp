#include "sim/report/internal/text.h"

#include <chrono>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/report/sample_results.h"

namespace pullsim::report::internal {
namespace {

using namespace std::chrono_literals;

struct EscapeCase {
  std::string_view input;
  std::string_view html;
  std::string_view xml_text;
  std::string_view xml_attribute;
  std::string_view json;  // html-safe
};

constexpr EscapeCase kCases[] = {
    {"plain", "plain", "plain", "plain", "\"plain\""},
    {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;",
     "&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;",
     "\"\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\""},
    {"a\"b'c&d", "a&quot;b&#39;c&amp;d", "a&quot;b&apos;c&amp;d", "a&quot;b&apos;c&amp;d",
     "\"a\\\"b'c\\u0026d\""},
    {"tab\tline\ncr\r", "tab\tline\ncr\r", "tab\tline\ncr\r", "tab&#9;line&#10;cr&#13;",
     "\"tab\\tline\\ncr\\r\""},
    // Non-ASCII stays as it is.
    {"\xC3\xA9t\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x9A\x80",
     "\xC3\xA9t\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x9A\x80",
     "\xC3\xA9t\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x9A\x80",
     "\xC3\xA9t\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x9A\x80",
     "\"\xC3\xA9t\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x9A\x80\""},
    // Invalid UTF-8 (truncated, stray continuation, overlong, surrogate) becomes U+FFFD.
    {"a\xC3(b\x80"
     "c\xC0\xAF"
     "d\xED\xA0\x80",
     "a\xEF\xBF\xBD(b\xEF\xBF\xBD"
     "c\xEF\xBF\xBD\xEF\xBF\xBD"
     "d\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD",
     "a\xEF\xBF\xBD(b\xEF\xBF\xBD"
     "c\xEF\xBF\xBD\xEF\xBF\xBD"
     "d\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD",
     "a\xEF\xBF\xBD(b\xEF\xBF\xBD"
     "c\xEF\xBF\xBD\xEF\xBF\xBD"
     "d\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD",
     "\"a\xEF\xBF\xBD(b\xEF\xBF\xBD"
     "c\xEF\xBF\xBD\xEF\xBF\xBD"
     "d\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""},
    // Control characters: HTML shows U+FFFD, XML drops them, JSON escapes them.
    {"bell\x07!", "bell\xEF\xBF\xBD!", "bell!", "bell!", "\"bell\\u0007!\""},
    // U+FFFE is not an XML character; U+2028 would end a line in old JavaScript.
    {"\xEF\xBF\xBE|\xE2\x80\xA8", "\xEF\xBF\xBE|\xE2\x80\xA8", "|\xE2\x80\xA8", "|\xE2\x80\xA8",
     "\"\xEF\xBF\xBE|\\u2028\""},
    {"]]></x><!--", "]]&gt;&lt;/x&gt;&lt;!--", "]]&gt;&lt;/x&gt;&lt;!--", "]]&gt;&lt;/x&gt;&lt;!--",
     "\"]]\\u003e\\u003c/x\\u003e\\u003c!--\""},
};

TEST(Escape, HostileStringsInEveryContext) {
  for (const EscapeCase& c : kCases) {
    SCOPED_TRACE(std::string(c.input));
    EXPECT_EQ(EscapeHtml(c.input), c.html);
    EXPECT_EQ(EscapeXml(c.input, /*attribute=*/false), c.xml_text);
    EXPECT_EQ(EscapeXml(c.input, /*attribute=*/true), c.xml_attribute);
    std::string json;
    AppendJsonString(json, c.input, /*html_safe=*/true);
    EXPECT_EQ(json, c.json);
  }
}

TEST(Escape, NulByteIsNeverPassedThrough) {
  std::string input("a\0b", 3);
  EXPECT_EQ(EscapeHtml(input),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(EscapeXml(input), "ab");
  std::string json;
  AppendJsonString(json, input, false);
  EXPECT_EQ(json, "\"a\\u0000b\"");
}

TEST(Escape, JsonWithoutHtmlSafetyKeepsMarkupReadable) {
  std::string json;
  AppendJsonString(json, "<a href=\"x\">&</a>", /*html_safe=*/false);
  EXPECT_EQ(json, "\"<a href=\\\"x\\\">&</a>\"");
}

// The long hostile text: nothing that could open markup survives, and it stays valid UTF-8.
TEST(Escape, LongHostileTextIsInertEverywhere) {
  std::string text = testing::HostileText(20000);
  std::string html = EscapeHtml(text);
  EXPECT_EQ(html.find_first_of("<>\"'"), std::string::npos);
  std::string clean;
  AppendValidUtf8(clean, html);
  EXPECT_EQ(clean, html) << "escaped HTML is not valid UTF-8";

  std::string xml = EscapeXml(text, /*attribute=*/true);
  EXPECT_EQ(xml.find_first_of("<>\"'"), std::string::npos);
  for (char c : xml) {
    unsigned char u = static_cast<unsigned char>(c);
    EXPECT_FALSE(u < 0x20) << "control character " << static_cast<int>(u) << " in XML";
  }
  EXPECT_EQ(xml.find("\xEF\xBF\xBE"), std::string::npos) << "U+FFFE in XML";

  std::string json;
  AppendJsonString(json, text, /*html_safe=*/true);
  EXPECT_EQ(json.find_first_of("<>&"), std::string::npos);
  nlohmann::json parsed = nlohmann::json::parse(json, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded());
  std::string expected;
  AppendValidUtf8(expected, text);
  EXPECT_EQ(parsed.get<std::string>(), expected);
}

TEST(Format, MillisecondsAreExactDecimals) {
  EXPECT_EQ(FormatMilliseconds(0ns), "0");
  EXPECT_EQ(FormatMilliseconds(1500us), "1.5");
  EXPECT_EQ(FormatMilliseconds(10s), "10000");
  EXPECT_EQ(FormatMilliseconds(1ns), "0.000001");
  EXPECT_EQ(FormatMilliseconds(-2500us), "-2.5");
  EXPECT_EQ(FormatSeconds(1234567us), "1.234");
  EXPECT_EQ(FormatSeconds(3s), "3");
  EXPECT_EQ(FormatSeconds(0ns), "0");
}

}  // namespace
}  // namespace pullsim::report::internal
