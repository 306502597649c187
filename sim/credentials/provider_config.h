#pragma once
// Credential provider plugin configuration (CRED-17): the kubelet's CredentialProviderConfig
// file (--image-credential-provider-config) and a plugin's CredentialProviderResponse, decoded
// strictly and validated with upstream's messages.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/credentials/docker_config.h"

namespace pullsim::credentials {

// One `providers[]` entry of a CredentialProviderConfig.
struct CredentialProviderSpec {
  std::string name;
  std::vector<std::string> match_images;  // host globs per label, optional port and path
  Duration default_cache_duration{};
  std::string api_version;  // credentialprovider.kubelet.k8s.io/v1 (or v1beta1, v1alpha1)
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
};

struct CredentialProviderConfig {
  std::string api_version;  // kubelet.config.k8s.io/v1 (or v1beta1, v1alpha1)
  std::vector<CredentialProviderSpec> providers;
};

// Decodes a CredentialProviderConfig (YAML or JSON) strictly, as the kubelet does (unknown
// fields are errors), then validates it with upstream's rules and messages
// ("providers.matchImages: Required value: at least 1 item in matchImages is required").
// kInvalidArgument; `where` is file:line:col of the offending field.
[[nodiscard]] Result<CredentialProviderConfig> ParseCredentialProviderConfig(
    std::string_view text, std::string_view file_name);

// What a plugin answers (CredentialProviderResponse).
struct CredentialProviderResponse {
  enum class CacheKeyType { kImage, kRegistry, kGlobal };
  CacheKeyType cache_key_type = CacheKeyType::kImage;
  std::optional<Duration> cache_duration;  // nullopt: use the plugin's defaultCacheDuration
  DockerConfig auth;                       // match pattern -> username/password
};

// Decodes a CredentialProviderResponse (YAML or JSON) whose apiVersion must equal
// `expected_api_version`, with upstream's message when it does not.
[[nodiscard]] Result<CredentialProviderResponse> ParseCredentialProviderResponse(
    std::string_view text, std::string_view expected_api_version, std::string_view file_name);

}  // namespace pullsim::credentials
