#pragma once
// Kubelet credential provider plugins (CRED-17, the docs' "vendor-specific extensions"): the
// CredentialProviderConfig file, and plugins simulated by functions that answer as a plugin's
// CredentialProviderResponse would, cached on a pullsim::Clock the way the kubelet caches them
// (per image, per registry or globally; for the response's cacheDuration or the plugin's
// defaultCacheDuration).

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/credentials/docker_config.h"
#include "sim/credentials/keyring.h"

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

// The simulated plugin binary: called with the image (the repository the kubelet looks up);
// an error stands for a failed exec and yields no credentials.
using CredentialProviderFunction =
    std::function<Result<CredentialProviderResponse>(std::string_view image)>;

// One registered plugin with its cache.
class CredentialProviderPlugin {
 public:
  CredentialProviderPlugin(CredentialProviderSpec spec, CredentialProviderFunction function,
                           const Clock& clock);

  // CRED-17: the credentials this plugin provides for `image`: none unless a matchImages
  // pattern matches (CRED-07 rules); from the cache while an entry for the image, its registry
  // or "global" is fresh; otherwise from the function, cached unless the duration is 0.
  [[nodiscard]] DockerConfig Provide(std::string_view image);

  [[nodiscard]] const CredentialProviderSpec& spec() const { return spec_; }
  [[nodiscard]] bool IsImageAllowed(std::string_view image) const;
  // How many times the simulated binary ran (cache misses that reached it).
  [[nodiscard]] int exec_count() const { return exec_count_; }
  // Errors from runs that failed, as the kubelet logs them.
  [[nodiscard]] const std::vector<std::string>& errors() const { return errors_; }

 private:
  struct CacheEntry {
    DockerConfig credentials;
    Timestamp expires_at;
  };
  const DockerConfig* Cached(const std::string& key);

  CredentialProviderSpec spec_;
  CredentialProviderFunction function_;
  const Clock& clock_;
  std::map<std::string, CacheEntry, std::less<>> cache_;
  int exec_count_ = 0;
  std::vector<std::string> errors_;
};

// All plugins of a node, in config order.
class CredentialProviderPlugins {
 public:
  void Register(std::unique_ptr<CredentialProviderPlugin> plugin);
  // CRED-11/17: externalCredentialProviderKeyring.Lookup's keyring: every plugin's answer for
  // `image` added to ONE keyring, in plugin order, each credential tagged "plugin NAME".
  [[nodiscard]] Keyring MakeKeyring(std::string_view image);
  [[nodiscard]] CredentialProviderPlugin* Find(std::string_view name);
  [[nodiscard]] bool empty() const { return plugins_.empty(); }

 private:
  std::vector<std::unique_ptr<CredentialProviderPlugin>> plugins_;
};

}  // namespace pullsim::credentials
