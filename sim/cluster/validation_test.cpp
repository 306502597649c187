// API validation and defaulting: containers, images and pull policies (POL-01..05), secrets
// (CRED-15), names.
#include "sim/cluster/validation.h"

#include <gtest/gtest.h>

#include "sim/cluster/defaults.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::cluster {
namespace {

Container MakeContainer(std::string name, std::string image, std::string policy = "IfNotPresent") {
  Container container;
  container.name = std::move(name);
  container.image = std::move(image);
  container.image_pull_policy = std::move(policy);
  return container;
}

Pod MakePod(std::vector<Container> containers) {
  Pod pod;
  pod.metadata.name = "web";
  pod.metadata.namespace_name = "default";
  pod.spec.containers = std::move(containers);
  return pod;
}

TEST(DefaultPodSpec, POL_02_EveryContainerKindAndEveryTemplate) {
  testing::CoversRules({"POL-01", "POL-02"});
  Pod pod = MakePod({MakeContainer("app", "nginx", "")});
  pod.spec.init_containers = {MakeContainer("init", "busybox:1.36", "")};
  pod.spec.ephemeral_containers = {MakeContainer("debug", "busybox:latest", ""),
                                   MakeContainer("kept", "busybox", "Never")};
  Object object = pod;
  const std::vector<Change> changes = DefaultObject(object);
  const PodSpec& spec = std::get<Pod>(object).spec;
  EXPECT_EQ(spec.containers[0].image_pull_policy, "Always");
  EXPECT_EQ(spec.init_containers[0].image_pull_policy, "IfNotPresent");
  EXPECT_EQ(spec.ephemeral_containers[0].image_pull_policy, "Always");
  EXPECT_EQ(spec.ephemeral_containers[1].image_pull_policy, "Never");
  // Recorded in visiting order: init, regular, ephemeral.
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0], (Change{kDefaultingStep, "spec.initContainers[0].imagePullPolicy", "",
                                "IfNotPresent"}));
  EXPECT_EQ(changes[1].path, "spec.containers[0].imagePullPolicy");
  EXPECT_EQ(changes[2].path, "spec.ephemeralContainers[0].imagePullPolicy");

  Workload cron;
  cron.api_version = "batch/v1";
  cron.kind = "CronJob";
  cron.metadata = {.name = "nightly", .namespace_name = "default"};
  cron.template_path = "spec.jobTemplate.spec.template";
  cron.template_spec.containers = {MakeContainer("job", "registry.test/job", "")};
  Object workload = cron;
  const std::vector<Change> template_changes = DefaultObject(workload);
  EXPECT_EQ(std::get<Workload>(workload).template_spec.containers[0].image_pull_policy, "Always");
  ASSERT_EQ(template_changes.size(), 1u);
  EXPECT_EQ(template_changes[0].path,
            "spec.jobTemplate.spec.template.spec.containers[0].imagePullPolicy");
}

TEST(ValidatePod, POL_03_PolicyAndContainerNames) {
  testing::CoversRule("POL-03");
  Pod pod = MakePod({MakeContainer("app", "nginx", "Sometimes"), MakeContainer("app", "nginx"),
                     MakeContainer("Bad", "nginx", "")});
  pod.spec.init_containers = {MakeContainer("", "busybox")};
  EXPECT_EQ(
      ErrorStrings(ValidatePod(pod)),
      (std::vector<std::string>{
          "spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported "
          "values: \"Always\", \"IfNotPresent\", \"Never\"",
          "spec.containers[1].name: Duplicate value: \"app\"",
          "spec.containers[2].name: Invalid value: \"Bad\": a lowercase RFC 1123 label must "
          "consist of lower case alphanumeric characters or '-', and must start and end with an "
          "alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
          "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
          "spec.containers[2].imagePullPolicy: Required value",
          "spec.initContainers[0].name: Required value",
      }));
  EXPECT_EQ(ErrorStrings(ValidatePod(MakePod({}))),
            std::vector<std::string>{"spec.containers: Required value"});
}

