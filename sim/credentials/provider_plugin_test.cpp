// Credential provider plugins (CRED-17): matchImages, the cache on the clock, one keyring.
#include "sim/credentials/provider_plugin.h"

#include <gtest/gtest.h>

#include "sim/testing/covers_rule.h"

namespace pullsim::credentials {
namespace {

using pullsim::testing::CoversRule;
using std::chrono::hours;
using std::chrono::minutes;

CredentialProviderSpec Spec(std::vector<std::string> match_images, Duration cache) {
  CredentialProviderSpec spec;
  spec.name = "sim";
  spec.match_images = std::move(match_images);
  spec.default_cache_duration = cache;
  spec.api_version = "credentialprovider.kubelet.k8s.io/v1";
  return spec;
}

CredentialProviderResponse Answer(CredentialProviderResponse::CacheKeyType type,
                                  std::optional<Duration> duration, std::string username) {
  CredentialProviderResponse response;
  response.cache_key_type = type;
  response.cache_duration = duration;
  response.auth.Set("*.registry.test", {std::move(username), "token", ""});
  return response;
}

TEST(CredentialProviderPlugin, CRED_17_OnlyMatchingImagesReachThePlugin) {
  CoversRule("CRED-17");
  VirtualClock clock;
  CredentialProviderPlugin plugin(
      Spec({"*.registry.test"}, minutes(1)),
      [](std::string_view) {
        return Answer(CredentialProviderResponse::CacheKeyType::kImage, std::nullopt, "u");
      },
      clock);
  EXPECT_TRUE(plugin.Provide("other.test/app").empty());
  EXPECT_TRUE(plugin.Provide("a.b.registry.test/app").empty());  // one label per glob
  EXPECT_EQ(plugin.exec_count(), 0);
  EXPECT_EQ(plugin.Provide("eu.registry.test/app").size(), 1u);
  EXPECT_EQ(plugin.exec_count(), 1);
}

TEST(CredentialProviderPlugin, CRED_17_CachesPerKeyTypeOnTheClock) {
  CoversRule("CRED-17");
  VirtualClock clock;
  int calls = 0;
  CredentialProviderPlugin plugin(
      Spec({"*.registry.test"}, minutes(10)),
      [&](std::string_view) {
        ++calls;
        return Answer(CredentialProviderResponse::CacheKeyType::kRegistry, std::nullopt,
                      "u" + std::to_string(calls));
      },
      clock);
  EXPECT_EQ(plugin.Provide("eu.registry.test/a").items[0].entry.username, "u1");
  // Registry-keyed: another image of the same registry is served from the cache...
  EXPECT_EQ(plugin.Provide("eu.registry.test/b").items[0].entry.username, "u1");
  // ...another registry is not.
  EXPECT_EQ(plugin.Provide("us.registry.test/a").items[0].entry.username, "u2");
  // Fresh up to and including the expiry instant, stale after it.
  clock.Advance(minutes(10));
  EXPECT_EQ(plugin.Provide("eu.registry.test/a").items[0].entry.username, "u1");
  clock.Advance(std::chrono::nanoseconds(1));
  EXPECT_EQ(plugin.Provide("eu.registry.test/a").items[0].entry.username, "u3");
  EXPECT_EQ(plugin.exec_count(), 3);
}

TEST(CredentialProviderPlugin, CRED_17_ZeroDurationIsNeverCachedAndFailuresGiveNothing) {
  CoversRule("CRED-17");
  VirtualClock clock;
  bool fail = false;
  CredentialProviderPlugin plugin(
      Spec({"*.registry.test"}, hours(1)),
      [&](std::string_view) -> Result<CredentialProviderResponse> {
        if (fail) return Fail(ErrorCode::kUnavailable, "exit status 1");
        return Answer(CredentialProviderResponse::CacheKeyType::kGlobal, Duration::zero(), "u");
      },
      clock);
  EXPECT_EQ(plugin.Provide("a.registry.test/x").size(), 1u);
  EXPECT_EQ(plugin.Provide("a.registry.test/x").size(), 1u);
  EXPECT_EQ(plugin.exec_count(), 2);
  fail = true;
  EXPECT_TRUE(plugin.Provide("a.registry.test/x").empty());
  ASSERT_EQ(plugin.errors().size(), 1u);
  EXPECT_EQ(plugin.errors()[0],
            "Failed getting credential from external registry credential provider: exit status 1");
}

TEST(CredentialProviderPlugins, CRED_17_AllPluginsShareOneKeyring) {
  CoversRule("CRED-17");
  VirtualClock clock;
  CredentialProviderPlugins plugins;
  auto answer = [](std::string key, std::string username) {
    return [key, username](std::string_view) -> Result<CredentialProviderResponse> {
      CredentialProviderResponse response;
      response.auth.Set(key, {username, "t", ""});
      return response;
    };
  };
  CredentialProviderSpec first = Spec({"*.registry.test"}, Duration::zero());
  first.name = "first";
  CredentialProviderSpec second = Spec({"*.registry.test"}, Duration::zero());
  second.name = "second";
  plugins.Register(
      std::make_unique<CredentialProviderPlugin>(first, answer("*.registry.test", "glob"), clock));
  plugins.Register(std::make_unique<CredentialProviderPlugin>(
      second, answer("eu.registry.test", "exact"), clock));
  Keyring keyring = plugins.MakeKeyring("eu.registry.test/app");
  std::vector<KeyedCredential> found = keyring.Lookup("eu.registry.test/app");
  ASSERT_EQ(found.size(), 2u);
  // One keyring: the exact key sorts before the glob, whatever the plugin order.
  EXPECT_EQ(found[0].credential.source.ToString(), "plugin second");
  EXPECT_EQ(found[1].credential.source.ToString(), "plugin first");
}

}  // namespace
}  // namespace pullsim::credentials
