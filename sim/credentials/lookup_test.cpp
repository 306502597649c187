// What the kubelet looks up and tries for one image (CRED-01, CRED-11..13).
#include "sim/credentials/lookup.h"

#include <gtest/gtest.h>

#include "sim/testing/covers_rule.h"

namespace pullsim::credentials {
namespace {

using pullsim::testing::CoversRule;

Credential Cred(std::string username, CredentialSource source) {
  return Credential{std::move(username), "pw", "", std::move(source)};
}

TEST(LookupPullCredentials, CRED_12_LooksUpTheNormalisedRepository) {
  CoversRule("CRED-12");
  Keyring node;
  ASSERT_TRUE(node.Add("docker.io/library", Cred("n", CredentialSource::Node("/c.json"))));
  auto found = LookupPullCredentials("nginx:1.25", nullptr, &node, nullptr);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->repository, "docker.io/library/nginx");
  ASSERT_EQ(found->credentials.size(), 1u);
  EXPECT_EQ(found->credentials[0].key, "docker.io/library");
  EXPECT_FALSE(found->anonymous());
  auto digest = LookupPullCredentials(
      "quay.io/a/b@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      nullptr, &node, nullptr);
  ASSERT_TRUE(digest.has_value());
  EXPECT_EQ(digest->repository, "quay.io/a/b");
  EXPECT_TRUE(digest->anonymous());
}

TEST(LookupPullCredentials, CRED_01_PodSecretsThenNodeThenPlugins) {
  CoversRule("CRED-01");
  Keyring pod;
  ASSERT_TRUE(pod.Add("quay.io", Cred("a", CredentialSource::Secret("default", "a"))));
  Keyring node;
  ASSERT_TRUE(
      node.Add("quay.io", Cred("n", CredentialSource::Node("/var/lib/kubelet/config.json"))));
  VirtualClock clock;
  CredentialProviderPlugins plugins;
  CredentialProviderSpec spec;
  spec.name = "sim";
  spec.match_images = {"*.io"};
  plugins.Register(std::make_unique<CredentialProviderPlugin>(
      spec,
      [](std::string_view) -> Result<CredentialProviderResponse> {
        CredentialProviderResponse response;
        response.auth.Set("*.io", {"p", "t", ""});
        return response;
      },
      clock));
  auto found = LookupPullCredentials("quay.io/team/app:v1", &pod, &node, &plugins);
  ASSERT_TRUE(found.has_value());
  std::vector<std::string> sources;
  for (const KeyedCredential& c : found->credentials) {
    sources.push_back(c.credential.source.ToString());
  }
  EXPECT_EQ(sources, (std::vector<std::string>{"secret default/a",
                                               "node /var/lib/kubelet/config.json", "plugin sim"}));
}

TEST(LookupPullCredentials, CRED_13_NoCredentialMeansOneAnonymousPull) {
  CoversRule("CRED-13");
  Keyring pod;
  ASSERT_TRUE(pod.Add("gcr.io", Cred("a", CredentialSource::Secret("default", "a"))));
  auto found = LookupPullCredentials("quay.io/team/app", &pod, nullptr, nullptr);
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(found->anonymous());
}

TEST(LookupPullCredentials, RejectsInvalidImageNames) {
  auto found = LookupPullCredentials("Nginx:1.25", nullptr, nullptr, nullptr);
  ASSERT_FALSE(found.has_value());
  EXPECT_EQ(found.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(found.error().message.find("couldn't parse image name"), std::string::npos)
      << found.error().message;
}

}  // namespace
}  // namespace pullsim::credentials
