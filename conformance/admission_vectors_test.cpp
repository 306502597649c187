// ADM-01..08: every vector of fixtures/vectors/admission.yaml against the cluster module. Plugin
// vectors run the plugin on an admission request and, where the vector describes a plain pod
// write, the whole API path of a Cluster (defaulting, admission, validation, storage). Vectors
// are loaded at run time; each test records the rule ids its vector names.
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "sim/cluster/always_pull_images.h"
#include "sim/cluster/cluster.h"
#include "sim/cluster/service_account_admission.h"
#include "sim/cluster/validation.h"
#include "sim/testing/covers_rule.h"
#include "sim/testing/vector_file.h"

namespace pullsim::cluster {
namespace {

constexpr std::string_view kVectorFile = "fixtures/vectors/admission.yaml";
// The shared file's header: "subset: shared (17 of 24 vectors in this family)".
constexpr size_t kSharedVectorCount = 17;

using testing::Vector;

const testing::VectorFile& Vectors() { return testing::LoadVectorFile(kVectorFile); }

std::string Text(const YAML::Node& node) { return node ? node.as<std::string>() : std::string(); }

std::vector<std::string> Strings(const YAML::Node& node) {
  std::vector<std::string> values;
  if (node) {
    for (const YAML::Node& item : node) values.push_back(item.as<std::string>());
  }
  return values;
}

std::map<std::string, std::string> StringMap(const YAML::Node& node) {
  std::map<std::string, std::string> values;
  if (node) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      values[it->first.as<std::string>()] = it->second.as<std::string>();
    }
  }
  return values;
}

// Every key of the vector must be understood, so a hidden vector with a new key fails here
// instead of passing unchecked.
void ExpectOnlyKeys(const YAML::Node& map, const std::set<std::string>& known,
                    std::string_view what) {
  if (!map) return;
  for (auto it = map.begin(); it != map.end(); ++it) {
    EXPECT_TRUE(known.contains(it->first.as<std::string>()))
        << what << " key \"" << it->first.as<std::string>() << "\" is not understood by this test";
  }
}

std::vector<Container> Containers(const YAML::Node& list, std::string_view prefix) {
  std::vector<Container> containers;
  if (!list) return containers;
  for (const YAML::Node& item : list) {
    Container container;
    // Vectors may leave names out; validation needs distinct ones.
    container.name =
        item["name"] ? Text(item["name"]) : std::string(prefix) + std::to_string(containers.size());
    container.image = Text(item["image"]);
    container.image_pull_policy = Text(item["imagePullPolicy"]);
    // Secrets named by the environment (ADM-06): env[].valueFrom.secretKeyRef, envFrom[].secretRef.
    for (const YAML::Node& env : item["env"]) {
      if (env["valueFrom"] && env["valueFrom"]["secretKeyRef"]) {
        container.env_secrets.push_back(
            {Text(env["name"]), Text(env["valueFrom"]["secretKeyRef"]["name"])});
      }
    }
    for (const YAML::Node& env_from : item["envFrom"]) {
      if (env_from["secretRef"])
        container.env_secrets.push_back({"", Text(env_from["secretRef"]["name"])});
    }
    containers.push_back(std::move(container));
  }
  return containers;
}

std::vector<std::string> Policies(const std::vector<Container>& containers) {
  std::vector<std::string> policies;
  for (const Container& container : containers) policies.push_back(container.image_pull_policy);
  return policies;
}

std::vector<LocalObjectReference> References(const YAML::Node& names) {
  std::vector<LocalObjectReference> references;
  for (const std::string& name : Strings(names)) references.push_back({name});
  return references;
}

// A pod from a vector's container lists ({containers, initContainers, ephemeralContainers}).
Pod PodFrom(const YAML::Node& spec, const std::string& name, const std::string& ns) {
  Pod pod;
  pod.metadata.name = name;
  pod.metadata.namespace_name = ns;
  pod.spec.containers = Containers(spec["containers"], "c");
  pod.spec.init_containers = Containers(spec["initContainers"], "i");
  pod.spec.ephemeral_containers = Containers(spec["ephemeralContainers"], "e");
  if (spec["labels_changed"]) pod.metadata.labels["changed"] = "true";
  return pod;
}

void EnsureNamespace(Cluster& cluster, const std::string& name) {
  if (cluster.FindNamespace(name) != nullptr) return;
  Namespace ns;
  ns.metadata.name = name;
  ASSERT_TRUE(cluster.Create(ns).has_value());
}

