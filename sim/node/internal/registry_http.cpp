#include "sim/node/internal/registry_http.h"

namespace pullsim::node::internal {

std::string Base64(std::string_view bytes) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const auto n = (static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16) |
                   (static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8) |
                   static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 2]));
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < bytes.size()) {
    auto n = static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16;
    if (i + 1 < bytes.size()) {
      n |= static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    }
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// Go's url.Error spells the method with one capital: `Get "https://...": EOF`.
std::string GoMethod(oci::HttpMethod method) {
  std::string name(oci::HttpMethodName(method));
  for (std::size_t i = 1; i < name.size(); ++i) {
    name[i] = static_cast<char>(name[i] - 'A' + 'a');
  }
  return name;
}

std::string Param(const oci::AuthChallenge& challenge, const std::string& name) {
  auto it = challenge.params.find(name);
  return it == challenge.params.end() ? std::string() : it->second;
}

bool IsScheme(const oci::AuthChallenge& challenge, std::string_view scheme) {
  return oci::EqualsIgnoreCase(challenge.scheme, scheme);
}

// The Bearer or Basic challenge of a 401 (Bearer preferred, as containerd takes the first it
// supports and registries that offer both list Bearer first).
std::optional<oci::AuthChallenge> SupportedChallenge(const oci::RegistryResponse& response) {
  std::optional<oci::AuthChallenge> basic;
  for (std::string_view value : response.headers.GetAll("WWW-Authenticate")) {
    Result<std::vector<oci::AuthChallenge>> parsed = oci::ParseAuthChallenges(value);
    if (!parsed) continue;
    for (oci::AuthChallenge& challenge : *parsed) {
      if (IsScheme(challenge, "Bearer")) return std::move(challenge);
      if (IsScheme(challenge, "Basic") && !basic) basic = std::move(challenge);
    }
  }
  return basic;
}

std::string ChallengeText(const oci::RegistryResponse& response) {
  auto value = response.headers.Get("WWW-Authenticate");
  return value ? std::string(*value) : std::string();
}

ErrorCode CodeForStatus(int status) {
  if (status == 401) return ErrorCode::kUnauthenticated;
  if (status == 403) return ErrorCode::kPermissionDenied;
  if (status == 404) return ErrorCode::kNotFound;
  if (status == 429) return ErrorCode::kResourceExhausted;
  if (status >= 500) return ErrorCode::kUnavailable;
  return ErrorCode::kInvalidArgument;
}

}  // namespace pullsim::node::internal
