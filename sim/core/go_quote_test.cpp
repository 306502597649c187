// Go's strconv.Quote (%q), the exact unicode.IsPrint included.
#include "sim/core/go_quote.h"

#include <string>

#include <gtest/gtest.h>

namespace pullsim {
namespace {

TEST(GoQuote, QuotesAsFmtQ) {
  const struct {
    std::string_view input;
    std::string_view quoted;
  } kCases[] = {
      {"", R"("")"},
      {" nginx", R"(" nginx")"},
      {"a\"b\\c", R"("a\"b\\c")"},
      {"tab\there\n", R"("tab\there\n")"},
      {"\a\b\f\r\v", R"("\a\b\f\r\v")"},
      {"\x7f\x01", R"("\x7f\x01")"},
      {std::string_view("nul\0", 4), R"("nul\x00")"},
      {"\xff\xfe", R"("\xff\xfe")"},                 // invalid UTF-8, byte by byte
      {"caf\xc3\xa9", "\"caf\xc3\xa9\""},            // é is printable
      {"\xc2\xa0", R"("\u00a0")"},                   // no-break space is not
      {"\xc2\x85", R"("\u0085")"},                   // a C1 control
      {"\xe2\x80\x8b", R"("\u200b")"},               // zero-width space, a format character
      {"\xef\xbf\xbd", "\"\xef\xbf\xbd\""},          // an encoded U+FFFD prints as is
      {"\xF0\x9F\x90\xB3", "\"\xF0\x9F\x90\xB3\""},  // 🐳
      {"\xF3\xA0\x80\x81", R"("\U000e0001")"},       // a format character outside the BMP
      {"\xED\xA0\x80", R"("\xed\xa0\x80")"},         // a surrogate is invalid UTF-8
      {"\xCD\xB8", R"("\u0378")"},                   // unassigned
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.quoted);
    EXPECT_EQ(GoQuote(c.input), c.quoted);
  }
}

}  // namespace
}  // namespace pullsim
