#include "sim/node/kubelet_config.h"

#include <gtest/gtest.h>

#include "sim/testing/covers_rule.h"

namespace pullsim::node {
namespace {

TEST(KubeletConfig, KUB_11_Defaults) {
  testing::CoversRule("KUB-11");
  KubeletConfig config;
  ApplyKubeletConfigDefaults(config, false);
  EXPECT_EQ(config.registry_pull_qps, 5);
  EXPECT_EQ(config.registry_burst, 10);
  EXPECT_EQ(config.serialize_image_pulls, true);
  EXPECT_FALSE(config.max_parallel_image_pulls.has_value());
  EXPECT_FALSE(config.image_pull_credentials_verification_policy.has_value());
  EXPECT_EQ(config.root_dir, "/var/lib/kubelet");
}

TEST(KubeletConfig, KUB_11_MaxParallelAloneTurnsSerialOff) {
  testing::CoversRule("KUB-11");
  KubeletConfig two;
  two.max_parallel_image_pulls = 2;
  ApplyKubeletConfigDefaults(two, true);
  EXPECT_EQ(two.serialize_image_pulls, false);
  KubeletConfig one;
  one.max_parallel_image_pulls = 1;
  ApplyKubeletConfigDefaults(one, true);
  EXPECT_EQ(one.serialize_image_pulls, true);
}

TEST(KubeletConfig, KUB_11_ValidationMessagesInUpstreamOrder) {
  testing::CoversRule("KUB-11");
  KubeletConfig config;
  config.registry_pull_qps = -1;
  config.registry_burst = -2;
  config.max_parallel_image_pulls = 0;
  config.serialize_image_pulls = true;
  EXPECT_EQ(ValidateKubeletConfig(config, false),
            (std::vector<std::string>{
                "invalid configuration: registryBurst (--registry-burst) -2 must not be a negative "
                "number",
                "invalid configuration: registryPullQPS (--registry-qps) -1 must not be a "
                "negative number",
                "invalid configuration: maxParallelImagePulls 0 must be a positive number"}));
  config = KubeletConfig{};
  config.serialize_image_pulls = true;
  config.max_parallel_image_pulls = 3;
  EXPECT_EQ(ValidateKubeletConfig(config, false),
            (std::vector<std::string>{
                "invalid configuration: maxParallelImagePulls cannot be larger than 1 unless "
                "SerializeImagePulls (--serialize-image-pulls) is set to false"}));
}

TEST(KubeletConfig, KEP2535_02_PolicyDefaultFollowsTheGate) {
  testing::CoversRule("KEP2535-02");
  KubeletConfig on;
  ApplyKubeletConfigDefaults(on, true);
  EXPECT_EQ(on.image_pull_credentials_verification_policy, "NeverVerifyPreloadedImages");
  EXPECT_TRUE(ValidateKubeletConfig(on, true).empty());
}

TEST(KubeletConfig, KEP2535_02_GateOffRejectsBothFields) {
  testing::CoversRule("KEP2535-02");
  KubeletConfig config;
  config.image_pull_credentials_verification_policy = "AlwaysVerify";
  config.preloaded_images_verification_allowlist = {"registry.k8s.io/*"};
  EXPECT_EQ(ValidateKubeletConfig(config, false),
            (std::vector<std::string>{
                "invalid configuration: `imagePullCredentialsVerificationPolicy` must not be set "
                "if KubeletEnsureSecretPulledImages feature gate is not enabled",
                "invalid configuration: `preloadedImagesVerificationAllowlist` must not be set if "
                "KubeletEnsureSecretPulledImages feature gate is not enabled"}));
}

TEST(KubeletConfig, KEP2535_02_BadPatternNamesTheFirstOne) {
  testing::CoversRule("KEP2535-02");
  KubeletConfig config;
  config.image_pull_credentials_verification_policy = "NeverVerifyAllowlistedImages";
  config.preloaded_images_verification_allowlist = {"registry.k8s.io/*", "pause", "x*"};
  EXPECT_EQ(ValidateKubeletConfig(config, true),
            (std::vector<std::string>{
                "invalid configuration: invalid image pattern in "
                "`preloadedImagesVerificationAllowlist`: neither tag nor digest is accepted in an "
                "image reference: pause"}));
}

TEST(KubeletConfig, KEP2535_01_GateFollowsTheRelease) {
  testing::CoversRule("KEP2535-01");
  EXPECT_FALSE(EnsureSecretPulledImagesEnabled({1, 32}, true));  // the gate does not exist
  EXPECT_FALSE(EnsureSecretPulledImagesEnabled({1, 33}));
  EXPECT_TRUE(EnsureSecretPulledImagesEnabled({1, 33}, true));
  EXPECT_TRUE(EnsureSecretPulledImagesEnabled({1, 35}));
  EXPECT_FALSE(EnsureSecretPulledImagesEnabled({1, 35}, false));
}

TEST(KubeletConfig, KUB_11_ResolveAggregatesErrors) {
  testing::CoversRule("KUB-11");
  KubeletConfig config;
  config.registry_pull_qps = -1;
  config.registry_burst = -1;
  Result<KubeletSettings> settings = ResolveKubeletSettings(config);
  ASSERT_FALSE(settings);
  EXPECT_EQ(settings.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(settings.error().message,
            "[invalid configuration: registryBurst (--registry-burst) -1 must not be a negative "
            "number, invalid configuration: registryPullQPS (--registry-qps) -1 must not be a "
            "negative number]");

  KubeletConfig good;
  good.max_parallel_image_pulls = 4;
  Result<KubeletSettings> resolved = ResolveKubeletSettings(good, {1, 35});
  ASSERT_TRUE(resolved) << resolved.error().message;
  EXPECT_FALSE(resolved->serialize_image_pulls);
  EXPECT_EQ(resolved->max_parallel_image_pulls, 4);
  EXPECT_TRUE(resolved->ensure_secret_pulled_images);
  EXPECT_EQ(resolved->verification_policy, VerificationPolicy::kNeverVerifyPreloadedImages);
}

TEST(KubeletVersion, ParsesReleases) {
  Result<KubeletVersion> version = KubeletVersion::Parse("v1.33.2");
  ASSERT_TRUE(version);
  EXPECT_EQ(*version, (KubeletVersion{1, 33}));
  EXPECT_EQ(version->String(), "1.33");
  EXPECT_FALSE(KubeletVersion::Parse("1"));
  EXPECT_FALSE(KubeletVersion::Parse("1.x"));
  EXPECT_FALSE(KubeletVersion::Parse("1.35.a"));
  EXPECT_EQ(KubeletVersion::Parse("one").error().message,
            "kubelet version \"one\": expected MAJOR.MINOR such as \"1.35\"");
}

}  // namespace
}  // namespace pullsim::node