class AdmissionVector : public ::testing::TestWithParam<Vector> {
 protected:
  void SetUp() override { testing::CoversRules(GetParam().rules); }
  const YAML::Node& input() const { return GetParam().input; }
  const YAML::Node& expected() const { return GetParam().expected; }
  std::string Namespace() const {
    return input()["namespace"] ? Text(input()["namespace"]) : std::string("default");
  }
  std::string PodName() const {
    return input()["pod_name"] ? Text(input()["pod_name"]) : std::string("pod");
  }
  void RunAlwaysPullImages();
  void RunServiceAccount();
  void RunPodObject();
};

// ADM-01..04.
void AdmissionVector::RunAlwaysPullImages() {
  ExpectOnlyKeys(input(),
                 {"plugin", "phase", "operation", "resource", "subresource", "pod_name",
                  "containers", "initContainers", "ephemeralContainers", "old", "new",
                  "template_containers", "object", "situation", "namespace"},
                 "input");
  ExpectOnlyKeys(expected(),
                 {"admitted", "plugin_skipped", "containers_policy", "initContainers_policy",
                  "ephemeralContainers_policy", "template_policy", "error", "error_prefix",
                  "http_status", "mutated_policy_before_validation"},
                 "expected");
  const bool update = Text(input()["operation"]) == "UPDATE";
  const bool admitted = expected()["admitted"].as<bool>();
  const AlwaysPullImages plugin;

  // The request's object and, on UPDATE, the stored one.
  Object object;
  Object old_object;
  if (input()["object"]) {
    ASSERT_EQ(Text(input()["object"]), "not a Pod");
    Secret not_a_pod;
    not_a_pod.metadata.name = PodName();
    not_a_pod.metadata.namespace_name = Namespace();
    object = not_a_pod;
  } else if (input()["template_containers"]) {
    Workload deployment;
    deployment.api_version = "apps/v1";
    deployment.kind = "Deployment";
    deployment.metadata.name = "web";
    deployment.metadata.namespace_name = Namespace();
    deployment.template_path = "spec.template";
    deployment.template_spec.containers = Containers(input()["template_containers"], "c");
    object = deployment;
  } else if (update) {
    object = PodFrom(input()["new"], PodName(), Namespace());
    old_object = PodFrom(input()["old"], PodName(), Namespace());
  } else {
    object = PodFrom(input(), PodName(), Namespace());
  }
  AdmissionRequest request =
      MakeRequest(update ? Operation::kUpdate : Operation::kCreate, object,
                  update ? &old_object : nullptr, Text(input()["subresource"]));
  if (input()["resource"]) request.resource = Text(input()["resource"]);

  if (expected()["plugin_skipped"]) {
    EXPECT_EQ(AlwaysPullImages::Ignores(request), expected()["plugin_skipped"].as<bool>());
  }

  // The plugin alone: Admit (mutating) unless the vector is about the validating phase, then
  // the object's own update validation, then Validate.
  std::vector<Change> changes;
  AdmissionResult result;
  std::vector<std::string> validation_errors;
  if (Text(input()["phase"]) != "validate") result = plugin.Admit(request, changes);
  if (result && expected()["mutated_policy_before_validation"]) {
    ASSERT_NE(request.pod(), nullptr);
    for (const Container& container : request.pod()->spec.containers) {
      EXPECT_EQ(container.image_pull_policy, Text(expected()["mutated_policy_before_validation"]));
    }
  }
  if (result && update && request.pod() != nullptr) {
    const Pod& old_pod = std::get<Pod>(old_object);
    validation_errors =
        ErrorStrings(request.subresource == "ephemeralcontainers"
                         ? ValidatePodEphemeralContainersUpdate(*request.pod(), old_pod)
                         : ValidatePodUpdate(*request.pod(), old_pod));
  }
  if (result && validation_errors.empty()) result = plugin.Validate(request);

  EXPECT_EQ(result.has_value() && validation_errors.empty(), admitted);
  if (expected()["error"]) {
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().message, Text(expected()["error"]));
  }
  if (expected()["http_status"]) {
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, expected()["http_status"].as<int>());
  }
  if (expected()["error_prefix"]) {
    const std::string prefix = Text(expected()["error_prefix"]);
    bool found = false;
    for (const std::string& error : validation_errors) found = found || error.starts_with(prefix);
    if (!result) found = found || result.error().message.starts_with(prefix);
    EXPECT_TRUE(found) << "no error starts with " << prefix;
  }
  const auto expect_policies = [&](const char* key, const std::vector<Container>& containers) {
    if (expected()[key]) {
      EXPECT_EQ(Policies(containers), Strings(expected()[key])) << key;
    }
  };
  if (const Pod* pod = request.pod()) {
    expect_policies("containers_policy", pod->spec.containers);
    expect_policies("initContainers_policy", pod->spec.init_containers);
    expect_policies("ephemeralContainers_policy", pod->spec.ephemeral_containers);
  }
  if (const auto* workload = std::get_if<Workload>(&object)) {
    expect_policies("template_policy", workload->template_spec.containers);
  }

  // A plain pod write also goes through the whole API path of a cluster with the plugin on
  // (for an UPDATE, the stored pod was created before the plugin was enabled).
  // (A pod cannot be created with ephemeral containers, so such a CREATE is a plugin-level
  // vector only.)
  const bool plain_write = Text(input()["phase"]) != "validate" && !input()["object"] &&
                           request.subresource.empty() &&
                           (request.resource == "pods" || input()["template_containers"]) &&
                           (update || !input()["ephemeralContainers"]);
  if (!plain_write) return;
  Cluster cluster(ClusterOptions{.always_pull_images = !update});
  EnsureNamespace(cluster, Namespace());
  if (update) {
    ASSERT_TRUE(cluster.Create(old_object).has_value());
    cluster.set_always_pull_images(true);
  }
  Object incoming = object;
  if (update) incoming = PodFrom(input()["new"], PodName(), Namespace());
  if (!update && request.pod() != nullptr) incoming = PodFrom(input(), PodName(), Namespace());
  const Result<ApplyOutcome> written = cluster.Apply(incoming);
  EXPECT_EQ(written.has_value(), admitted) << (written ? "" : written.error().ToString());
  if (!written) return;
  const Object* stored = cluster.Find(KindOf(incoming), Namespace(), MetaOf(incoming).name);
  ASSERT_NE(stored, nullptr);
  if (const auto* pod = std::get_if<Pod>(stored)) {
    expect_policies("containers_policy", pod->spec.containers);
    expect_policies("initContainers_policy", pod->spec.init_containers);
  }
  if (const auto* workload = std::get_if<Workload>(stored)) {
    expect_policies("template_policy", workload->template_spec.containers);
  }
}

