#pragma once
// Go's strconv.Quote, which fmt's %q prints for a string. Upstream messages quote their input
// this way (the kubelet's `couldn't parse image name "<image>": ...`, the API server's
// `pods "web" is forbidden`), so pullsim's messages match them byte for byte.

#include <string>
#include <string_view>

namespace pullsim {

// `text` in double quotes: `"` and `\` backslashed; \a \b \f \n \r \t \v; other control bytes and
// invalid UTF-8 bytes as \xNN; runes that are not unicode.IsPrint as \uNNNN or \UNNNNNNNN; the
// rest as is. The result is always valid UTF-8.
[[nodiscard]] std::string GoQuote(std::string_view text);

}  // namespace pullsim
