// Pull secrets: reading Secret manifests, MakeDockerKeyring (CRED-10) and
// getPullSecretsForPod (CRED-14).
#include "sim/credentials/pull_secret.h"

#include <gtest/gtest.h>

#include "sim/testing/covers_rule.h"

namespace pullsim::credentials {
namespace {

using pullsim::testing::CoversRule;

PullSecret Secret(std::string name, std::string type, std::string key, std::string value,
                  std::string namespace_name = "default") {
  PullSecret secret;
  secret.namespace_name = std::move(namespace_name);
  secret.name = std::move(name);
  secret.type = std::move(type);
  secret.data[std::move(key)] = std::move(value);
  return secret;
}

TEST(ReadPullSecrets, ReadsDataStringDataAndManyDocuments) {
  constexpr std::string_view kYaml = R"(apiVersion: v1
kind: Secret
metadata: {name: regcred, namespace: team-a, uid: 1234}
type: kubernetes.io/dockerconfigjson
data:
  .dockerconfigjson: eyJhdXRocyI6e319
---
apiVersion: v1
kind: Secret
metadata:
  name: legacy
type: kubernetes.io/dockercfg
data:
  .dockercfg: e30=
stringData:
  .dockercfg: '{"quay.io":{"username":"u"}}'
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Secret
  metadata: {name: opaque}
)";
  auto secrets = ReadPullSecrets(kYaml, "secrets.yaml");
  ASSERT_TRUE(secrets.has_value()) << secrets.error().ToString();
  ASSERT_EQ(secrets->size(), 3u);
  const PullSecret& first = (*secrets)[0];
  EXPECT_EQ(first.namespace_name, "team-a");
  EXPECT_EQ(first.name, "regcred");
  EXPECT_EQ(first.uid, "1234");
  EXPECT_EQ(first.type, kSecretTypeDockerConfigJson);
  EXPECT_EQ(first.data.at(".dockerconfigjson"), R"({"auths":{}})");
  EXPECT_EQ(first.where, "secrets.yaml:1:1");
  EXPECT_EQ((*secrets)[1].namespace_name, "");
  EXPECT_EQ((*secrets)[1].data.at(".dockercfg"), R"({"quay.io":{"username":"u"}})");
  EXPECT_EQ((*secrets)[2].type, "Opaque");
}

TEST(ReadPullSecrets, ErrorsNameFileLineAndField) {
  struct Case {
    const char* yaml;
    const char* error;
  };
  const Case cases[] = {
      {"apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  .dockerconfigjson: pants\n",
       "s.yaml:5:22 data[.dockerconfigjson]: illegal base64 data at input byte 4"},
      {"apiVersion: v1\nkind: Pod\nmetadata: {name: s}\n",
       "s.yaml:1:1 kind: expected kind Secret, got \"Pod\""},
      {"apiVersion: v1\nkind: Secret\nmetadata: {}\n",
       "s.yaml:3:11 metadata.name: Secret needs a name"},
      {"apiVersion: v1\nkind: Secret\nmetadata: {name: [x]}\n",
       "s.yaml:3:18 metadata.name: must be a string"},
      {"kind: Secret\nmetadata: {name: s}\n",
       "s.yaml:1:1 apiVersion: Secret needs apiVersion \"v1\", got \"\""},
      {"apiVersion: v1\nkind: Secret\nmetadata: {name: s\n",
       "s.yaml:4:1: end of map flow not found"},
      {"- a\n- b\n", "s.yaml:1:1: document 1 is not a map"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.yaml);
    auto secrets = ReadPullSecrets(c.yaml, "s.yaml");
    ASSERT_FALSE(secrets.has_value());
    EXPECT_EQ(secrets.error().ToString(), c.error);
  }
}

TEST(ReadPullSecrets, DeepYamlIsAnErrorNotACrash) {
  std::string deep(100000, '[');
  auto secrets = ReadPullSecrets(deep, "deep.yaml");
  ASSERT_FALSE(secrets.has_value());
  EXPECT_EQ(secrets.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(secrets.error().message.starts_with("nested too deeply (depth "))
      << secrets.error().ToString();
}

TEST(MakePodSecretKeyring, CRED_10_DockerTypesIntoOneKeyringInSecretOrder) {
  CoversRule("CRED-10");
  std::vector<PullSecret> secrets = {
      Secret("s1", "kubernetes.io/dockerconfigjson", ".dockerconfigjson",
             R"({"auths":{"quay.io":{"username":"a","password":"p"}}})"),
      Secret("s2", "kubernetes.io/dockercfg", ".dockercfg", R"({"quay.io/team":{"username":"b"}})"),
      Secret("s3", "Opaque", ".dockerconfigjson", R"({"auths":{"quay.io":{"username":"x"}}})"),
      Secret("s4", "kubernetes.io/dockerconfigjson", ".dockerconfigjson", ""),
      Secret("s5", "kubernetes.io/dockerconfigjson", ".dockercfg", R"({"quay.io":{}})"),
      Secret("s6", "kubernetes.io/dockerconfigjson", ".dockerconfigjson",
             R"({"auths":{"quay.io":{"username":"c"}}})"),
  };
  auto keyring = MakePodSecretKeyring(secrets);
  ASSERT_TRUE(keyring.has_value()) << keyring.error().ToString();
  EXPECT_EQ(keyring->secrets_used, 3u);
  EXPECT_EQ(keyring->keyring.Index(), (std::vector<std::string>{"quay.io/team", "quay.io"}));
  std::vector<KeyedCredential> found = keyring->keyring.Lookup("quay.io/team/app");
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].credential.source.ToString(), "secret default/s2");
  EXPECT_EQ(found[1].credential.username, "a");
  EXPECT_EQ(found[2].credential.source.ToString(), "secret default/s6");
}

