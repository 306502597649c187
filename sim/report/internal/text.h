#pragma once
// Text helpers shared by the report writers: UTF-8 clean-up and escaping for HTML, XML and JSON.
// Everything a scenario author, a registry or a test wrote goes through one of these before it
// reaches a report (hostile names must render as text, never as markup).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace pullsim::report::internal {

// Appends `text` with each invalid UTF-8 sequence replaced by U+FFFD.
void AppendValidUtf8(std::string& out, std::string_view text);

// Appends `text` escaped for HTML text and quoted attribute values: & < > " ' become
// entities; invalid UTF-8 becomes U+FFFD; control characters other than tab, line feed and
// carriage return (which HTML forbids) become U+FFFD.
void AppendHtml(std::string& out, std::string_view text);
[[nodiscard]] std::string EscapeHtml(std::string_view text);

// Appends `text` escaped for XML 1.0 text or attribute values. Characters XML 1.0 cannot carry
// (most C0 controls, U+FFFE, U+FFFF) are removed and invalid UTF-8 becomes U+FFFD. In an
// attribute, tab, line feed and carriage return become character references so parsers keep
// them.
void AppendXml(std::string& out, std::string_view text, bool attribute);
[[nodiscard]] std::string EscapeXml(std::string_view text, bool attribute = false);

// Appends `text` as a JSON string literal (quotes included), valid UTF-8. With `html_safe`,
// < > & and U+2028/U+2029 are written as \u escapes, so the JSON can sit inside a <script>
// element: no "</script", "<!--" or "]]>" can appear in it.
void AppendJsonString(std::string& out, std::string_view text, bool html_safe);

// A duration in milliseconds as an exact decimal: 1500000ns -> "1.5", 10s -> "10000".
[[nodiscard]] std::string FormatMilliseconds(std::chrono::nanoseconds d);

// A duration in seconds as an exact decimal with at most 3 decimals (JUnit "time").
[[nodiscard]] std::string FormatSeconds(std::chrono::nanoseconds d);

}  // namespace pullsim::report::internal
