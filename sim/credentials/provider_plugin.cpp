#include "sim/credentials/provider_plugin.h"

namespace pullsim::credentials {
namespace {

constexpr std::string_view kGlobalCacheKey = "global";

}  // namespace

CredentialProviderPlugin::CredentialProviderPlugin(CredentialProviderSpec spec,
                                                   CredentialProviderFunction function,
                                                   const Clock& clock)
    : spec_(std::move(spec)), function_(std::move(function)), clock_(clock) {}

bool CredentialProviderPlugin::IsImageAllowed(std::string_view image) const {
  for (const std::string& pattern : spec_.match_images) {
    auto matched = UrlsMatch(pattern, image);
    if (matched && *matched) return true;
  }
  return false;
}

const DockerConfig* CredentialProviderPlugin::Cached(const std::string& key) {
  auto it = cache_.find(key);
  if (it == cache_.end()) return nullptr;
  // The expiration store drops an entry once now is after its expiry.
  if (clock_.Now() > it->second.expires_at) {
    cache_.erase(it);
    return nullptr;
  }
  return &it->second.credentials;
}

DockerConfig CredentialProviderPlugin::Provide(std::string_view image) {
  if (!IsImageAllowed(image)) return {};
  std::string image_key(image);
  std::string registry_key(image.substr(0, image.find('/')));  // parseRegistry
  for (const std::string& key : {image_key, registry_key, std::string(kGlobalCacheKey)}) {
    if (const DockerConfig* cached = Cached(key)) return *cached;
  }
  ++exec_count_;
  auto response = function_(image);
  if (!response) {
    errors_.push_back("Failed getting credential from external registry credential provider: " +
                      response.error().message);
    return {};
  }
  std::string cache_key;
  switch (response->cache_key_type) {
    case CredentialProviderResponse::CacheKeyType::kImage:
      cache_key = image_key;
      break;
    case CredentialProviderResponse::CacheKeyType::kRegistry:
      cache_key = registry_key;
      break;
    case CredentialProviderResponse::CacheKeyType::kGlobal:
      cache_key = std::string(kGlobalCacheKey);
      break;
  }
  DockerConfig credentials = response->auth;
  // A cacheDuration of 0 means "do not cache"; none means the plugin's default, where 0 again
  // means "do not cache".
  Duration lifetime = response->cache_duration.value_or(spec_.default_cache_duration);
  if (lifetime == Duration::zero()) return credentials;
  cache_[cache_key] = CacheEntry{credentials, clock_.Now() + lifetime};
  return credentials;
}

void CredentialProviderPlugins::Register(std::unique_ptr<CredentialProviderPlugin> plugin) {
  plugins_.push_back(std::move(plugin));
}

Keyring CredentialProviderPlugins::MakeKeyring(std::string_view image) {
  Keyring keyring;
  for (const auto& plugin : plugins_) {
    (void)keyring.Add(plugin->Provide(image), CredentialSource::Plugin(plugin->spec().name));
  }
  return keyring;
}

CredentialProviderPlugin* CredentialProviderPlugins::Find(std::string_view name) {
  for (const auto& plugin : plugins_) {
    if (plugin->spec().name == name) return plugin.get();
  }
  return nullptr;
}

}  // namespace pullsim::credentials