TEST(ValidatePod, POL_04_WhitespaceOnlyInPodsAndEmptyImageEverywhere) {
  testing::CoversRule("POL-04");
  Pod pod = MakePod({MakeContainer("app", "nginx "), MakeContainer("empty", "")});
  pod.spec.init_containers = {MakeContainer("init", "\tbusybox")};
  EXPECT_EQ(ErrorStrings(ValidatePodCreate(pod)),
            (std::vector<std::string>{
                "spec.containers[1].image: Required value",
                "spec.containers[0].image: Invalid value: \"nginx \": must not have leading or "
                "trailing whitespace",
                "spec.initContainers[0].image: Invalid value: \"\\tbusybox\": must not have "
                "leading or trailing whitespace",
            }));
  // Unicode space counts too (Go's strings.TrimSpace).
  EXPECT_EQ(ValidatePodCreate(MakePod({MakeContainer("app", "nginx\xc2\xa0")})).size(), 1u);
  // The grammar is the node's business: an invalid reference is accepted here.
  EXPECT_TRUE(ValidatePodCreate(MakePod({MakeContainer("app", "Nginx:")})).empty());

  Workload deployment;
  deployment.api_version = "apps/v1";
  deployment.kind = "Deployment";
  deployment.metadata = {.name = "web", .namespace_name = "default"};
  deployment.template_path = "spec.template";
  deployment.template_spec.containers = {MakeContainer("app", " nginx"),
                                         MakeContainer("other", "")};
  EXPECT_EQ(ErrorStrings(ValidateWorkload(deployment)),
            std::vector<std::string>{"spec.template.spec.containers[1].image: Required value"});
}

TEST(ValidatePod, EphemeralContainersOnlyThroughTheSubresource) {
  Pod pod = MakePod({MakeContainer("app", "nginx")});
  pod.spec.ephemeral_containers = {MakeContainer("debug", " busybox")};
  pod.spec.ephemeral_containers[0].other_fields["ports"] = "[]";
  pod.spec.ephemeral_containers[0].target_container_name = "missing";
  EXPECT_EQ(ErrorStrings(ValidatePodCreate(pod)),
            (std::vector<std::string>{
                "spec.ephemeralContainers[0].image: Invalid value: \" busybox\": must not have "
                "leading or trailing whitespace",
                "spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral "
                "Container",
                "spec.ephemeralContainers[0].targetContainerName: Not found: \"missing\"",
                "spec.ephemeralContainers: Forbidden: cannot be set on create",
            }));

  const Pod old_pod = MakePod({MakeContainer("app", "nginx")});
  Pod added = old_pod;
  added.spec.ephemeral_containers = {MakeContainer("debug", "busybox")};
  EXPECT_TRUE(ValidatePodEphemeralContainersUpdate(added, old_pod).empty());
  Pod changed = added;
  changed.spec.ephemeral_containers[0].image = "busybox:2";
  EXPECT_EQ(ErrorStrings(ValidatePodEphemeralContainersUpdate(changed, added)),
            std::vector<std::string>{"spec.ephemeralContainers: Forbidden: existing ephemeral "
                                     "containers \"debug\" may not be changed"});
  EXPECT_EQ(ErrorStrings(ValidatePodEphemeralContainersUpdate(old_pod, added)),
            std::vector<std::string>{"spec.ephemeralContainers: Forbidden: existing ephemeral "
                                     "containers \"debug\" may not be removed"});
}

