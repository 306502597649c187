// The cluster's write path and store: manifests applied as kubectl does, admission in order,
// errors pointing at manifest lines, namespaced reads for the kubelet.
#include "sim/cluster/cluster.h"

#include <gtest/gtest.h>

#include "sim/cluster/manifest.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::cluster {
namespace {

// Applies every object of `text`; the first failure is returned.
Result<std::vector<ApplyOutcome>> ApplyText(Cluster& cluster, std::string_view text) {
  auto objects = ParseManifests(text, "apply.yaml");
  if (!objects) return std::unexpected(objects.error());
  std::vector<ApplyOutcome> outcomes;
  for (Object& object : *objects) {
    auto outcome = cluster.Apply(std::move(object));
    if (!outcome) return std::unexpected(outcome.error());
    outcomes.push_back(*std::move(outcome));
  }
  return outcomes;
}

constexpr std::string_view kTenant = R"(
apiVersion: v1
kind: Namespace
metadata: {name: tenant-a}
---
apiVersion: v1
kind: Secret
metadata: {name: regcred, namespace: tenant-a}
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '{"auths": {"registry.test": {"auth": "dXNlcjpwYXNz"}}}'
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: tenant-a}
imagePullSecrets: [{name: regcred}]
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: tenant-a}
spec:
  nodeName: node-a
  containers:
  - name: app
    image: registry.test/team/app
)";

TEST(Cluster, StartsWithTheUsualNamespacesAndDefaultAccounts) {
  const Cluster cluster;
  for (const char* ns : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    SCOPED_TRACE(ns);
    EXPECT_NE(cluster.FindNamespace(ns), nullptr);
    EXPECT_NE(cluster.FindServiceAccount(ns, "default"), nullptr);
  }
  EXPECT_EQ(Cluster(ClusterOptions{.create_default_service_accounts = false})
                .FindServiceAccount("default", "default"),
            nullptr);
}

TEST(Cluster, ADM_05_ApplyRunsDefaultingThenServiceAccountAndRecordsIt) {
  testing::CoversRules({"ADM-05", "POL-01"});
  Cluster cluster;
  auto outcomes = ApplyText(cluster, kTenant);
  ASSERT_TRUE(outcomes.has_value()) << outcomes.error().ToString();
  ASSERT_EQ(outcomes->size(), 4u);
  EXPECT_EQ((*outcomes)[0].Summary(), "namespace/tenant-a created");
  // The namespace came with its own default account; the manifest's one configured it.
  EXPECT_EQ((*outcomes)[2].Summary(), "serviceaccount/default configured");
  const ApplyOutcome& pod = (*outcomes)[3];
  EXPECT_EQ(pod.Summary(), "pod/web created");
  EXPECT_EQ(pod.changes,
            (std::vector<Change>{
                {kDefaultingStep, "spec.containers[0].imagePullPolicy", "", "Always"},
                {kServiceAccountPlugin, "spec.serviceAccountName", "", "default"},
                {kServiceAccountPlugin, "spec.imagePullSecrets[0].name", "", "regcred"},
            }));
  const Pod* stored = cluster.FindPod("tenant-a", "web");
  ASSERT_NE(stored, nullptr);
  EXPECT_FALSE(stored->metadata.uid.empty());
  EXPECT_EQ(stored->spec.image_pull_secrets, std::vector<LocalObjectReference>{{"regcred"}});
  EXPECT_EQ(cluster.ListPodsOnNode("node-a"), std::vector<const Pod*>{stored});
  EXPECT_TRUE(cluster.ListPodsOnNode("node-b").empty());

  // Applying the same manifests again changes nothing.
  auto again = ApplyText(cluster, kTenant);
  ASSERT_TRUE(again.has_value()) << again.error().ToString();
  for (const ApplyOutcome& outcome : *again) EXPECT_EQ(outcome.action, ApplyAction::kUnchanged);
}

TEST(Cluster, POL_05_ApplyKeepsTheStoredPolicyWhenTheImageChanges) {
  testing::CoversRule("POL-05");
  Cluster cluster;
  ASSERT_TRUE(ApplyText(cluster, kTenant).has_value());
  std::string updated(kTenant);
  updated.replace(updated.find("registry.test/team/app"), 22, "registry.test/team/app:1.25");
  auto outcomes = ApplyText(cluster, updated);
  ASSERT_TRUE(outcomes.has_value()) << outcomes.error().ToString();
  EXPECT_EQ(outcomes->back().action, ApplyAction::kConfigured);
  const Container& app = cluster.FindPod("tenant-a", "web")->spec.containers[0];
  EXPECT_EQ(app.image, "registry.test/team/app:1.25");
  EXPECT_EQ(app.image_pull_policy, "Always");  // fixed at creation, not IfNotPresent

  // Writing the policy explicitly is a forbidden change, pointing at the manifest.
  std::string explicit_policy = updated + "    imagePullPolicy: IfNotPresent\n";
  auto refused = ApplyText(cluster, explicit_policy);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(refused.error().message.starts_with(
      "Pod \"web\" is invalid: spec: Forbidden: pod updates may not change fields other than"))
      << refused.error().message;
  EXPECT_EQ(refused.error().where, "apply.yaml:21:1");  // the spec key
}

