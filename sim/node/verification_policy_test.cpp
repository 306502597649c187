#include "sim/node/verification_policy.h"

#include <gtest/gtest.h>

#include "sim/testing/covers_rule.h"

namespace pullsim::node {
namespace {

CredentialVerificationPolicy Allowlist(std::vector<std::string> patterns,
                                       KubeletVersion version = kBaselineKubeletVersion) {
  Result<CredentialVerificationPolicy> policy = CredentialVerificationPolicy::Create(
      VerificationPolicy::kNeverVerifyAllowlistedImages, patterns, version);
  EXPECT_TRUE(policy) << policy.error().message;
  return *policy;
}

TEST(VerificationPolicy, KEP2535_02_NamesAreExact) {
  testing::CoversRule("KEP2535-02");
  EXPECT_EQ(ParseVerificationPolicy("NeverVerifyAllowlistedImages"),
            VerificationPolicy::kNeverVerifyAllowlistedImages);
  EXPECT_FALSE(ParseVerificationPolicy("NeverVerifyAllowListedImages"));
  EXPECT_FALSE(ParseVerificationPolicy("alwaysverify"));
  EXPECT_EQ(VerificationPolicyName(VerificationPolicy::kAlwaysVerify), "AlwaysVerify");
}

TEST(VerificationPolicy, KEP2535_03_WhoNeedsVerification) {
  testing::CoversRule("KEP2535-03");
  auto make = [](VerificationPolicy p) { return *CredentialVerificationPolicy::Create(p); };
  for (bool pulled : {false, true}) {
    SCOPED_TRACE(pulled);
    EXPECT_FALSE(
        make(VerificationPolicy::kNeverVerify).RequiresCredentialVerification("a", pulled));
    EXPECT_EQ(make(VerificationPolicy::kNeverVerifyPreloadedImages)
                  .RequiresCredentialVerification("a", pulled),
              pulled);
    EXPECT_TRUE(
        make(VerificationPolicy::kAlwaysVerify).RequiresCredentialVerification("a", pulled));
    // The allowlist policy ignores who pulled the image.
    EXPECT_FALSE(Allowlist({"registry.test/*"})
                     .RequiresCredentialVerification("registry.test/app:1", pulled));
    EXPECT_TRUE(
        Allowlist({"registry.test/*"}).RequiresCredentialVerification("other.test/a", pulled));
  }
}

TEST(AllowlistPattern, KEP2535_08_ValidationMessages) {
  testing::CoversRule("KEP2535-08");
  struct Case {
    const char* pattern;
    const char* error;  // nullptr: valid
  };
  constexpr Case kCases[] = {
      {"registry.k8s.io/pause", nullptr},
      {"registry.k8s.io/sig-storage/*", nullptr},
      {"Registry.k8s.io/pause", nullptr},
      {" registry.k8s.io/pause", "leading/trailing spaces are not allowed:  registry.k8s.io/pause"},
      {"registry.k8s.io/pause\t",
       "leading/trailing spaces are not allowed: registry.k8s.io/pause\t"},
      // strings.TrimSpace trims Unicode white space too: U+00A0 NO-BREAK SPACE.
      {"registry.k8s.io/pause\xC2\xA0",
       "leading/trailing spaces are not allowed: registry.k8s.io/pause\xC2\xA0"},
      {"", "the supplied pattern is too short: "},
      {"*", "not a valid wildcard pattern, only patterns ending with '/*' are allowed: *"},
      {"/*", "at least registry hostname is required"},
      {"image.repo/*/imagename",
       "not a valid wildcard pattern, only patterns ending with '/*' are allowed: "
       "image.repo/*/imagename"},
      {"pause", "neither tag nor digest is accepted in an image reference: pause"},
      {"test.io/test/image1:tagged",
       "neither tag nor digest is accepted in an image reference: test.io/test/image1:tagged"},
      {"image.repo/", "failed to parse as an image name: invalid reference format"},
      {"registry.k8s.io/Pause",
       "failed to parse as an image name: invalid reference format: repository name (Pause) must "
       "be lowercase"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.pattern);
    Result<AllowlistPattern> parsed = ParseAllowlistPattern(c.pattern);
    if (c.error == nullptr) {
      EXPECT_TRUE(parsed) << parsed.error().message;
    } else {
      ASSERT_FALSE(parsed);
      EXPECT_EQ(parsed.error().message, c.error);
    }
  }
  EXPECT_EQ(*ParseAllowlistPattern("registry.k8s.io/sig-storage/*"),
            (AllowlistPattern{"registry.k8s.io/sig-storage/", true}));
}

TEST(AllowlistPattern, KEP2535_08_V135ComparesTheRawImage) {
  testing::CoversRule("KEP2535-08");
  EXPECT_TRUE(Allowlist({"test.io/test/test-image"}).MatchesAllowlist("test.io/test/test-image"));
  EXPECT_FALSE(Allowlist({"registry.k8s.io/pause"}).MatchesAllowlist("registry.k8s.io/pause:3.10"));
  EXPECT_TRUE(Allowlist({"registry.k8s.io/*"}).MatchesAllowlist("registry.k8s.io/pause:3.10"));
  EXPECT_FALSE(Allowlist({"docker.io/library/*"}).MatchesAllowlist("nginx:1.25"));
  EXPECT_FALSE(Allowlist({"registry.k8s.io/pause/*"}).MatchesAllowlist("registry.k8s.io/pause"));
}

TEST(AllowlistPattern, KEP2535_08_V136ComparesTheNormalisedName) {
  testing::CoversRule("KEP2535-08");
  const KubeletVersion v136{1, 36};
  EXPECT_TRUE(
      Allowlist({"registry.k8s.io/pause"}, v136).MatchesAllowlist("registry.k8s.io/pause:3.10"));
  EXPECT_TRUE(Allowlist({"docker.io/library/nginx"}, v136).MatchesAllowlist("nginx:1.25"));
  EXPECT_TRUE(Allowlist({"docker.io/library/*"}, v136).MatchesAllowlist("nginx"));
  EXPECT_FALSE(Allowlist({"registry.k8s.io/*"}, v136).MatchesAllowlist("Invalid:Image"));
}

TEST(AllowlistPattern, KEP2535_08_BadPatternFailsThePolicy) {
  testing::CoversRule("KEP2535-08");
  std::vector<std::string> patterns{"ok.test/*", "bad*"};
  Result<CredentialVerificationPolicy> policy = CredentialVerificationPolicy::Create(
      VerificationPolicy::kNeverVerifyAllowlistedImages, patterns);
  ASSERT_FALSE(policy);
  EXPECT_EQ(policy.error().message,
            "not a valid wildcard pattern, only patterns ending with '/*' are allowed: bad*");
}

}  // namespace
}  // namespace pullsim::node