TEST(ValidatePodUpdate, POL_05_OnlyImagesMayChange) {
  testing::CoversRule("POL-05");
  Pod old_pod = MakePod({MakeContainer("app", "nginx", "Always")});
  old_pod.spec.init_containers = {MakeContainer("init", "busybox:1.36")};
  old_pod.metadata.uid = "u1";

  Pod images = old_pod;
  images.spec.containers[0].image = "nginx:1.25";
  images.spec.init_containers[0].image = "busybox:1.37";
  images.metadata.labels["changed"] = "yes";
  EXPECT_TRUE(ValidatePodUpdate(images, old_pod).empty());

  Pod policy = old_pod;
  policy.spec.containers[0].image_pull_policy = "IfNotPresent";
  const ErrorList errors = ValidatePodUpdate(policy, old_pod);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].path, "spec");
  EXPECT_TRUE(errors[0].ToString().starts_with(
      "spec: Forbidden: pod updates may not change fields other than "
      "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
      "`spec.tolerations` (only additions to existing tolerations),"
      "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously "
      "negative)\n"))
      << errors[0].ToString();
  // Our own account of what differs follows the fixed sentence.
  EXPECT_NE(errors[0].detail.find("spec.containers[0].imagePullPolicy: \"Always\" -> "
                                  "\"IfNotPresent\""),
            std::string::npos)
      << errors[0].detail;

  Pod secrets = old_pod;
  secrets.spec.image_pull_secrets = {{"regcred"}};
  EXPECT_EQ(ValidatePodUpdate(secrets, old_pod).size(), 1u);

  Pod more = old_pod;
  more.spec.containers.push_back(MakeContainer("sidecar", "envoy"));
  EXPECT_EQ(ErrorStrings(ValidatePodUpdate(more, old_pod)),
            std::vector<std::string>{
                "spec.containers: Forbidden: pod updates may not add or remove containers"});

  Pod uid = old_pod;
  uid.metadata.uid = "u2";
  EXPECT_EQ(ErrorStrings(ValidatePodUpdate(uid, old_pod)),
            std::vector<std::string>{"metadata.uid: Invalid value: \"u2\": field is immutable"});

  Pod spaced = old_pod;
  spaced.spec.containers[0].image = "nginx ";
  EXPECT_EQ(ErrorStrings(ValidatePodUpdate(spaced, old_pod)),
            std::vector<std::string>{"spec.containers[0].image: Invalid value: \"nginx \": must "
                                     "not have leading or trailing whitespace"});
}

Secret MakeSecret(std::string type, std::map<std::string, std::string> data) {
  Secret secret;
  secret.metadata = {.name = "s", .namespace_name = "default"};
  secret.type = std::move(type);
  secret.data = std::move(data);
  return secret;
}

TEST(ValidateSecret, CRED_15_PullSecretTypes) {
  testing::CoversRule("CRED-15");
  EXPECT_TRUE(ValidateSecret(MakeSecret("kubernetes.io/dockerconfigjson",
                                        {{".dockerconfigjson", R"({"auths":{}})"}}))
                  .empty());
  EXPECT_EQ(ErrorStrings(ValidateSecret(
                MakeSecret("kubernetes.io/dockerconfigjson", {{".dockercfg", "{}"}}))),
            std::vector<std::string>{"data[.dockerconfigjson]: Required value"});
  EXPECT_EQ(ErrorStrings(ValidateSecret(
                MakeSecret("kubernetes.io/dockercfg", {{".dockercfg", R"(["a"])"}}))),
            std::vector<std::string>{
                "data[.dockercfg]: Invalid value: \"<secret contents redacted>\": json: cannot "
                "unmarshal array into Go value of type map[string]interface {}"});
  EXPECT_EQ(ErrorStrings(ValidateSecret(
                MakeSecret("kubernetes.io/dockerconfigjson", {{".dockerconfigjson", ""}}))),
            std::vector<std::string>{"data[.dockerconfigjson]: Invalid value: \"<secret contents "
                                     "redacted>\": unexpected end of JSON input"});
  // Opaque secrets holding a docker config are not checked (and are not pull secrets).
  EXPECT_TRUE(ValidateSecret(MakeSecret("Opaque", {{".dockerconfigjson", "{"}})).empty());
}

