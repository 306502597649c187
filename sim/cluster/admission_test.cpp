// The admission plugins on requests: AlwaysPullImages (ADM-01..04), ServiceAccount (ADM-05..07),
// warnings (ADM-08).
#include <gtest/gtest.h>

#include "sim/cluster/always_pull_images.h"
#include "sim/cluster/service_account_admission.h"
#include "sim/cluster/warnings.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::cluster {
namespace {

Container MakeContainer(std::string name, std::string image, std::string policy) {
  Container container;
  container.name = std::move(name);
  container.image = std::move(image);
  container.image_pull_policy = std::move(policy);
  return container;
}

Pod MakePod() {
  Pod pod;
  pod.metadata.name = "web";
  pod.metadata.namespace_name = "ns1";
  pod.spec.init_containers = {MakeContainer("init", "busybox:1.36", "IfNotPresent")};
  pod.spec.containers = {MakeContainer("app", "nginx:1.25", "Never")};
  pod.spec.ephemeral_containers = {MakeContainer("debug", "busybox", "IfNotPresent")};
  return pod;
}

TEST(AlwaysPullImages, ADM_01_EveryContainerKindRecorded) {
  testing::CoversRule("ADM-01");
  Object object = MakePod();
  AdmissionRequest request = MakeRequest(Operation::kCreate, object);
  std::vector<Change> changes;
  ASSERT_TRUE(AlwaysPullImages().Admit(request, changes).has_value());
  const PodSpec& spec = std::get<Pod>(object).spec;
  EXPECT_EQ(spec.init_containers[0].image_pull_policy, "Always");
  EXPECT_EQ(spec.containers[0].image_pull_policy, "Always");
  EXPECT_EQ(spec.ephemeral_containers[0].image_pull_policy, "Always");
  EXPECT_EQ(changes,
            (std::vector<Change>{
                {kAlwaysPullImagesPlugin, "spec.initContainers[0].imagePullPolicy", "IfNotPresent",
                 "Always"},
                {kAlwaysPullImagesPlugin, "spec.containers[0].imagePullPolicy", "Never", "Always"},
                {kAlwaysPullImagesPlugin, "spec.ephemeralContainers[0].imagePullPolicy",
                 "IfNotPresent", "Always"},
            }));
}

TEST(AlwaysPullImages, ADM_02_SubresourcesAndOtherResourcesAreLeftAlone) {
  testing::CoversRule("ADM-02");
  Object object = MakePod();
  const Object old_object = object;
  AdmissionRequest request =
      MakeRequest(Operation::kUpdate, object, &old_object, "ephemeralcontainers");
  std::vector<Change> changes;
  ASSERT_TRUE(AlwaysPullImages().Admit(request, changes).has_value());
  EXPECT_TRUE(changes.empty());
  EXPECT_TRUE(AlwaysPullImages().Validate(request).has_value());

  Object secret = Secret{};
  AdmissionRequest secrets = MakeRequest(Operation::kCreate, secret);
  EXPECT_TRUE(AlwaysPullImages::Ignores(secrets));
  secrets.resource = "pods";  // a pods request carrying something else
  EXPECT_EQ(AlwaysPullImages().Admit(secrets, changes).error(),
            (ApiStatus{400, "BadRequest",
                       "Resource was marked with kind Pod but was unable to be converted"}));
}

TEST(AlwaysPullImages, ADM_03_UpdatesWithoutNewImagesAreSkipped) {
  testing::CoversRule("ADM-03");
  const Object old_object = MakePod();
  Object same_images = MakePod();
  // Images move between container kinds: still no new image (set comparison).
  std::swap(std::get<Pod>(same_images).spec.containers[0].image,
            std::get<Pod>(same_images).spec.init_containers[0].image);
  AdmissionRequest request = MakeRequest(Operation::kUpdate, same_images, &old_object);
  EXPECT_TRUE(AlwaysPullImages::Ignores(request));

  Object new_image = MakePod();
  std::get<Pod>(new_image).spec.containers[0].image = "nginx:1.26";
  AdmissionRequest update = MakeRequest(Operation::kUpdate, new_image, &old_object);
  EXPECT_FALSE(AlwaysPullImages::Ignores(update));
  std::vector<Change> changes;
  ASSERT_TRUE(AlwaysPullImages().Admit(update, changes).has_value());
  EXPECT_EQ(changes.size(), 3u);
}

TEST(AlwaysPullImages, ADM_04_ValidationAggregatesEveryContainer) {
  testing::CoversRule("ADM-04");
  Object object = MakePod();
  const AdmissionRequest request = MakeRequest(Operation::kCreate, object);
  const auto result = AlwaysPullImages().Validate(request);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message,
            "[pods \"web\" is forbidden: spec.initContainers[0].imagePullPolicy: Unsupported "
            "value: \"IfNotPresent\": supported values: \"Always\", pods \"web\" is forbidden: "
            "spec.containers[0].imagePullPolicy: Unsupported value: \"Never\": supported values: "
            "\"Always\", pods \"web\" is forbidden: spec.ephemeralContainers[0].imagePullPolicy: "
            "Unsupported value: \"IfNotPresent\": supported values: \"Always\"]");
  // The name in the message: generateName when there is no name yet, else Unknown.
  std::get<Pod>(object).metadata.name = "";
  std::get<Pod>(object).metadata.generate_name = "web-";
  EXPECT_TRUE(AlwaysPullImages().Validate(request).error().message.starts_with(
      "[pods \"web-\" is forbidden"));
  std::get<Pod>(object).metadata.generate_name = "";
  EXPECT_TRUE(AlwaysPullImages().Validate(request).error().message.starts_with(
      "[pods \"Unknown\" is forbidden"));
}