// ADM-05..07: CREATE goes through a cluster (service accounts from the vector, no controller
// adding `default`); other operations run the plugin on a request.
void AdmissionVector::RunServiceAccount() {
  ExpectOnlyKeys(
      input(),
      {"plugin", "operation", "namespace", "pod_name", "pod", "serviceaccounts",
       "limit_secret_references", "LimitSecretReferences", "options", "subresource", "situation"},
      "input");
  ExpectOnlyKeys(input()["pod"],
                 {"serviceAccountName", "imagePullSecrets", "annotations", "generateName",
                  "containers", "initContainers", "ephemeralContainers", "volumes"},
                 "input.pod");
  ExpectOnlyKeys(input()["options"], {"LimitSecretReferences", "limit_secret_references"},
                 "input.options");
  ExpectOnlyKeys(expected(), {"admitted", "pod_after", "error"}, "expected");
  // The plugin option LimitSecretReferences, however the vector spells it.
  bool limit = false;
  for (const YAML::Node& map : {input(), input()["options"]}) {
    for (const char* key : {"limit_secret_references", "LimitSecretReferences"}) {
      if (map && map[key]) limit = map[key].as<bool>();
    }
  }
  Cluster cluster(
      ClusterOptions{.limit_secret_references = limit, .create_default_service_accounts = false});
  EnsureNamespace(cluster, Namespace());
  if (input()["serviceaccounts"]) {
    for (auto it = input()["serviceaccounts"].begin(); it != input()["serviceaccounts"].end();
         ++it) {
      ExpectOnlyKeys(it->second, {"imagePullSecrets", "annotations", "secrets"},
                     "serviceaccounts entry");
      ServiceAccount account;
      account.metadata.name = it->first.as<std::string>();
      account.metadata.namespace_name = Namespace();
      account.metadata.annotations = StringMap(it->second["annotations"]);
      account.image_pull_secrets = References(it->second["imagePullSecrets"]);
      account.secrets = Strings(it->second["secrets"]);
      ASSERT_TRUE(cluster.Create(account).has_value());
    }
  }
  const YAML::Node spec = input()["pod"];
  Pod pod;
  pod.metadata.name = input()["pod_name"] || !spec["generateName"] ? PodName() : std::string();
  pod.metadata.generate_name = Text(spec["generateName"]);
  pod.metadata.namespace_name = Namespace();
  pod.metadata.annotations = StringMap(spec["annotations"]);
  pod.spec.service_account_name = Text(spec["serviceAccountName"]);
  pod.spec.image_pull_secrets = References(spec["imagePullSecrets"]);
  pod.spec.init_containers = Containers(spec["initContainers"], "i");
  pod.spec.ephemeral_containers = Containers(spec["ephemeralContainers"], "e");
  for (const YAML::Node& volume : spec["volumes"]) {
    if (volume["secret"]) {
      pod.spec.secret_volumes.push_back(
          {Text(volume["name"]), Text(volume["secret"]["secretName"]), false});
    }
  }
  pod.spec.containers = spec["containers"]
                            ? Containers(spec["containers"], "c")
                            : std::vector<Container>{{.name = "app",
                                                      .image = "registry.test/app:1.0",
                                                      .image_pull_policy = "IfNotPresent",
                                                      .target_container_name = {},
                                                      .env_secrets = {},
                                                      .other_fields = {}}};
  const bool admitted = expected()["admitted"].as<bool>();
  const Pod* after = nullptr;
  Pod updated;
  if (Text(input()["operation"]) == "CREATE") {
    const Result<ApplyOutcome> created = cluster.Create(pod);
    ASSERT_EQ(created.has_value(), admitted) << (created ? "" : created.error().ToString());
    if (!created) {
      EXPECT_EQ(created.error().message, Text(expected()["error"]));
      EXPECT_EQ(created.error().code, ErrorCode::kPermissionDenied);
      return;
    }
    after = cluster.FindPod(Namespace(), created->name);
  } else {
    ASSERT_EQ(Text(input()["operation"]), "UPDATE");
    const ServiceAccountAdmission plugin(cluster, limit);
    Object object = pod;
    const Object old_object = pod;
    AdmissionRequest request =
        MakeRequest(Operation::kUpdate, object, &old_object, Text(input()["subresource"]));
    std::vector<Change> changes;
    AdmissionResult result = plugin.Admit(request, changes);
    if (result) result = plugin.Validate(request);
    ASSERT_EQ(result.has_value(), admitted);
    if (!result) {
      EXPECT_EQ(result.error().message, Text(expected()["error"]));
      return;
    }
    EXPECT_TRUE(changes.empty());
    updated = std::get<Pod>(object);
    after = &updated;
  }
  ASSERT_NE(after, nullptr);
  if (const YAML::Node want = expected()["pod_after"]) {
    ExpectOnlyKeys(want, {"serviceAccountName", "imagePullSecrets"}, "expected.pod_after");
    if (want["serviceAccountName"]) {
      EXPECT_EQ(after->spec.service_account_name, Text(want["serviceAccountName"]));
    }
    if (want["imagePullSecrets"]) {
      EXPECT_EQ(after->spec.image_pull_secrets, References(want["imagePullSecrets"]));
    }
  }
}