TEST(ValidateSecret, OtherTypesKeysAndSize) {
  EXPECT_EQ(ErrorStrings(ValidateSecret(MakeSecret("kubernetes.io/basic-auth", {}))),
            (std::vector<std::string>{"data[%s][username]: Required value",
                                      "data[%s][password]: Required value"}));
  EXPECT_EQ(ErrorStrings(ValidateSecret(MakeSecret("kubernetes.io/tls", {{"tls.crt", "x"}}))),
            std::vector<std::string>{"data[tls.key]: Required value"});
  EXPECT_EQ(ErrorStrings(ValidateSecret(MakeSecret("kubernetes.io/service-account-token", {}))),
            std::vector<std::string>{
                "metadata.annotations[kubernetes.io/service-account.name]: Required value"});
  const auto bad_key = ErrorStrings(ValidateSecret(MakeSecret("Opaque", {{"a/b", "x"}})));
  ASSERT_EQ(bad_key.size(), 1u);
  EXPECT_TRUE(bad_key[0].starts_with("data[a/b]: Invalid value: \"a/b\": a valid config key"));
  EXPECT_EQ(ErrorStrings(ValidateSecret(
                MakeSecret("Opaque", {{"big", std::string(1 << 20, 'x')}, {"more", "x"}}))),
            std::vector<std::string>{"data: Too long: may not be more than 1048576 bytes"});
}

TEST(ValidateSecretUpdate, TypeAndImmutableData) {
  Secret old_secret = MakeSecret("kubernetes.io/dockerconfigjson", {{".dockerconfigjson", "{}"}});
  Secret retyped = old_secret;
  retyped.type = "Opaque";
  EXPECT_EQ(ErrorStrings(ValidateSecretUpdate(retyped, old_secret)),
            std::vector<std::string>{"type: Invalid value: \"Opaque\": field is immutable"});
  old_secret.immutable = true;
  Secret edited = old_secret;
  edited.data[".dockerconfigjson"] = R"({"auths":{}})";
  edited.immutable.reset();
  EXPECT_EQ(
      ErrorStrings(ValidateSecretUpdate(edited, old_secret)),
      (std::vector<std::string>{"immutable: Forbidden: field is immutable when `immutable` is set",
                                "data: Forbidden: field is immutable when `immutable` is set"}));
}

TEST(ValidateObjectMeta, NamesNamespacesLabels) {
  Pod pod = MakePod({MakeContainer("app", "nginx")});
  pod.metadata.name = "";
  pod.metadata.labels["app"] = "-bad";
  pod.spec.service_account_name = "Builder";
  const auto errors = ErrorStrings(ValidatePodCreate(pod));
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0], "metadata.name: Required value: name or generateName is required");
  EXPECT_TRUE(errors[1].starts_with("metadata.labels: Invalid value: \"-bad\": a valid label"));
  EXPECT_TRUE(errors[2].starts_with("spec.serviceAccountName: Invalid value: \"Builder\""));

  Namespace ns;
  ns.metadata.name = "team.a";
  EXPECT_EQ(ErrorStrings(ValidateNamespace(ns)),
            std::vector<std::string>{"metadata.name: Invalid value: \"team.a\": must not contain "
                                     "dots"});
  ns.metadata.name = "team-a";
  ns.metadata.namespace_name = "x";
  EXPECT_EQ(ErrorStrings(ValidateNamespace(ns)),
            std::vector<std::string>{"metadata.namespace: Forbidden: not allowed on this type"});
}

TEST(InvalidStatus, AggregatesLikeTheApiServer) {
  EXPECT_EQ(InvalidStatus("Pod", "web", {RequiredField("spec.containers[0].image")}).message,
            "Pod \"web\" is invalid: spec.containers[0].image: Required value");
  const ApiStatus two = InvalidStatus("Deployment.apps", "d",
                                      {RequiredField("a"), RequiredField("b"), RequiredField("a")});
  EXPECT_EQ(two.message,
            "Deployment.apps \"d\" is invalid: [a: Required value, b: Required value]");
  EXPECT_EQ(two.code, 422);
}

}  // namespace
}  // namespace pullsim::cluster