class Accounts : public ServiceAccountLister {
 public:
  const ServiceAccount* FindServiceAccount(std::string_view ns,
                                           std::string_view name) const override {
    for (const ServiceAccount& account : accounts) {
      if (account.metadata.namespace_name == ns && account.metadata.name == name) return &account;
    }
    return nullptr;
  }
  ServiceAccount& Add(std::string name, std::vector<std::string> pull_secrets) {
    ServiceAccount account;
    account.metadata = {.name = std::move(name), .namespace_name = "ns1"};
    for (std::string& secret : pull_secrets) account.image_pull_secrets.push_back({secret});
    accounts.push_back(std::move(account));
    return accounts.back();
  }
  std::vector<ServiceAccount> accounts;
};

Pod PlainPod() {
  Pod pod;
  pod.metadata = {.name = "p", .namespace_name = "ns1"};
  pod.spec.containers = {MakeContainer("app", "registry.test/app", "IfNotPresent")};
  return pod;
}

TEST(ServiceAccountAdmission, ADM_05_DefaultAccountAndItsPullSecretsRecorded) {
  testing::CoversRule("ADM-05");
  Accounts accounts;
  accounts.Add("default", {"regcred-a", "regcred-b"});
  const ServiceAccountAdmission plugin(accounts);
  Object object = PlainPod();
  AdmissionRequest request = MakeRequest(Operation::kCreate, object);
  std::vector<Change> changes;
  ASSERT_TRUE(plugin.Admit(request, changes).has_value());
  EXPECT_EQ(changes, (std::vector<Change>{
                         {kServiceAccountPlugin, "spec.serviceAccountName", "", "default"},
                         {kServiceAccountPlugin, "spec.imagePullSecrets[0].name", "", "regcred-a"},
                         {kServiceAccountPlugin, "spec.imagePullSecrets[1].name", "", "regcred-b"},
                     }));
  // A missing account names the pod's namespace and the account.
  Object other = PlainPod();
  std::get<Pod>(other).spec.service_account_name = "builder";
  AdmissionRequest missing = MakeRequest(Operation::kCreate, other);
  EXPECT_EQ(plugin.Admit(missing, changes).error().message,
            "pods \"p\" is forbidden: error looking up service account ns1/builder: "
            "serviceaccount \"builder\" not found");
}

