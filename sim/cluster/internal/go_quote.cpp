#include "sim/cluster/internal/go_quote.h"

#include <cstdint>

namespace pullsim::cluster::internal {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void AppendHex(std::string& out, uint32_t value, int digits) {
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kHex[(value >> shift) & 0xF];
}

// Go's unicode.IsPrint, closely enough for the runes that appear in object names and images:
// letters, marks, numbers, punctuation and symbols are printable; controls, format characters,
// separators other than ASCII space, private use, surrogates and noncharacters are not.
bool IsPrint(char32_t r) {
  if (r < 0x20 || r == 0x7F) return false;
  if (r < 0x7F) return true;
  if (r < 0xA0) return false;                // C1 controls
  if (r == 0xA0 || r == 0xAD) return false;  // no-break space (Zs), soft hyphen (Cf)
  if (r == 0x1680 || (r >= 0x2000 && r <= 0x200F) || (r >= 0x2028 && r <= 0x202F)) return false;
  if ((r >= 0x205F && r <= 0x206F) || r == 0x3000 || r == 0xFEFF) return false;
  if (r >= 0xD800 && r <= 0xF8FF) return false;  // surrogates, private use
  if (r >= 0xFFF9 && r <= 0xFFFB) return false;
  if ((r & 0xFFFE) == 0xFFFE) return false;        // noncharacters
  if (r >= 0xF0000) return false;                  // private use planes
  if (r >= 0xE0000 && r <= 0xE0FFF) return false;  // tags, variation selectors supplement
  return r <= 0x10FFFF;
}

// Decodes one rune at text[i]; returns its length, or 0 for an invalid sequence.
size_t DecodeRune(std::string_view text, size_t i, char32_t& rune) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  size_t length = 0;
  char32_t min = 0;
  if (b0 < 0x80) {
    rune = b0;
    return 1;
  } else if ((b0 & 0xE0) == 0xC0) {
    length = 2, rune = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3, rune = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4, rune = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    rune = (rune << 6) | (byte(i + k) & 0x3F);
  }
  if (rune < min || rune > 0x10FFFF || (rune >= 0xD800 && rune <= 0xDFFF)) return 0;
  return length;
}

}  // namespace

std::string EncodeRune(char32_t rune) {
  std::string out;
  const auto r = static_cast<uint32_t>(rune);
  if (r < 0x80) {
    out += static_cast<char>(r);
  } else if (r < 0x800) {
    out += static_cast<char>(0xC0 | (r >> 6));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else if (r < 0x10000) {
    out += static_cast<char>(0xE0 | (r >> 12));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (r >> 18));
    out += static_cast<char>(0x80 | ((r >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  }
  return out;
}

std::string GoQuote(std::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size();) {
    char32_t rune = 0;
    const size_t length = DecodeRune(text, i, rune);
    if (length == 0) {
      out += "\\x";
      AppendHex(out, static_cast<unsigned char>(text[i]), 2);
      ++i;
      continue;
    }
    switch (rune) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
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
        if (IsPrint(rune)) {
          out.append(text.substr(i, length));
        } else if (rune < 0x20 || rune == 0x7F) {
          out += "\\x";
          AppendHex(out, static_cast<uint32_t>(rune), 2);
        } else if (rune < 0x10000) {
          out += "\\u";
          AppendHex(out, static_cast<uint32_t>(rune), 4);
        } else {
          out += "\\U";
          AppendHex(out, static_cast<uint32_t>(rune), 8);
        }
    }
    i += length;
  }
  out += '"';
  return out;
}

}  // namespace pullsim::cluster::internal
