#pragma once
// The little UTF-8 and Unicode knowledge upstream's Go code brings with it: strict decoding as
// utf8.DecodeRuneInString does it, unicode.ToLower's "is this a capital", unicode.IsPrint.

#include <cstddef>
#include <string_view>

namespace pullsim::reference::internal {

inline constexpr char32_t kRuneError = 0xFFFD;

struct DecodedRune {
  char32_t rune;      // kRuneError for an invalid sequence
  std::size_t width;  // bytes consumed: 1 for an invalid sequence (as Go), 1..4 otherwise
};

// Decodes the rune starting at text[pos] (pos < text.size()). Overlong forms, surrogates and
// values above U+10FFFF are invalid, as in Go.
[[nodiscard]] DecodedRune DecodeRune(std::string_view text, std::size_t pos);

// Go's unicode.ToLower(r) != r.
[[nodiscard]] bool LowerChanges(char32_t rune);

// Go's unicode.IsPrint(r): letters, marks, numbers, punctuation, symbols and U+0020.
[[nodiscard]] bool IsPrint(char32_t rune);

}  // namespace pullsim::reference::internal
