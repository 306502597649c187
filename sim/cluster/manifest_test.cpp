// Reading manifests as kubectl apply does: documents, lists, JSON, strict fields, scalar types,
// Secret data, positions.
#include "sim/cluster/manifest.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "sim/testing/covers_rule.h"

namespace pullsim::cluster {
namespace {

Result<std::vector<Object>> Parse(std::string_view text) { return ParseManifests(text, "m.yaml"); }

// The error of a manifest that must fail, as "where: message".
std::string ErrorOf(std::string_view text) {
  auto parsed = Parse(text);
  if (parsed) return "parsed " + std::to_string(parsed->size()) + " objects";
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
  return parsed.error().ToString();
}

TEST(Manifest, ReadsEveryDocumentInOrder) {
  auto objects = Parse(R"(
apiVersion: v1
kind: Namespace
metadata: {name: team-a}
---
# only a comment
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: builder, namespace: team-a}
imagePullSecrets: [{name: regcred}]
secrets: [{name: token}]
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: team-a
  uid: "1234"
  labels: {app: web}
spec:
  serviceAccountName: builder
  nodeName: node-a
  imagePullSecrets: [{name: regcred}, {name: other}]
  initContainers: [{name: init, image: "busybox:1.36"}]
  containers:
  - name: app
    image: registry.test/team/app:1.0
    imagePullPolicy: Always
    ports: [{containerPort: 80}]
)");
  ASSERT_TRUE(objects.has_value()) << objects.error().ToString();
  ASSERT_EQ(objects->size(), 3u);
  EXPECT_EQ(std::get<Namespace>((*objects)[0]).metadata.name, "team-a");
  const auto& account = std::get<ServiceAccount>((*objects)[1]);
  EXPECT_EQ(account.image_pull_secrets, std::vector<LocalObjectReference>{{"regcred"}});
  EXPECT_EQ(account.secrets, std::vector<std::string>{"token"});
  const auto& pod = std::get<Pod>((*objects)[2]);
  EXPECT_EQ(pod.metadata.uid, "1234");
  EXPECT_EQ(pod.metadata.labels.at("app"), "web");
  EXPECT_EQ(pod.spec.service_account_name, "builder");
  EXPECT_EQ(pod.spec.node_name, "node-a");
  EXPECT_EQ(pod.spec.image_pull_secrets.size(), 2u);
  ASSERT_EQ(pod.spec.init_containers.size(), 1u);
  EXPECT_EQ(pod.spec.init_containers[0].image, "busybox:1.36");
  EXPECT_EQ(pod.spec.init_containers[0].image_pull_policy, "");
  ASSERT_EQ(pod.spec.containers.size(), 1u);
  EXPECT_EQ(pod.spec.containers[0].image_pull_policy, "Always");
  EXPECT_TRUE(pod.spec.containers[0].other_fields.contains("ports"));
}

TEST(Manifest, KeepsPositionsOfFields) {
  auto objects = Parse(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n"
      "  - name: app\n    image: nginx\n");
  ASSERT_TRUE(objects.has_value()) << objects.error().ToString();
  const SourceMap& source = SourceOf(objects->front());
  EXPECT_EQ(source.Find("").ToString(), "m.yaml:1:1");
  EXPECT_EQ(source.Find("spec.containers[0].image").ToString(), "m.yaml:7:5");
  EXPECT_TRUE(source.Has("spec.containers[0].name"));
  EXPECT_FALSE(source.Has("spec.containers[0].imagePullPolicy"));
  // An unrecorded field falls back to its closest parent.
  EXPECT_EQ(source.Find("spec.containers[0].imagePullPolicy").ToString(), "m.yaml:6:5");
}

TEST(Manifest, ListsAndJson) {
  auto objects = Parse(R"({"apiVersion": "v1", "kind": "List", "items": [
    {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "a"}, "stringData": {"k": "v"}},
    {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
     "spec": {"replicas": 2, "template": {"spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}
  ]})");
  ASSERT_TRUE(objects.has_value()) << objects.error().ToString();
  ASSERT_EQ(objects->size(), 2u);
  EXPECT_EQ(std::get<Secret>((*objects)[0]).data.at("k"), "v");
  const auto& deployment = std::get<Workload>((*objects)[1]);
  EXPECT_EQ(deployment.kind, "Deployment");
  EXPECT_EQ(deployment.template_path, "spec.template");
  EXPECT_EQ(deployment.template_spec.containers.at(0).image, "nginx");
  EXPECT_TRUE(deployment.other_fields.contains("spec"));
  EXPECT_EQ(QualifiedKindOf((*objects)[1]), "Deployment.apps");
  EXPECT_EQ(ResourceOf((*objects)[1]), "deployments.apps");
}

TEST(Manifest, CronJobTemplateIsFoundWhereItLives) {
  auto objects = Parse(R"(
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 1 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: job, image: "registry.test/job"}]
)");
  ASSERT_TRUE(objects.has_value()) << objects.error().ToString();
  const auto& cron = std::get<Workload>(objects->front());
  EXPECT_EQ(TemplateSpecPath(cron), "spec.jobTemplate.spec.template.spec");
  EXPECT_EQ(cron.template_spec.containers.at(0).image, "registry.test/job");
}

