#include "sim/core/unicode.h"

#include <algorithm>
#include <span>

#include "sim/core/internal/unicode_tables.h"

namespace pullsim {
namespace {

bool InTable(std::span<const internal::UnicodeRange> table, char32_t rune) {
  // The table is sorted by `lo` and its ranges do not overlap: find the last range with lo <= rune.
  auto it = std::upper_bound(
      table.begin(), table.end(), rune,
      [](char32_t r, const internal::UnicodeRange& range) { return r < range.lo; });
  if (it == table.begin()) return false;
  --it;
  return rune <= it->hi && (rune - it->lo) % it->stride == 0;
}

bool IsContinuation(unsigned char byte) { return (byte & 0xC0U) == 0x80U; }

}  // namespace

DecodedRune DecodeRune(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return {kRuneError, 0};
  const auto byte_at = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char b0 = byte_at(pos);
  const std::size_t left = text.size() - pos;
  if (b0 < 0x80U) return {b0, 1};
  constexpr DecodedRune kInvalid{kRuneError, 1};
  if (b0 >= 0xC2U && b0 <= 0xDFU) {
    if (left < 2 || !IsContinuation(byte_at(pos + 1))) return kInvalid;
    return {static_cast<char32_t>((b0 & 0x1FU) << 6U | (byte_at(pos + 1) & 0x3FU)), 2};
  }
  if (b0 >= 0xE0U && b0 <= 0xEFU) {
    if (left < 3) return kInvalid;
    const unsigned char b1 = byte_at(pos + 1);
    const unsigned char b2 = byte_at(pos + 2);
    // E0 needs A0..BF (no overlong forms); ED needs 80..9F (no surrogates).
    const unsigned char lo = b0 == 0xE0U ? 0xA0U : 0x80U;
    const unsigned char hi = b0 == 0xEDU ? 0x9FU : 0xBFU;
    if (b1 < lo || b1 > hi || !IsContinuation(b2)) return kInvalid;
    return {static_cast<char32_t>((b0 & 0x0FU) << 12U | (b1 & 0x3FU) << 6U | (b2 & 0x3FU)), 3};
  }
  if (b0 >= 0xF0U && b0 <= 0xF4U) {
    if (left < 4) return kInvalid;
    const unsigned char b1 = byte_at(pos + 1);
    const unsigned char b2 = byte_at(pos + 2);
    const unsigned char b3 = byte_at(pos + 3);
    // F0 needs 90..BF (no overlong forms); F4 needs 80..8F (nothing above U+10FFFF).
    const unsigned char lo = b0 == 0xF0U ? 0x90U : 0x80U;
    const unsigned char hi = b0 == 0xF4U ? 0x8FU : 0xBFU;
    if (b1 < lo || b1 > hi || !IsContinuation(b2) || !IsContinuation(b3)) return kInvalid;
    return {static_cast<char32_t>((b0 & 0x07U) << 18U | (b1 & 0x3FU) << 12U | (b2 & 0x3FU) << 6U |
                                  (b3 & 0x3FU)),
            4};
  }
  return kInvalid;
}

DecodedRune DecodeLastRune(std::string_view text) {
  if (text.empty()) return {kRuneError, 0};
  const std::size_t end = text.size();
  if (static_cast<unsigned char>(text.back()) < 0x80U) {
    return {static_cast<unsigned char>(text.back()), 1};
  }
  // Step back to the byte that starts the sequence, at most four bytes from the end.
  std::size_t start = end - 1;
  const std::size_t limit = end >= 4 ? end - 4 : 0;
  while (start > limit && IsContinuation(static_cast<unsigned char>(text[start]))) --start;
  const DecodedRune decoded = DecodeRune(text, start);
  if (start + decoded.width != end) return {kRuneError, 1};
  return decoded;
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

bool IsPrint(char32_t rune) {
  if (rune < 0x80U) return rune >= 0x20U && rune < 0x7FU;
  return !InTable(internal::kNotPrintable, rune);
}

bool IsSpace(char32_t rune) {
  switch (rune) {
    case U'\t':
    case U'\n':
    case U'\v':
    case U'\f':
    case U'\r':
    case U' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return rune >= 0x2000 && rune <= 0x200A;
  }
}

std::string_view TrimSpace(std::string_view text) {
  while (!text.empty()) {
    const DecodedRune first = DecodeRune(text);
    // An invalid byte decodes to U+FFFD, which is not space, so the loop stops there.
    if (!IsSpace(first.rune)) break;
    text.remove_prefix(first.width);
  }
  while (!text.empty()) {
    const DecodedRune last = DecodeLastRune(text);
    if (!IsSpace(last.rune)) break;
    text.remove_suffix(last.width);
  }
  return text;
}

bool LowerChanges(char32_t rune) {
  if (rune < 0x80U) return rune >= U'A' && rune <= U'Z';
  return InTable(internal::kLowerChanges, rune);
}

}  // namespace pullsim
