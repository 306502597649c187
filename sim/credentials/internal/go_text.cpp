#include "sim/credentials/internal/go_text.h"

namespace pullsim::credentials::internal {
namespace {

constexpr char kHex[] = "0123456789abcdef";

bool IsContinuation(unsigned char c) { return c >= 0x80 && c <= 0xBF; }

// An approximation of Go's unicode.IsPrint for non-ASCII runes: letters, marks, numbers,
// punctuation and symbols print; spaces, controls, format characters, private use and
// non-characters are escaped. Exact for Latin-1 and the common format characters.
bool IsPrintNonAscii(char32_t r) {
  if (r < 0xA1 || r == 0xAD) return false;                        // C1 controls, NBSP, soft hyphen
  if (r == 0x1680 || (r >= 0x2000 && r <= 0x200F)) return false;  // spaces, zero-width marks
  if (r >= 0x2028 && r <= 0x202F) return false;                   // separators, bidi controls
  if (r >= 0x205F && r <= 0x206F) return false;
  if (r == 0x3000 || r == 0xFEFF) return false;
  if (r >= 0xD800 && r <= 0xDFFF) return false;
  if (r >= 0xE000 && r <= 0xF8FF) return false;  // private use
  if (r >= 0xFFF9 && r <= 0xFFFB) return false;
  if ((r & 0xFFFE) == 0xFFFE) return false;  // non-characters
  if (r >= 0xF0000) return false;            // private use planes
  return r <= 0x10FFFF;
}

}  // namespace

DecodedRune DecodeRune(std::string_view text) {
  if (text.empty()) return {kRuneError, 0};
  auto b0 = static_cast<unsigned char>(text[0]);
  if (b0 < 0x80) return {b0, 1};
  auto at = [&](std::size_t i) -> unsigned char {
    return i < text.size() ? static_cast<unsigned char>(text[i]) : 0;
  };
  std::size_t size = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    size = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    size = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;  // no UTF-16 surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    size = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return {kRuneError, 1};
  }
  unsigned char b1 = at(1);
  if (b1 < lo || b1 > hi) return {kRuneError, 1};
  for (std::size_t i = 2; i < size; ++i) {
    if (!IsContinuation(at(i))) return {kRuneError, 1};
  }
  char32_t rune = 0;
  if (size == 2) {
    rune = (char32_t{b0} & 0x1F) << 6 | (char32_t{b1} & 0x3F);
  } else if (size == 3) {
    rune = (char32_t{b0} & 0x0F) << 12 | (char32_t{b1} & 0x3F) << 6 | (char32_t{at(2)} & 0x3F);
  } else {
    rune = (char32_t{b0} & 0x07) << 18 | (char32_t{b1} & 0x3F) << 12 |
           (char32_t{at(2)} & 0x3F) << 6 | (char32_t{at(3)} & 0x3F);
  }
  return {rune, size};
}

void AppendRune(std::string& out, char32_t rune) {
  if (rune > 0x10FFFF || (rune >= 0xD800 && rune <= 0xDFFF)) rune = kRuneError;
  if (rune < 0x80) {
    out.push_back(static_cast<char>(rune));
  } else if (rune < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (rune >> 6)));
    out.push_back(static_cast<char>(0x80 | (rune & 0x3F)));
  } else if (rune < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (rune >> 12)));
    out.push_back(static_cast<char>(0x80 | ((rune >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (rune & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (rune >> 18)));
    out.push_back(static_cast<char>(0x80 | ((rune >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((rune >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (rune & 0x3F)));
  }
}

std::string GoQuote(std::string_view text) {
  std::string out = "\"";
  std::size_t i = 0;
  while (i < text.size()) {
    DecodedRune d = DecodeRune(text.substr(i));
    if (d.rune == kRuneError && d.size == 1) {
      auto byte = static_cast<unsigned char>(text[i]);
      out += "\\x";
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
      ++i;
      continue;
    }
    char32_t r = d.rune;
    if (r == '"' || r == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(r));
    } else if (r >= 0x20 && r < 0x7F) {
      out.push_back(static_cast<char>(r));
    } else if (r >= 0x80 && IsPrintNonAscii(r)) {
      out.append(text.substr(i, d.size));
    } else {
      switch (r) {
        case '\a':
          out += "\\a";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\v':
          out += "\\v";
          break;
        default:
          if (r < 0x20 || r == 0x7F) {
            out += "\\x";
            out.push_back(kHex[(r >> 4) & 0xF]);
            out.push_back(kHex[r & 0xF]);
          } else if (r < 0x10000) {
            out += "\\u";
            for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kHex[(r >> shift) & 0xF]);
          } else {
            out += "\\U";
            for (int shift = 28; shift >= 0; shift -= 4) out.push_back(kHex[(r >> shift) & 0xF]);
          }
      }
    }
    i += d.size;
  }
  out.push_back('"');
  return out;
}

std::string ToValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    DecodedRune d = DecodeRune(text.substr(i));
    if (d.rune == kRuneError && d.size == 1) {
      AppendRune(out, kRuneError);
    } else {
      out.append(text.substr(i, d.size));
    }
    i += d.size;
  }
  return out;
}

}  // namespace pullsim::credentials::internal