TEST(MakePodSecretKeyring, CRED_10_OneBadSecretFailsTheKeyringWithTheKubeletText) {
  CoversRule("CRED-10");
  std::vector<PullSecret> secrets = {
      Secret("good", "kubernetes.io/dockerconfigjson", ".dockerconfigjson", R"({"auths":{}})"),
      Secret("bad", "kubernetes.io/dockerconfigjson", ".dockerconfigjson", "{not json", "ns"),
  };
  auto keyring = MakePodSecretKeyring(secrets);
  ASSERT_FALSE(keyring.has_value());
  EXPECT_EQ(keyring.error().message,
            "invalid character 'n' looking for beginning of object key string");
  EXPECT_EQ(keyring.error().where, "secret ns/bad data[.dockerconfigjson]:1:2");
  auto bad_auth = MakePodSecretKeyring(std::vector<PullSecret>{
      Secret("s", "kubernetes.io/dockercfg", ".dockercfg", R"({"r":{"auth":"cGFudHM="}})")});
  ASSERT_FALSE(bad_auth.has_value());
  EXPECT_EQ(bad_auth.error().message,
            "unable to parse auth field, must be formatted as base64(username:password)");
}

TEST(GetPullSecretsForPod, CRED_14_SkipsMissingWithOneWarningAndGoesOn) {
  CoversRule("CRED-14");
  SecretGetter get = SecretsIn(
      {Secret("other", "Opaque", "k", "v"), Secret("regcred", "Opaque", "k", "v", "elsewhere")});
  std::vector<std::string> names = {"regcred", "", "other", "gone"};
  PodPullSecrets result = GetPullSecretsForPod("default", names, get);
  ASSERT_EQ(result.secrets.size(), 1u);
  EXPECT_EQ(result.secrets[0].name, "other");
  EXPECT_EQ(result.missing, (std::vector<std::string>{"regcred", "gone"}));
  EXPECT_EQ(result.warning.value_or(""),
            "Unable to retrieve some image pull secrets (regcred, gone); attempting to pull the "
            "image may not succeed.");
  PodPullSecrets none = GetPullSecretsForPod("default", std::vector<std::string>{""}, get);
  EXPECT_TRUE(none.secrets.empty());
  EXPECT_FALSE(none.warning.has_value());
}

}  // namespace
}  // namespace pullsim::credentials
