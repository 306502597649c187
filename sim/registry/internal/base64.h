#pragma once
// Standard base64 (RFC 4648 §4) for Basic credentials.

#include <optional>
#include <string>
#include <string_view>

namespace pullsim::registry::internal {

[[nodiscard]] std::string Base64Encode(std::string_view bytes);
// nullopt for characters outside the alphabet or bad padding.
[[nodiscard]] std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace pullsim::registry::internal