TEST(Manifest, SecretDataIsBase64AndStringDataWins) {
  auto objects = Parse(R"(
apiVersion: v1
kind: Secret
metadata: {name: regcred}
type: kubernetes.io/dockerconfigjson
immutable: true
data:
  .dockerconfigjson: eyJhdXRocyI6e319
  shared: b2xk
stringData:
  shared: new
)");
  ASSERT_TRUE(objects.has_value()) << objects.error().ToString();
  const auto& secret = std::get<Secret>(objects->front());
  EXPECT_EQ(secret.type, "kubernetes.io/dockerconfigjson");
  EXPECT_EQ(secret.data.at(".dockerconfigjson"), R"({"auths":{}})");
  EXPECT_EQ(secret.data.at("shared"), "new");
  EXPECT_EQ(secret.immutable, true);

  EXPECT_EQ(ErrorOf("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  k: 'ab!c'\n"),
            "m.yaml:5:6: Secret in version \"v1\" cannot be handled as a Secret: illegal base64 "
            "data at input byte 2 (data[k])");
}

TEST(Manifest, SecretReferencesInEnvironmentAndVolumes) {
  auto objects = Parse(R"(
apiVersion: v1
kind: Pod
metadata: {name: a}
spec:
  volumes:
  - {name: plain, emptyDir: {}}
  - {name: creds, secret: {secretName: mounted}}
  - name: projected
    projected: {sources: [{configMap: {name: c}}, {secret: {name: bundled}}]}
  containers:
  - name: c
    image: nginx
    env:
    - {name: PLAIN, value: x}
    - {name: FIELD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    - {name: TOKEN, valueFrom: {secretKeyRef: {name: vault, key: token}}}
    envFrom:
    - configMapRef: {name: settings}
    - secretRef: {name: bulk}
)");
  ASSERT_TRUE(objects.has_value()) << objects.error().ToString();
  const auto& pod = std::get<Pod>(objects->front());
  EXPECT_EQ(pod.spec.secret_volumes, (std::vector<SecretVolume>{{"creds", "mounted", false},
                                                                {"projected", "bundled", true}}));
  EXPECT_EQ(pod.spec.containers[0].env_secrets,
            (std::vector<EnvSecretReference>{{"TOKEN", "vault"}, {"", "bulk"}}));
}

TEST(Manifest, DeprecatedServiceAccountAlias) {
  auto objects = Parse(R"(
apiVersion: v1
kind: Pod
metadata: {name: a}
spec: {serviceAccount: old, containers: [{name: c, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b}
spec: {serviceAccount: old, serviceAccountName: new, containers: [{name: c, image: nginx}]}
)");
  ASSERT_TRUE(objects.has_value()) << objects.error().ToString();
  EXPECT_EQ(std::get<Pod>((*objects)[0]).spec.service_account_name, "old");
  EXPECT_EQ(std::get<Pod>((*objects)[1]).spec.service_account_name, "new");
}

TEST(Manifest, NullMeansOmitted) {
  auto objects = Parse(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n"
      "  containers: [{name: c, image: nginx, imagePullPolicy: }]\n"
      "  imagePullSecrets: ~\n");
  ASSERT_TRUE(objects.has_value()) << objects.error().ToString();
  const auto& pod = std::get<Pod>(objects->front());
  EXPECT_EQ(pod.spec.containers[0].image_pull_policy, "");
  EXPECT_TRUE(pod.spec.image_pull_secrets.empty());
}

TEST(Manifest, RefusesWhatTheApiServerRefuses) {
  EXPECT_EQ(ErrorOf("apiVersion: v1\nkind: Pdo\nmetadata: {name: a}\n"),
            "m.yaml:2:7: no matches for kind \"Pdo\" in version \"v1\"");
  EXPECT_EQ(ErrorOf("apiVersion: apps/v1\nkind: Pod\nmetadata: {name: a}\n"),
            "m.yaml:2:7: no matches for kind \"Pod\" in version \"apps/v1\"");
  EXPECT_EQ(ErrorOf("apiVersion: extensions/v1beta1\nkind: Deployment\n"),
            "m.yaml:2:7: no matches for kind \"Deployment\" in version \"extensions/v1beta1\"");
  EXPECT_EQ(ErrorOf("kind: Pod\nmetadata: {name: a}\n"), "m.yaml:1:1: apiVersion not set");
  EXPECT_EQ(ErrorOf("apiVersion: v1\nmetadata: {name: a}\n"), "m.yaml:1:1: kind not set");
  EXPECT_EQ(ErrorOf("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n"
                    "  - name: c\n    image: nginx\n    imagePullPolicyy: Always\n"),
            "m.yaml:8:5: strict decoding error: unknown field "
            "\"spec.containers[0].imagePullPolicyy\"");
  EXPECT_EQ(ErrorOf("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n"
                    "  - name: c\n    image: nginx\n    image: busybox\n"),
            "m.yaml:8:5: duplicate field \"spec.containers[0].image\"");
  EXPECT_EQ(ErrorOf("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: app\n"),
            "m.yaml:5:15: spec.containers: expected a list, got a string");
  EXPECT_EQ(ErrorOf("- just\n- a list\n"), "m.yaml:1:1: a manifest document must be a mapping");
}

TEST(Manifest, PlainScalarsThatAreNotStrings) {
  // kubectl turns YAML into JSON: a plain 1.0 is a number, yes is a bool (YAML 1.1).
  EXPECT_EQ(ErrorOf("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: {version: 1.0}\n"),
            "m.yaml:5:21: metadata.labels[version]: expected a string, got a number 1.0 (quote "
            "it: \"1.0\")");
  EXPECT_EQ(ErrorOf("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n"
                    "  containers: [{name: c, image: yes}]\n"),
            "m.yaml:5:33: spec.containers[0].image: expected a string, got a bool yes (quote it: "
            "\"yes\")");
  auto quoted = Parse("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: {v: \"1.0\"}\n");
  ASSERT_TRUE(quoted.has_value());
  EXPECT_EQ(MetaOf(quoted->front()).labels.at("v"), "1.0");
  EXPECT_EQ(ErrorOf("apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nimmutable: maybe\n"),
            "m.yaml:4:12: immutable: expected a bool, got a string maybe");
}

TEST(Manifest, YamlSyntaxErrorsCarryFileLineColumn) {
  const std::string error = ErrorOf("apiVersion: v1\nkind: Pod\nmetadata: {name: a\n");
  EXPECT_TRUE(error.starts_with("m.yaml:")) << error;
  EXPECT_NE(error.find(": yaml: "), std::string::npos) << error;
  EXPECT_EQ(ErrorOf("a: [1, 2\n").substr(0, 7), "m.yaml:");
}

TEST(Manifest, NodesBuiltInCodeAreStrings) {
  YAML::Node node;
  node["apiVersion"] = "v1";
  node["kind"] = "ServiceAccount";
  node["metadata"]["name"] = "true";  // a string given in code stays a string
  node["automountServiceAccountToken"] = false;
  auto object = ParseObject(node, "scenario.yaml");
  ASSERT_TRUE(object.has_value()) << object.error().ToString();
  EXPECT_EQ(MetaOf(*object).name, "true");
  EXPECT_EQ(std::get<ServiceAccount>(*object).automount_service_account_token, false);
}

TEST(Manifest, HostileDocumentsAreErrorsNotCrashes) {
  const std::string bomb = R"(
apiVersion: v1
kind: Pod
metadata: {name: a}
x0: &a0 [s, s, s, s, s, s, s, s, s, s]
x1: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]
x2: &a2 [*a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1]
x3: &a3 [*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]
x4: &a4 [*a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3]
x5: &a5 [*a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4]
x6: &a6 [*a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5]
spec:
  containers: [{name: c, image: nginx}]
  affinity: *a6
)";
  const std::string documents[] = {
      bomb,
      "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  tolerations: &t [*t]\n",
      "apiVersion: v1\nkind: Pod\nmetadata: &m {name: a, labels: *m}\n",
      "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: &c [*c]}\n",
      std::string(5000, '[') + std::string(5000, ']'),
      "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {affinity: " + std::string(300, '[') +
          std::string(300, ']') + "}\n",
      "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{? [a]: b}]}\n",
      "apiVersion: v1\nkind: List\nitems: [1, 2]\n",
      "apiVersion: !!binary aGVsbG8=\nkind: Pod\n",
      "\t- tab\n",
      "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, "
      "image: {a: b}}]}\n",
      "apiVersion: v1\nkind: Secret\nmetadata: {name: a}\ndata: [a, b]\n",
  };
  for (const std::string& document : documents) {
    SCOPED_TRACE(document.substr(0, 60));
    auto parsed = Parse(document);
    ASSERT_FALSE(parsed.has_value());
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
    EXPECT_FALSE(parsed.error().message.empty());
  }
}

TEST(Manifest, LoadsFiles) {
  const auto path = std::filesystem::path(PULLSIM_BINARY_DIR) / "cluster_manifest_test.yaml";
  {
    std::ofstream out(path);
    out << "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n";
  }
  auto objects = LoadManifestFile(path);
  ASSERT_TRUE(objects.has_value()) << objects.error().ToString();
  EXPECT_EQ(SourceOf(objects->front()).Find("").file, path.string());
  std::filesystem::remove(path);
  auto missing = LoadManifestFile(path);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace pullsim::cluster
