#pragma once
// Go's strconv.Quote (what fmt's %q prints for a string), so the kubelet's REF-10 message
// `couldn't parse image name "<image>": ...` comes out byte for byte as upstream's.

#include <string>
#include <string_view>

namespace pullsim::reference::internal {

// `text` in double quotes: `"` and `\` backslashed; \a \b \f \n \r \t \v; other control bytes and
// invalid UTF-8 bytes as \xNN; non-printable runes as \uNNNN or \UNNNNNNNN; the rest as is.
[[nodiscard]] std::string GoQuote(std::string_view text);

}  // namespace pullsim::reference::internal