// ADM-08 (+ CRED-14): a pod or pod template written through a cluster: its warnings, and where
// its pull secrets resolve.
void AdmissionVector::RunPodObject() {
  ExpectOnlyKeys(expected(), {"warnings", "api_accepts_pod", "kubelet_event", "pull_continues"},
                 "expected");
  Cluster cluster;
  EnsureNamespace(cluster, Namespace());
  // Secrets: the pod's namespace holds secrets_in_namespace (or secrets_in_<ns>); every
  // referenced secret exists in secret_exists_in_namespace.
  const auto add_secret = [&](const std::string& ns, const std::string& name) {
    EnsureNamespace(cluster, ns);
    Secret secret;
    secret.metadata.name = name;
    secret.metadata.namespace_name = ns;
    secret.type = "kubernetes.io/dockerconfigjson";
    secret.data[".dockerconfigjson"] = R"({"auths":{}})";
    ASSERT_TRUE(cluster.Create(secret).has_value());
  };
  for (auto it = input().begin(); it != input().end(); ++it) {
    const std::string key = it->first.as<std::string>();
    if (key.starts_with("secrets_in_")) {
      const std::string ns = key == "secrets_in_namespace"
                                 ? Namespace()
                                 : key.substr(std::string("secrets_in_").size());
      for (const std::string& name : Strings(it->second)) add_secret(ns, name);
    } else if (!std::set<std::string>{"object", "namespace", "imagePullSecrets",
                                      "secret_exists_in_namespace"}
                    .contains(key)) {
      ADD_FAILURE() << "input key \"" << key << "\" is not understood by this test";
    }
  }
  if (input()["secret_exists_in_namespace"]) {
    for (const std::string& name : Strings(input()["imagePullSecrets"])) {
      add_secret(Text(input()["secret_exists_in_namespace"]), name);
    }
  }
  const std::string kind = Text(input()["object"]);
  Object object;
  const Container app{.name = "app",
                      .image = "registry.test/app:1.0",
                      .image_pull_policy = {},
                      .target_container_name = {},
                      .env_secrets = {},
                      .other_fields = {}};
  if (kind == "Pod") {
    Pod pod;
    pod.metadata.name = "pod";
    pod.metadata.namespace_name = Namespace();
    pod.spec.containers = {app};
    pod.spec.image_pull_secrets = References(input()["imagePullSecrets"]);
    object = pod;
  } else {
    const WorkloadKind* workload_kind = FindWorkloadKind(kind);
    ASSERT_NE(workload_kind, nullptr) << "object " << kind;
    Workload workload;
    workload.api_version = std::string(workload_kind->api_version);
    workload.kind = kind;
    workload.metadata.name = "workload";
    workload.metadata.namespace_name = Namespace();
    workload.template_path = std::string(workload_kind->template_path);
    workload.template_spec.containers = {app};
    workload.template_spec.image_pull_secrets = References(input()["imagePullSecrets"]);
    object = workload;
  }
  const Result<ApplyOutcome> written = cluster.Create(object);
  const bool accepted =
      expected()["api_accepts_pod"] ? expected()["api_accepts_pod"].as<bool>() : true;
  ASSERT_EQ(written.has_value(), accepted) << (written ? "" : written.error().ToString());
  if (!written) return;
  if (expected()["warnings"]) {
    EXPECT_EQ(written->warnings, Strings(expected()["warnings"]));
  }
  if (const YAML::Node event = expected()["kubelet_event"]) {
    ExpectOnlyKeys(event, {"type", "reason", "message"}, "expected.kubelet_event");
    const credentials::PodPullSecrets lookup =
        cluster.GetPullSecretsForPod(*cluster.FindPod(Namespace(), "pod"));
    EXPECT_EQ(Text(event["type"]), "Warning");
    EXPECT_EQ(Text(event["reason"]), credentials::kFailedToRetrieveImagePullSecret);
    EXPECT_EQ(lookup.warning.value_or(""), Text(event["message"]));
    // ADM-08: the secret of the same name in another namespace is not used.
    for (const credentials::PullSecret& found : lookup.secrets) {
      EXPECT_EQ(found.namespace_name, Namespace());
    }
    if (expected()["pull_continues"]) {
      // Retrieval failures do not stop the pull: the lookup reports and returns what it found.
      EXPECT_EQ(lookup.missing.size() + lookup.secrets.size(),
                Strings(input()["imagePullSecrets"]).size());
    }
  }
}

TEST(AdmissionVectors, ADM_01_FileLoadsEveryVector) {
  testing::CoversRules(
      {"ADM-01", "ADM-02", "ADM-03", "ADM-04", "ADM-05", "ADM-06", "ADM-07", "ADM-08"});
  testing::ExpectEveryVectorLoaded(Vectors(), kSharedVectorCount);
}

TEST_P(AdmissionVector, ADM_Vector) {
  const std::string plugin = Text(input()["plugin"]);
  if (plugin == "AlwaysPullImages") {
    RunAlwaysPullImages();
  } else if (plugin == "ServiceAccount") {
    RunServiceAccount();
  } else {
    ASSERT_TRUE(plugin.empty()) << "plugin " << plugin << " is not simulated";
    ASSERT_TRUE(input()["object"]) << "vector names neither a plugin nor an object";
    RunPodObject();
  }
}

INSTANTIATE_TEST_SUITE_P(AdmissionYaml, AdmissionVector, ::testing::ValuesIn(Vectors().vectors),
                         testing::VectorIdAndRulesName);

}  // namespace
}  // namespace pullsim::cluster
