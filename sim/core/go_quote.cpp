#include "sim/core/go_quote.h"

#include "sim/core/unicode.h"

namespace pullsim {
namespace {

constexpr std::string_view kLowerHex = "0123456789abcdef";

void AppendHex(std::string& out, char32_t value, int digits) {
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
    out.push_back(kLowerHex[(value >> static_cast<unsigned>(shift)) & 0xFU]);
  }
}

}  // namespace

std::string GoQuote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (std::size_t i = 0; i < text.size();) {
    // Printable ASCII other than '"' and '\\' goes through as is, a run at a time.
    std::size_t run = i;
    while (run < text.size() && text[run] >= 0x20 && text[run] < 0x7F && text[run] != '"' &&
           text[run] != '\\') {
      ++run;
    }
    if (run > i) {
      out.append(text.substr(i, run - i));
      i = run;
      continue;
    }
    const DecodedRune decoded = DecodeRune(text, i);
    const std::string_view bytes = text.substr(i, decoded.width);
    i += decoded.width;
    const char32_t rune = decoded.rune;
    if (rune == kRuneError && decoded.width == 1) {  // an invalid byte, not an encoded U+FFFD
      const auto byte = static_cast<unsigned char>(bytes.front());
      const char escaped[4] = {'\\', 'x', kLowerHex[byte >> 4U], kLowerHex[byte & 0xFU]};
      out.append(escaped, sizeof escaped);
      continue;
    }
    if (rune == U'"' || rune == U'\\') {
      out.push_back('\\');
      out += bytes;
      continue;
    }
    if (IsPrint(rune)) {
      out += bytes;
      continue;
    }
    switch (rune) {
      case U'\a':
        out += "\\a";
        continue;
      case U'\b':
        out += "\\b";
        continue;
      case U'\f':
        out += "\\f";
        continue;
      case U'\n':
        out += "\\n";
        continue;
      case U'\r':
        out += "\\r";
        continue;
      case U'\t':
        out += "\\t";
        continue;
      case U'\v':
        out += "\\v";
        continue;
      default:
        break;
    }
    if (rune < 0x20U || rune == 0x7FU) {
      const char escaped[4] = {'\\', 'x', kLowerHex[rune >> 4U], kLowerHex[rune & 0xFU]};
      out.append(escaped, sizeof escaped);
    } else if (rune < 0x10000U) {
      out += "\\u";
      AppendHex(out, rune, 4);
    } else {
      out += "\\U";
      AppendHex(out, rune, 8);
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace pullsim
