#include "sim/report/internal/text.h"

#include <cstddef>

#include "sim/core/unicode.h"

namespace pullsim::report::internal {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Calls `plain(begin, end)` for runs of bytes that need no change and `special(cp, bytes)` for
// each other code point (`bytes` empty for an invalid sequence, which consumes one byte).
template <typename NeedsWork, typename Plain, typename Special>
void Walk(std::string_view text, NeedsWork needs_work, Plain plain, Special special) {
  std::size_t run = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80 && !needs_work(static_cast<char32_t>(c))) {
      ++i;
      continue;
    }
    // Go's strict decoding: an overlong form, surrogate, value past U+10FFFF, truncated sequence
    // or stray continuation byte is one invalid byte.
    const DecodedRune cp = DecodeRune(text, i);
    const bool invalid = cp.rune == kRuneError && cp.width == 1;
    if (!invalid && cp.rune >= 0x80 && !needs_work(cp.rune)) {
      i += cp.width;
      continue;
    }
    if (run < i) plain(text.substr(run, i - run));
    if (invalid) {
      special(U'\uFFFD', std::string_view{});
      i += 1;
    } else {
      special(cp.rune, text.substr(i, cp.width));
      i += cp.width;
    }
    run = i;
  }
  if (run < text.size()) plain(text.substr(run));
}

// Appends the entity for & < > " or ' (HTML and XML spell them alike but for the apostrophe);
// false for any other character.
bool AppendMarkupEntity(std::string& out, char32_t c, std::string_view apostrophe) {
  switch (c) {
    case '&':
      out += "&amp;";
      return true;
    case '<':
      out += "&lt;";
      return true;
    case '>':
      out += "&gt;";
      return true;
    case '"':
      out += "&quot;";
      return true;
    case '\'':
      out += apostrophe;
      return true;
    default:
      return false;
  }
}

void AppendHex4(std::string& out, unsigned value) {
  constexpr char kHex[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(value >> shift) & 0xFu];
}

std::string FormatFixed(std::chrono::nanoseconds d, std::int64_t unit, int max_decimals) {
  std::int64_t ns = d.count();
  std::string out;
  std::uint64_t magnitude;
  if (ns < 0) {
    out += '-';
    magnitude = static_cast<std::uint64_t>(-(ns + 1)) + 1;
  } else {
    magnitude = static_cast<std::uint64_t>(ns);
  }
  std::uint64_t u = static_cast<std::uint64_t>(unit);
  out += std::to_string(magnitude / u);
  std::uint64_t rest = magnitude % u;
  // unit is a power of ten; write the fraction with its full width, then trim.
  std::string fraction;
  for (std::uint64_t scale = u / 10; scale > 0; scale /= 10) {
    fraction += static_cast<char>('0' + (rest / scale) % 10);
  }
  if (static_cast<int>(fraction.size()) > max_decimals) {
    fraction.resize(static_cast<std::size_t>(max_decimals));
  }
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  if (!fraction.empty()) out += "." + fraction;
  return out;
}

}  // namespace

void AppendValidUtf8(std::string& out, std::string_view text) {
  Walk(
      text, [](char32_t) { return false; }, [&](std::string_view run) { out += run; },
      [&](char32_t, std::string_view) { out += kReplacement; });
}

void AppendHtml(std::string& out, std::string_view text) {
  auto needs_work = [](char32_t c) {
    return c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' ||
           (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
  };
  Walk(
      text, needs_work, [&](std::string_view run) { out += run; },
      [&](char32_t c, std::string_view) {
        if (!AppendMarkupEntity(out, c, "&#39;")) out += kReplacement;
      });
}

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendHtml(out, text);
  return out;
}

void AppendXml(std::string& out, std::string_view text, bool attribute) {
  auto needs_work = [attribute](char32_t c) {
    if (c == '&' || c == '<' || c == '>' || c == '"' || c == '\'') return true;
    if (c == '\t' || c == '\n' || c == '\r') return attribute;
    return c < 0x20 || c == 0xFFFE || c == 0xFFFF;
  };
  Walk(
      text, needs_work, [&](std::string_view run) { out += run; },
      [&](char32_t c, std::string_view) {
        if (AppendMarkupEntity(out, c, "&apos;")) return;
        switch (c) {
          case '\t':
            out += "&#9;";
            break;
          case '\n':
            out += "&#10;";
            break;
          case '\r':
            out += "&#13;";
            break;
          case U'\uFFFD':
            out += kReplacement;  // an invalid UTF-8 sequence
            break;
          default:
            break;  // not an XML 1.0 character: removed
        }
      });
}

std::string EscapeXml(std::string_view text, bool attribute) {
  std::string out;
  out.reserve(text.size());
  AppendXml(out, text, attribute);
  return out;
}

void AppendJsonString(std::string& out, std::string_view text, bool html_safe) {
  auto needs_work = [html_safe](char32_t c) {
    if (c < 0x20 || c == '"' || c == '\\') return true;
    return html_safe && (c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029);
  };
  out += '"';
  Walk(
      text, needs_work, [&](std::string_view run) { out += run; },
      [&](char32_t c, std::string_view) {
        switch (c) {
          case '"':
            out += "\\\"";
            break;
          case '\\':
            out += "\\\\";
            break;
          case '\n':
            out += "\\n";
            break;
          case '\t':
            out += "\\t";
            break;
          case '\r':
            out += "\\r";
            break;
          case U'\uFFFD':
            out += kReplacement;
            break;
          default:
            AppendHex4(out, static_cast<unsigned>(c));
        }
      });
  out += '"';
}

std::string FormatMilliseconds(std::chrono::nanoseconds d) { return FormatFixed(d, 1'000'000, 6); }

std::string FormatSeconds(std::chrono::nanoseconds d) { return FormatFixed(d, 1'000'000'000, 3); }

}  // namespace pullsim::report::internal
