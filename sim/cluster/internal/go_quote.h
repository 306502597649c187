#pragma once
// Go's strconv.Quote, as fmt's %q prints a string in the API server's messages
// (`Invalid value: " nginx": ...`, `pods "web" is forbidden: ...`).

#include <string>
#include <string_view>

namespace pullsim::cluster::internal {

// `text` in double quotes: `"` and `\` backslashed; \a \b \f \n \r \t \v; other control bytes and
// invalid UTF-8 bytes as \xNN; non-printable runes as \uNNNN or \UNNNNNNNN; the rest as is.
[[nodiscard]] std::string GoQuote(std::string_view text);

// The UTF-8 encoding of code point `rune` (Go's string(rune)).
[[nodiscard]] std::string EncodeRune(char32_t rune);

}  // namespace pullsim::cluster::internal