TEST(Cluster, ErrorsPointAtTheField) {
  Cluster cluster;
  auto refused = ApplyText(cluster,
                           "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n"
                           "  containers:\n  - name: app\n    image: ' nginx'\n");
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().ToString(),
            "apply.yaml:7:5: Pod \"web\" is invalid: spec.containers[0].image: Invalid value: \" "
            "nginx\": must not have leading or trailing whitespace");
  EXPECT_EQ(cluster.FindPod("default", "web"), nullptr);
}

TEST(Cluster, ADM_08_NamespacesScopeEverything) {
  testing::CoversRules({"ADM-08", "CRED-14"});
  Cluster cluster;
  auto missing_ns = ApplyText(cluster,
                              "apiVersion: v1\nkind: Pod\nmetadata: {name: p, "
                              "namespace: nowhere}\nspec: {containers: [{name: a, image: "
                              "nginx}]}\n");
  ASSERT_FALSE(missing_ns.has_value());
  EXPECT_EQ(missing_ns.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing_ns.error().message, "namespaces \"nowhere\" not found");

  ASSERT_TRUE(ApplyText(cluster, kTenant).has_value());
  // Tenant B names tenant A's secret: admitted, but it resolves in tenant B's namespace only.
  auto outcomes = ApplyText(cluster, R"(
apiVersion: v1
kind: Namespace
metadata: {name: tenant-b}
---
apiVersion: v1
kind: Pod
metadata: {name: thief, namespace: tenant-b}
spec:
  imagePullSecrets: [{name: regcred}, {name: ""}, {name: regcred}]
  containers: [{name: app, image: registry.test/team/app}]
)");
  ASSERT_TRUE(outcomes.has_value()) << outcomes.error().ToString();
  EXPECT_EQ(outcomes->back().warnings,
            (std::vector<std::string>{"spec.imagePullSecrets[2].name: duplicate name \"regcred\"",
                                      "spec.imagePullSecrets[1].name: invalid empty name \"\""}));
  const credentials::PodPullSecrets thief =
      cluster.GetPullSecretsForPod(*cluster.FindPod("tenant-b", "thief"));
  EXPECT_TRUE(thief.secrets.empty());
  EXPECT_EQ(thief.missing, (std::vector<std::string>{"regcred", "regcred"}));
  EXPECT_EQ(thief.warning,
            "Unable to retrieve some image pull secrets (regcred, regcred); attempting to pull "
            "the image may not succeed.");
  const credentials::PodPullSecrets owner =
      cluster.GetPullSecretsForPod(*cluster.FindPod("tenant-a", "web"));
  ASSERT_EQ(owner.secrets.size(), 1u);
  EXPECT_EQ(owner.secrets[0].namespace_name, "tenant-a");
  EXPECT_EQ(owner.secrets[0].type, "kubernetes.io/dockerconfigjson");
  EXPECT_EQ(owner.secrets[0].where, "apply.yaml:6:1");
  EXPECT_EQ(owner.secrets[0].data.at(".dockerconfigjson").substr(0, 9), "{\"auths\":");
  EXPECT_EQ(owner.warning, std::nullopt);
  // The secrets become the pod's keyring in the credentials module (CRED-10).
  auto keyring = credentials::MakePodSecretKeyring(owner.secrets);
  ASSERT_TRUE(keyring.has_value()) << keyring.error().ToString();
  EXPECT_EQ(keyring->secrets_used, 1u);

  EXPECT_TRUE(cluster.GetSecret("tenant-a", "regcred").has_value());
  EXPECT_EQ(cluster.GetSecret("tenant-b", "regcred").error().message,
            "secrets \"regcred\" not found");

  ASSERT_TRUE(cluster.Delete("Namespace", "", "tenant-b").has_value());
  EXPECT_EQ(cluster.FindPod("tenant-b", "thief"), nullptr);
  EXPECT_EQ(cluster.ListPods().size(), 1u);
  EXPECT_EQ(cluster.Delete("Pod", "tenant-b", "thief").error().message, "pods \"thief\" not found");
}

