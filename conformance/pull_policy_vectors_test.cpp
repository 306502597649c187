// POL-01..05: every vector of fixtures/vectors/pull_policy.yaml against the cluster module: the
// object is written as a manifest node, read by the manifest loader, defaulted and validated as
// the API server does, and written through the cluster's API path. Vectors are loaded at run
// time; each test records the rule ids its vector names.
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "sim/cluster/cluster.h"
#include "sim/cluster/defaults.h"
#include "sim/cluster/manifest.h"
#include "sim/cluster/validation.h"
#include "sim/credentials/aggregate_error.h"
#include "sim/testing/covers_rule.h"
#include "sim/testing/vector_file.h"

namespace pullsim::cluster {
namespace {

constexpr std::string_view kVectorFile = "fixtures/vectors/pull_policy.yaml";
// The shared file's header: "subset: shared (20 of 28 vectors in this family)".
constexpr size_t kSharedVectorCount = 20;
constexpr std::string_view kObjectName = "vector-object";

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

// The vector's keys must all be understood: a hidden vector with a new key fails here rather
// than passing without being checked.
void ExpectOnlyKeys(const YAML::Node& map, std::set<std::string> known, std::string_view what) {
  for (auto it = map.begin(); it != map.end(); ++it) {
    EXPECT_TRUE(known.contains(it->first.as<std::string>()))
        << what << " key \"" << it->first.as<std::string>() << "\" is not understood by this test";
  }
}

// "spec.template.spec.containers[0]" -> {"spec.template.spec", "containers", 0}.
struct ContainerPath {
  std::string spec_path;
  std::string list;
  size_t index = 0;
};
std::optional<ContainerPath> SplitPath(const std::string& path) {
  static const std::regex kPath(
      R"(^(.*)\.(containers|initContainers|ephemeralContainers)\[(\d+)\]$)");
  std::smatch match;
  if (!std::regex_match(path, match, kPath)) return std::nullopt;
  return ContainerPath{match[1], match[2], std::stoul(match[3])};
}

YAML::Node ContainerNode(const std::string& name, const std::string& image,
                         const YAML::Node& policy) {
  YAML::Node container;
  container["name"] = name;
  container["image"] = image;
  if (policy) container["imagePullPolicy"] = policy.as<std::string>();
  return container;
}

// A manifest node for `kind` whose container at `path` has the vector's image and policy; the
// containers before it (and a regular container when the list is another one) are fillers with
// an explicit policy, so they neither get defaulted nor fail validation.
YAML::Node ManifestNode(const std::string& kind, const ContainerPath& path, const YAML::Node& input,
                        bool with_target_list = true) {
  YAML::Node root;
  const WorkloadKind* workload = FindWorkloadKind(kind);
  root["apiVersion"] = workload != nullptr ? std::string(workload->api_version) : "v1";
  root["kind"] = kind;
  root["metadata"]["name"] = std::string(kObjectName);
  root["metadata"]["namespace"] = "default";
  YAML::Node spec = root;
  std::string rest = path.spec_path;
  while (!rest.empty()) {
    const size_t dot = rest.find('.');
    YAML::Node child = spec[rest.substr(0, dot)];
    spec.reset(child);
    rest = dot == std::string::npos ? "" : rest.substr(dot + 1);
  }
  YAML::Node filler_policy("IfNotPresent");
  if (path.list != "containers") {
    spec["containers"].push_back(ContainerNode("main", "registry.test/main:1.0", filler_policy));
  }
  if (!with_target_list) return root;
  for (size_t i = 0; i < path.index; ++i) {
    spec[path.list].push_back(
        ContainerNode("filler-" + std::to_string(i), "registry.test/filler:1.0", filler_policy));
  }
  YAML::Node vector = ContainerNode("vector", Text(input["image"]), input["imagePullPolicy"]);
  // A restartable init container (sidecar) is defaulted like any other (POL-02).
  if (input["restartPolicy"]) vector["restartPolicy"] = Text(input["restartPolicy"]);
  spec[path.list].push_back(vector);
  return root;
}

// The container at `path` in a parsed object.
const Container* ContainerAt(const Object& object, const ContainerPath& path) {
  const PodSpec* spec = nullptr;
  if (const auto* pod = std::get_if<Pod>(&object)) spec = &pod->spec;
  if (const auto* workload = std::get_if<Workload>(&object)) spec = &workload->template_spec;
  if (spec == nullptr) return nullptr;
  const std::vector<Container>& list = path.list == "containers"       ? spec->containers
                                       : path.list == "initContainers" ? spec->init_containers
                                                                       : spec->ephemeral_containers;
  return path.index < list.size() ? &list[path.index] : nullptr;
}

class PullPolicyVector : public ::testing::TestWithParam<Vector> {
 protected:
  void SetUp() override { testing::CoversRules(GetParam().rules); }
  const YAML::Node& input() const { return GetParam().input; }
  const YAML::Node& expected() const { return GetParam().expected; }
  void RunObjectVector();
  void RunUpdateVector();
};

// POL-01..04: defaulting and validation of one container of a pod or a pod template.
void PullPolicyVector::RunObjectVector() {
  ExpectOnlyKeys(input(),
                 {"object_kind", "container_path", "image", "imagePullPolicy", "restartPolicy"},
                 "input");
  ExpectOnlyKeys(expected(), {"imagePullPolicy_after_defaulting", "validation_errors"}, "expected");
  const std::string kind = Text(input()["object_kind"]);
  const auto path = SplitPath(Text(input()["container_path"]));
  ASSERT_TRUE(path.has_value()) << "container_path " << Text(input()["container_path"]);
  const bool is_pod = kind == "Pod";
  const WorkloadKind* workload = FindWorkloadKind(kind);
  ASSERT_TRUE(is_pod || workload != nullptr) << "object_kind " << kind;
  ASSERT_EQ(path->spec_path, is_pod ? "spec" : std::string(workload->template_path) + ".spec");
  const bool ephemeral = path->list == "ephemeralContainers";

  // The loader reads the manifest; the container must come back exactly as written.
  Result<Object> parsed = ParseObject(ManifestNode(kind, *path, input()), GetParam().id);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  const Container* written = ContainerAt(*parsed, *path);
  ASSERT_NE(written, nullptr);
  EXPECT_EQ(written->image, Text(input()["image"]));
  EXPECT_EQ(written->image_pull_policy, Text(input()["imagePullPolicy"]));

  const std::vector<std::string> want_errors = Strings(expected()["validation_errors"]);
  const bool defaulting_runs = static_cast<bool>(expected()["imagePullPolicy_after_defaulting"]);
  Object object = *parsed;
  if (defaulting_runs) {
    DefaultObject(object);
    EXPECT_EQ(ContainerAt(object, *path)->image_pull_policy,
              Text(expected()["imagePullPolicy_after_defaulting"]));
  }
  // The validator alone, on the (defaulted) object: exact field errors in order. Ephemeral
  // containers are only valid through the subresource, so the pod is checked without the
  // create-only rule there.
  ErrorList errors;
  if (is_pod) {
    errors =
        ephemeral ? ValidatePod(std::get<Pod>(object)) : ValidatePodCreate(std::get<Pod>(object));
  } else {
    errors = ValidateWorkload(std::get<Workload>(object));
  }
  EXPECT_EQ(ErrorStrings(errors), want_errors);
  if (!defaulting_runs) return;  // the API path always defaults; nothing more to compare

  // The whole API path: create (ephemeral containers: create the pod, then add them through
  // pods/ephemeralcontainers), then read the stored policy back.
  Cluster cluster;
  Result<ApplyOutcome> written_back;
  if (ephemeral) {
    Result<Object> base = ParseObject(ManifestNode(kind, *path, input(), false), GetParam().id);
    ASSERT_TRUE(base.has_value()) << base.error().ToString();
    ASSERT_TRUE(cluster.Create(*base).has_value());
    written_back = cluster.AddEphemeralContainers("default", kObjectName,
                                                  std::get<Pod>(*parsed).spec.ephemeral_containers);
  } else {
    written_back = cluster.Create(*parsed);
  }
  if (!want_errors.empty()) {
    ASSERT_FALSE(written_back.has_value());
    EXPECT_EQ(written_back.error().code, ErrorCode::kInvalidArgument);
    std::vector<std::string> messages = want_errors;
    EXPECT_EQ(written_back.error().message,
              (is_pod ? "Pod" : QualifiedKindOf(*parsed)) + " \"" + std::string(kObjectName) +
                  "\" is invalid: " + credentials::AggregateErrorText(messages));
    return;
  }
  ASSERT_TRUE(written_back.has_value()) << written_back.error().ToString();
  const Object* stored = cluster.Find(kind, "default", kObjectName);
  ASSERT_NE(stored, nullptr);
  EXPECT_EQ(ContainerAt(*stored, *path)->image_pull_policy,
            Text(expected()["imagePullPolicy_after_defaulting"]));
}

Pod SinglePod(const YAML::Node& container) {
  Pod pod;
  pod.metadata.name = std::string(kObjectName);
  pod.metadata.namespace_name = "default";
  Container c;
  c.name = "app";
  c.image = Text(container["image"]);
  c.image_pull_policy = Text(container["imagePullPolicy"]);
  pod.spec.containers.push_back(c);
  return pod;
}

// POL-05: the stored policy against a later write of the pod.
void PullPolicyVector::RunUpdateVector() {
  ExpectOnlyKeys(input(), {"operation", "stored", "new_object_without_policy", "new_object"},
                 "input");
  ExpectOnlyKeys(expected(), {"accepted", "error_prefix", "stored_after"}, "expected");
  Cluster cluster;
  ASSERT_TRUE(cluster.Create(SinglePod(input()["stored"])).has_value());
  const Pod stored = *cluster.FindPod("default", kObjectName);
  const YAML::Node next =
      input()["new_object"] ? input()["new_object"] : input()["new_object_without_policy"];
  const std::string operation = Text(input()["operation"]);
  Result<ApplyOutcome> result;
  if (operation == "PUT") {
    // A full replace: the stored object, edited, with the policy as the new object has it.
    Pod replacement = stored;
    replacement.spec.containers[0].image = Text(next["image"]);
    replacement.spec.containers[0].image_pull_policy = Text(next["imagePullPolicy"]);
    result = cluster.Replace(replacement);
  } else {
    ASSERT_TRUE(operation == "PATCH" || operation == "APPLY") << "operation " << operation;
    // kubectl apply / patch of a manifest that only says what it writes.
    result = cluster.Apply(SinglePod(next));
  }
  if (!expected()["accepted"].as<bool>()) {
    ASSERT_FALSE(result.has_value());
    const std::string prefix = "Pod \"" + std::string(kObjectName) + "\" is invalid: ";
    EXPECT_EQ(result.error().message.substr(0, prefix.size()), prefix);
    EXPECT_TRUE(
        result.error().message.substr(prefix.size()).starts_with(Text(expected()["error_prefix"])))
        << result.error().message;
    // The stored pod is unchanged.
    EXPECT_EQ(*cluster.FindPod("default", kObjectName), stored);
    return;
  }
  ASSERT_TRUE(result.has_value()) << result.error().ToString();
  const Container& after = cluster.FindPod("default", kObjectName)->spec.containers[0];
  EXPECT_EQ(after.image, Text(expected()["stored_after"]["image"]));
  EXPECT_EQ(after.image_pull_policy, Text(expected()["stored_after"]["imagePullPolicy"]));
}

TEST(PullPolicyVectors, POL_01_FileLoadsEveryVector) {
  testing::CoversRules({"POL-01", "POL-02", "POL-03", "POL-04", "POL-05"});
  testing::ExpectEveryVectorLoaded(Vectors(), kSharedVectorCount);
}

TEST_P(PullPolicyVector, POL_Vector) {
  if (input()["operation"]) {
    RunUpdateVector();
  } else {
    RunObjectVector();
  }
}

INSTANTIATE_TEST_SUITE_P(PullPolicyYaml, PullPolicyVector, ::testing::ValuesIn(Vectors().vectors),
                         testing::VectorIdAndRulesName);

}  // namespace
}  // namespace pullsim::cluster