TEST(ServiceAccountAdmission, ADM_06_EnforcedReferencesInUpstreamOrder) {
  testing::CoversRule("ADM-06");
  Accounts accounts;
  ServiceAccount& account = accounts.Add("default", {"regcred"});
  account.secrets = {"mounted"};
  Pod pod = PlainPod();
  pod.spec.service_account_name = "default";
  pod.spec.image_pull_secrets = {{"regcred"}, {"stranger"}};
  pod.spec.containers[0].env_secrets = {{"", "from-env"}};
  Object object = pod;
  const AdmissionRequest request = MakeRequest(Operation::kCreate, object);

  // Off (upstream default), or the annotation not parsing as true: anything goes.
  EXPECT_TRUE(ServiceAccountAdmission(accounts).Validate(request).has_value());
  account.metadata.annotations[std::string(kEnforceMountableSecretsAnnotation)] = "yes";
  EXPECT_TRUE(ServiceAccountAdmission(accounts).Validate(request).has_value());

  account.metadata.annotations[std::string(kEnforceMountableSecretsAnnotation)] = "True";
  EXPECT_EQ(ServiceAccountAdmission(accounts).Validate(request).error().message,
            "pods \"p\" is forbidden: container app with envFrom referencing "
            "secret.secretName=\"from-env\" is not allowed because service account default does "
            "not reference that secret");
  account.secrets.push_back("from-env");
  EXPECT_EQ(ServiceAccountAdmission(accounts).Validate(request).error().message,
            "pods \"p\" is forbidden: imagePullSecrets[1].name=\"stranger\" is not allowed "
            "because service account default does not reference that imagePullSecret");

  // The plugin option enforces it for every account.
  account.metadata.annotations.clear();
  EXPECT_FALSE(ServiceAccountAdmission(accounts, true).Validate(request).has_value());

  // Ephemeral containers added through the subresource are checked too.
  Pod debugged = pod;
  debugged.spec.image_pull_secrets = {{"regcred"}};
  debugged.spec.ephemeral_containers = {MakeContainer("debug", "busybox", "IfNotPresent")};
  debugged.spec.ephemeral_containers[0].env_secrets = {{"TOKEN", "vault"}};
  Object updated = debugged;
  const Object old_object = pod;
  const AdmissionRequest subresource =
      MakeRequest(Operation::kUpdate, updated, &old_object, "ephemeralcontainers");
  EXPECT_EQ(ServiceAccountAdmission(accounts, true).Validate(subresource).error().message,
            "pods \"p\" is forbidden: ephemeral container debug with envVar TOKEN referencing "
            "secret.secretName=\"vault\" is not allowed because service account default does not "
            "reference that secret");
}

TEST(ServiceAccountAdmission, ADM_07_MirrorPodsAreNotMutated) {
  testing::CoversRule("ADM-07");
  Accounts accounts;
  accounts.Add("default", {"regcred"});
  const ServiceAccountAdmission plugin(accounts);
  Pod pod = PlainPod();
  pod.metadata.annotations[std::string(kMirrorPodAnnotation)] = "hash";
  Object object = pod;
  AdmissionRequest request = MakeRequest(Operation::kCreate, object);
  std::vector<Change> changes;
  ASSERT_TRUE(plugin.Admit(request, changes).has_value());
  EXPECT_TRUE(changes.empty());
  EXPECT_EQ(std::get<Pod>(object).spec.service_account_name, "");
  EXPECT_TRUE(std::get<Pod>(object).spec.image_pull_secrets.empty());

  std::get<Pod>(object).spec.image_pull_secrets = {{""}};
  EXPECT_EQ(plugin.Admit(request, changes).error().message,
            "pods \"p\" is forbidden: a mirror pod may not reference secrets");
}

TEST(PullSecretWarnings, ADM_08_DuplicatesThenEmptyNames) {
  testing::CoversRule("ADM-08");
  PodSpec spec;
  spec.image_pull_secrets = {{"a"}, {""}, {"a"}, {""}};
  EXPECT_EQ(PullSecretWarnings(spec, ""),
            (std::vector<std::string>{
                "spec.imagePullSecrets[2].name: duplicate name \"a\"",
                "spec.imagePullSecrets[3].name: duplicate name \"\"",
                "spec.imagePullSecrets[1].name: invalid empty name \"\"",
                "spec.imagePullSecrets[3].name: invalid empty name \"\"",
            }));
  spec.image_pull_secrets = {{"a"}, {""}};
  EXPECT_EQ(PullSecretWarnings(spec, "spec.template"),
            std::vector<std::string>{
                "spec.template.spec.imagePullSecrets[1].name: invalid empty name \"\""});
}

}  // namespace
}  // namespace pullsim::cluster