TEST(Cluster, ADM_01_AlwaysPullImagesRunsAfterServiceAccount) {
  testing::CoversRules({"ADM-01", "ADM-02"});
  Cluster cluster(ClusterOptions{.always_pull_images = true});
  auto outcomes = ApplyText(cluster, R"(
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers: [{name: app, image: "nginx:1.25", imagePullPolicy: Never}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers: [{name: app, image: "nginx:1.25"}]
)");
  ASSERT_TRUE(outcomes.has_value()) << outcomes.error().ToString();
  EXPECT_EQ(
      (*outcomes)[0].changes.back(),
      (Change{kAlwaysPullImagesPlugin, "spec.containers[0].imagePullPolicy", "Never", "Always"}));
  // A template is defaulted but not forced to Always (its pods would be, when created).
  const auto* deployment = std::get_if<Workload>(cluster.Find("Deployment", "default", "web"));
  ASSERT_NE(deployment, nullptr);
  EXPECT_EQ(deployment->template_spec.containers[0].image_pull_policy, "IfNotPresent");

  // Ephemeral containers come through the subresource, which AlwaysPullImages does not see.
  Container debug;
  debug.name = "debug";
  debug.image = "busybox:1.36";
  auto debugged = cluster.AddEphemeralContainers("default", "web", {debug});
  ASSERT_TRUE(debugged.has_value()) << debugged.error().ToString();
  EXPECT_EQ(debugged->changes,
            (std::vector<Change>{{kDefaultingStep, "spec.ephemeralContainers[0].imagePullPolicy",
                                  "", "IfNotPresent"}}));
  EXPECT_EQ(cluster.FindPod("default", "web")->spec.ephemeral_containers[0].image_pull_policy,
            "IfNotPresent");
  // The pod's history explains each policy: forced at creation, defaulted for the debugger.
  const std::vector<Change> history = cluster.HistoryOf("Pod", "default", "web");
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].plugin, kServiceAccountPlugin);
  EXPECT_EQ(history[1].plugin, kAlwaysPullImagesPlugin);
  EXPECT_EQ(history[2].path, "spec.ephemeralContainers[0].imagePullPolicy");
  // Re-applying the pod manifest keeps the ephemeral container it does not mention.
  auto reapplied = ApplyText(cluster,
                             "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n"
                             "  containers: [{name: app, image: 'nginx:1.25', "
                             "imagePullPolicy: Always}]\n");
  ASSERT_TRUE(reapplied.has_value()) << reapplied.error().ToString();
  EXPECT_EQ(reapplied->front().action, ApplyAction::kUnchanged);
}

TEST(Cluster, CreateReplaceAndGeneratedNames) {
  Cluster cluster;
  Pod pod;
  pod.metadata.generate_name = "job-";
  Container app;
  app.name = "app";
  app.image = "nginx";
  pod.spec.containers = {app};
  auto first = cluster.Create(pod);
  auto second = cluster.Create(pod);
  ASSERT_TRUE(first.has_value() && second.has_value());
  EXPECT_TRUE(first->name.starts_with("job-"));
  EXPECT_EQ(first->name.size(), 9u);
  EXPECT_NE(first->name, second->name);
  // Deterministic: a fresh cluster generates the same names.
  Cluster again;
  EXPECT_EQ(again.Create(pod)->name, first->name);

  Pod named = pod;
  named.metadata.generate_name.clear();
  named.metadata.name = "web";
  ASSERT_TRUE(cluster.Create(named).has_value());
  EXPECT_EQ(cluster.Create(named).error().message, "pods \"web\" already exists");
  named.metadata.name = "absent";
  EXPECT_EQ(cluster.Replace(named).error().code, ErrorCode::kNotFound);

  // A full replace omits what admission added, so it is a forbidden change (POL-05).
  named.metadata.name = "web";
  EXPECT_EQ(cluster.Replace(named).error().code, ErrorCode::kInvalidArgument);
  Pod stored = *cluster.FindPod("default", "web");
  stored.spec.containers[0].image = "nginx:1.25";
  auto replaced = cluster.Replace(stored);
  ASSERT_TRUE(replaced.has_value()) << replaced.error().ToString();
  EXPECT_EQ(replaced->action, ApplyAction::kConfigured);
}

TEST(Cluster, CRED_15_SecretsAreValidatedOnTheWayIn) {
  testing::CoversRule("CRED-15");
  Cluster cluster;
  auto refused = ApplyText(cluster,
                           "apiVersion: v1\nkind: Secret\nmetadata: {name: regcred}\n"
                           "type: kubernetes.io/dockerconfigjson\n"
                           "stringData: {.dockerconfigjson: '{\"auths\": '}\n");
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().message,
            "Secret \"regcred\" is invalid: data[.dockerconfigjson]: Invalid value: \"<secret "
            "contents redacted>\": unexpected end of JSON input");
  auto opaque = ApplyText(cluster, "apiVersion: v1\nkind: Secret\nmetadata: {name: plain}\n");
  ASSERT_TRUE(opaque.has_value());
  EXPECT_EQ(opaque->front().changes,
            (std::vector<Change>{{kDefaultingStep, "type", "", "Opaque"}}));
}

}  // namespace
}  // namespace pullsim::cluster
