#pragma once
// Helpers the node's registry client shares between its files: HTTP and WWW-Authenticate
// details, spelled as containerd (Go's net/http) spells them.

#include <optional>
#include <string>
#include <string_view>

#include "sim/core/error.h"
#include "sim/oci/registry_transport.h"

namespace pullsim::node::internal {

// containerd's resolver wording for a refused authorization, and its ErrInvalidAuthorization.
inline constexpr std::string_view kPullAccessDenied =
    "pull access denied, repository does not exist or may require authorization: ";
inline constexpr std::string_view kAuthorizationFailed = "authorization failed";

// Standard base64 with padding (RFC 4648), for Basic credentials.
[[nodiscard]] std::string Base64(std::string_view bytes);
// Go's url.Error spells the method with one capital: `Get "https://...": EOF`.
[[nodiscard]] std::string GoMethod(oci::HttpMethod method);
// A challenge parameter ("realm", "service", "error"), "" when absent.
[[nodiscard]] std::string Param(const oci::AuthChallenge& challenge, const std::string& name);
[[nodiscard]] bool IsScheme(const oci::AuthChallenge& challenge, std::string_view scheme);
// The Bearer or Basic challenge of a 401 (Bearer preferred), nullopt when it offers neither.
[[nodiscard]] std::optional<oci::AuthChallenge> SupportedChallenge(
    const oci::RegistryResponse& response);
// The WWW-Authenticate value as sent, "" when absent.
[[nodiscard]] std::string ChallengeText(const oci::RegistryResponse& response);
// The ErrorCode of an unsuccessful status (401, 403, 404, 429, 5xx; other 4xx: invalid argument).
[[nodiscard]] ErrorCode CodeForStatus(int status);

}  // namespace pullsim::node::internal
