#pragma once
// UTF-8 and Unicode as Go's unicode/utf8, unicode and strings packages see them: strict decoding
// (utf8.DecodeRuneInString, DecodeLastRuneInString), encoding (utf8.AppendRune), unicode.IsPrint,
// unicode.IsSpace, strings.TrimSpace and "does unicode.ToLower change this rune". Upstream Go
// code decides and words its messages with these, so pullsim needs the same answers byte for byte.

#include <cstddef>
#include <string>
#include <string_view>

namespace pullsim {

// utf8.RuneError, U+FFFD: what invalid UTF-8 decodes to.
inline constexpr char32_t kRuneError = 0xFFFD;

struct DecodedRune {
  char32_t rune;      // kRuneError for an invalid sequence
  std::size_t width;  // bytes consumed: 1 for an invalid sequence (as Go), 0 at the end, 1..4
};

// utf8.DecodeRuneInString(text[pos:]): overlong forms, surrogates and values above U+10FFFF are
// invalid ({kRuneError, 1}); {kRuneError, 0} when pos is at or past the end.
[[nodiscard]] DecodedRune DecodeRune(std::string_view text, std::size_t pos = 0);

// utf8.DecodeLastRuneInString: the last rune of `text`, {kRuneError, 1} when the bytes at the
// end are not one valid sequence, {kRuneError, 0} for empty text.
[[nodiscard]] DecodedRune DecodeLastRune(std::string_view text);

// utf8.AppendRune: appends the UTF-8 encoding of `rune`; surrogates and values above U+10FFFF
// become U+FFFD.
void AppendRune(std::string& out, char32_t rune);

// unicode.IsPrint(r): letters, marks, numbers, punctuation, symbols and U+0020.
[[nodiscard]] bool IsPrint(char32_t rune);

// unicode.IsSpace(r): '\t', '\n', '\v', '\f', '\r', ' ', U+0085, U+00A0 and the Unicode
// White_Space runes (U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000).
[[nodiscard]] bool IsSpace(char32_t rune);

// strings.TrimSpace: `text` without leading and trailing IsSpace runes; invalid UTF-8 is not
// space.
[[nodiscard]] std::string_view TrimSpace(std::string_view text);

// unicode.ToLower(r) != r: upper- and title-case letters.
[[nodiscard]] bool LowerChanges(char32_t rune);

}  // namespace pullsim
