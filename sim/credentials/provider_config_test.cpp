// Credential provider configuration and responses (CRED-17): decoding and validation.
#include "sim/credentials/provider_config.h"

#include <gtest/gtest.h>

#include "sim/testing/covers_rule.h"

namespace pullsim::credentials {
namespace {

using pullsim::testing::CoversRule;
using std::chrono::hours;
using std::chrono::minutes;

constexpr std::string_view kConfig = R"(apiVersion: kubelet.config.k8s.io/v1
kind: CredentialProviderConfig
providers:
- name: ecr-credential-provider
  matchImages: ["*.dkr.ecr.*.amazonaws.com", "registry.test:5000/team"]
  defaultCacheDuration: 12h
  apiVersion: credentialprovider.kubelet.k8s.io/v1
  args: [get-credentials]
  env: [{name: AWS_PROFILE, value: default}]
)";

TEST(CredentialProviderConfig, CRED_17_ParsesTheKubeletFile) {
  CoversRule("CRED-17");
  auto config = ParseCredentialProviderConfig(kConfig, "providers.yaml");
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  ASSERT_EQ(config->providers.size(), 1u);
  const CredentialProviderSpec& spec = config->providers[0];
  EXPECT_EQ(spec.name, "ecr-credential-provider");
  EXPECT_EQ(spec.match_images.size(), 2u);
  EXPECT_EQ(spec.default_cache_duration, hours(12));
  EXPECT_EQ(spec.api_version, "credentialprovider.kubelet.k8s.io/v1");
  EXPECT_EQ(spec.env[0].first, "AWS_PROFILE");
}

TEST(CredentialProviderConfig, CRED_17_ValidatesWithUpstreamMessages) {
  CoversRule("CRED-17");
  constexpr std::string_view kBad = R"({"apiVersion": "kubelet.config.k8s.io/v1",
"kind": "CredentialProviderConfig",
"providers": [
  {"name": "a/b", "matchImages": [], "apiVersion": "v9"},
  {"name": "a/b", "matchImages": ["[x"], "defaultCacheDuration": "-1m",
   "apiVersion": "credentialprovider.kubelet.k8s.io/v1"}]})";
  auto config = ParseCredentialProviderConfig(kBad, "p.json");
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().message,
            "failed to validate credential provider config: ["
            "providers.name: Invalid value: \"a/b\": provider name cannot contain '/', "
            "providers.apiVersion: Unsupported value: \"v9\": supported values: "
            "\"credentialprovider.kubelet.k8s.io/v1\", "
            "\"credentialprovider.kubelet.k8s.io/v1alpha1\", "
            "\"credentialprovider.kubelet.k8s.io/v1beta1\", "
            "providers.matchImages: Required value: at least 1 item in matchImages is required, "
            "providers.defaultCacheDuration: Required value, "
            // The second provider's "cannot contain '/'" is the same text: ToAggregate keeps one.
            "providers.name: Duplicate value: \"a/b\", "
            "providers.matchImages: Invalid value: \"[x\": match image is invalid: parse "
            "\"https://[x\": missing ']' in host, "
            "providers.defaultCacheDuration: Invalid value: -1m0s: must be greater than or equal "
            "to 0]");
  auto empty = ParseCredentialProviderConfig(
      "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: CredentialProviderConfig\n", "p.yaml");
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().message,
            "failed to validate credential provider config: providers: Required value: at least "
            "1 item in plugins is required");
}

TEST(CredentialProviderConfig, CRED_17_DecodesStrictly) {
  CoversRule("CRED-17");
  auto unknown = ParseCredentialProviderConfig(
      "apiVersion: kubelet.config.k8s.io/v1\nkind: CredentialProviderConfig\nproviders:\n"
      "- name: x\n  matchImages: [a]\n  defaultCacheDuration: 1m\n  color: blue\n",
      "p.yaml");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().ToString(),
            "p.yaml:7:3 providers[0].color: strict decoding error: unknown field "
            "\"providers[0].color\"");
  auto kind = ParseCredentialProviderConfig("apiVersion: v1\nkind: Pod\n", "p.yaml");
  ASSERT_FALSE(kind.has_value());
  EXPECT_EQ(kind.error().message, "failed to decode \"Pod\" (wrong Kind)");
}

TEST(CredentialProviderResponse, ChecksApiVersionAndCacheKeyType) {
  auto response = ParseCredentialProviderResponse(
      R"({"apiVersion":"credentialprovider.kubelet.k8s.io/v1","kind":"CredentialProviderResponse",
"cacheKeyType":"Registry","cacheDuration":"5m","auth":{"*.registry.test":{"username":"u","password":"p"}}})",
      "credentialprovider.kubelet.k8s.io/v1", "response.json");
  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_EQ(response->cache_key_type, CredentialProviderResponse::CacheKeyType::kRegistry);
  EXPECT_EQ(response->cache_duration.value_or(Duration::zero()), minutes(5));
  EXPECT_EQ(response->auth.items[0].entry.username, "u");
  auto mismatch = ParseCredentialProviderResponse(
      "apiVersion: credentialprovider.kubelet.k8s.io/v1beta1\nkind: CredentialProviderResponse\n"
      "cacheKeyType: Image\n",
      "credentialprovider.kubelet.k8s.io/v1", "r.yaml");
  ASSERT_FALSE(mismatch.has_value());
  EXPECT_EQ(mismatch.error().message,
            "apiVersion from credential plugin response did not match expected "
            "apiVersion:credentialprovider.kubelet.k8s.io/v1, actual "
            "apiVersion:credentialprovider.kubelet.k8s.io/v1beta1");
}

}  // namespace
}  // namespace pullsim::credentials
