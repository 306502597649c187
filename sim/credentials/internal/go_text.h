#pragma once
// Text helpers that behave like Go's unicode/utf8 and strconv, so that error messages and
// decoded strings match what the kubelet (a Go program) produces byte for byte.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace pullsim::credentials::internal {

inline constexpr char32_t kRuneError = 0xFFFD;

struct DecodedRune {
  char32_t rune;
  std::size_t size;  // bytes consumed; 1 for an invalid byte (rune is then kRuneError)
};

// utf8.DecodeRuneInString: the first rune of `text`; {kRuneError, 1} on invalid UTF-8 and
// {kRuneError, 0} on empty input.
[[nodiscard]] DecodedRune DecodeRune(std::string_view text);

// utf8.AppendRune: appends the UTF-8 encoding of `rune` (invalid runes become U+FFFD).
void AppendRune(std::string& out, char32_t rune);

// strconv.Quote: a double-quoted Go string literal with Go's escapes.
[[nodiscard]] std::string GoQuote(std::string_view text);

// Replaces every invalid UTF-8 byte with U+FFFD (strings.ToValidUTF8 with one replacement per
// byte), for printing input that may be hostile.
[[nodiscard]] std::string ToValidUtf8(std::string_view text);

}  // namespace pullsim::credentials::internal
