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
#include "sim/credentials/provider_config.h"

namespace pullsim::credentials {

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
