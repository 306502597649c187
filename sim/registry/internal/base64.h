#pragma once
// Standard base64 (RFC 4648 §4) for Basic credentials, as Go's net/http BasicAuth decodes them
// (base64.StdEncoding from sim/core, after the header's trailing white space is trimmed).

#include <optional>
#include <string>
#include <string_view>

namespace pullsim::registry::internal {

[[nodiscard]] std::string Base64Encode(std::string_view bytes);
// nullopt for characters outside the alphabet or bad padding; trailing spaces and tabs (the
// header value's optional white space, which Go's HTTP server strips) are ignored.
[[nodiscard]] std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace pullsim::registry::internal
