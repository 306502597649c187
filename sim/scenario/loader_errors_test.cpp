// The loader's diagnostics: each kind of mistake in a scenario file gets one precise message at
// the right file:line:col and field path (issue 7 "Done when": at least 20 kinds).
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "sim/core/rule_catalogue.h"
#include "sim/scenario/loader.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::scenario {
namespace {

struct Mistake {
  const char* name;
  const char* yaml;
  const char* expected;  // the one diagnostic, as `pullsim validate` prints it
};

// Each document is valid except for one mistake.
constexpr Mistake kMistakes[] = {
    {"unknown key with a suggestion",
     R"y(name: t
descripton: d
rules: [KUB-02]
steps: [{advance: 1s}]
)y",
     // The missing "description" is reported at the mapping; the typo at its key.
     "t.yaml:1:1: missing required field \"description\"\n"
     "t.yaml:2:1: descripton: unknown key \"descripton\"; did you mean \"description\"?"},
    {"unknown key without a close match",
     R"y(name: t
description: d
rules: [KUB-02]
nodes: [{name: node-a, colour: red}]
steps: [{advance: 1s}]
)y",
     "t.yaml:4:24: nodes[0].colour: unknown key \"colour\"; expected name, platform, kubelet, "
     "env, cwd, files, or images"},
    {"snake_case for a camelCase key",
     R"y(name: t
description: d
rules: [KUB-02]
nodes:
  - name: node-a
    kubelet: {registry_pull_qps: 5}
steps: [{advance: 1s}]
)y",
     "t.yaml:6:15: nodes[0].kubelet.registry_pull_qps: unknown key \"registry_pull_qps\"; did you "
     "mean \"registryPullQPS\"?"},
    {"a word where an integer belongs",
     R"y(name: t
description: d
rules: [KUB-02]
nodes:
  - name: node-a
    kubelet: {registryPullQPS: five}
steps: [{advance: 1s}]
)y",
     "t.yaml:6:32: nodes[0].kubelet.registryPullQPS: expected an integer, got \"five\""},
    {"a quoted number where an integer belongs",
     R"y(name: t
description: d
rules: [KUB-02]
nodes:
  - name: node-a
    kubelet: {registryBurst: "10"}
steps: [{advance: 1s}]
)y",
     "t.yaml:6:30: nodes[0].kubelet.registryBurst: expected an integer, got \"10\""},
    {"YAML 1.1 yes for a boolean",
     R"y(name: t
description: d
rules: [KUB-02]
nodes:
  - name: node-a
    kubelet:
      serializeImagePulls: yes
steps: [{advance: 1s}]
)y",
     "t.yaml:7:28: nodes[0].kubelet.serializeImagePulls: expected true or false, got \"yes\""},
    {"a boolean where a string belongs",
     R"y(name: t
description: true
rules: [KUB-02]
steps: [{advance: 1s}]
)y",
     "t.yaml:2:14: description: expected a string, got true (a boolean); quote it to mean the "
     "text \"true\""},
    {"a mapping where a list belongs",
     R"y(name: t
description: d
rules: [KUB-02]
nodes: {name: node-a}
steps: [{advance: 1s}]
)y",
     "t.yaml:4:8: nodes: expected a list, got a mapping"},
    {"a missing required field",
     R"y(name: t
description: d
rules: [KUB-02]
nodes:
  - platform: linux/amd64
steps: [{advance: 1s}]
)y",
     "t.yaml:5:5: nodes[0]: missing required field \"name\""},
    {"an empty value",
     R"y(name: t
description:
rules: [KUB-02]
steps: [{advance: 1s}]
)y",
     "t.yaml:2:1: description: expected a string, got null"},
    {"a duration without a unit",
     R"y(name: t
description: d
rules: [KUB-02]
steps:
  - advance: 10
)y",
     "t.yaml:5:14: steps[0].advance: invalid duration \"10\": missing unit (expected a number and "
     "a unit, e.g. \"300ms\", \"1m30s\", \"2h\")"},
    {"a negative duration",
     R"y(name: t
description: d
rules: [KUB-02]
steps:
  - advance: -5s
)y",
     "t.yaml:5:14: steps[0].advance: duration \"-5s\" must not be negative"},
    {"a platform without its OS",
     R"y(name: t
description: d
rules: [KUB-02]
nodes: [{name: node-a, platform: amd64}]
steps: [{advance: 1s}]
)y",
     "t.yaml:4:34: nodes[0].platform: invalid platform \"amd64\": expected os/arch or "
     "os/arch/variant, such as \"linux/arm64\" or \"linux/arm/v7\""},
    {"an upper-case image reference",
     R"y(name: t
description: d
rules: [KUB-02]
nodes: [{name: node-a, images: [Nginx:1.25]}]
steps: [{advance: 1s}]
)y",
     "t.yaml:4:33: nodes[0].images[0]: invalid image reference \"Nginx:1.25\": invalid reference "
     "format: repository name (library/Nginx) must be lowercase"},
    {"a rule id missing a digit",
     R"y(name: t
description: d
rules: [KUB-2]
steps: [{advance: 1s}]
)y",
     "t.yaml:3:9: rules[0]: unknown rule id \"KUB-2\" (not in the rule catalogue); did you mean "
     "\"KUB-02\"?"},
    {"a duplicate key",
     R"y(name: t
description: d
rules: [KUB-02]
name: u
steps: [{advance: 1s}]
)y",
     "t.yaml:4:1: name: duplicate key \"name\" (first written at line 1)"},
    {"a pod on a node that does not exist",
     R"y(name: t
description: d
rules: [KUB-02]
nodes: [{name: node-a}]
steps:
  - apply:
      apiVersion: v1
      kind: Pod
      metadata: {name: web}
      spec: {nodeName: node-b, containers: [{name: app, image: nginx}]}
)y",
     "t.yaml:10:24: steps[0].apply.spec.nodeName: unknown node \"node-b\"; did you mean "
     "\"node-a\"?"},
    {"an expectation on a pod never applied",
     R"y(name: t
description: d
rules: [KUB-02]
nodes: [{name: node-a}]
steps:
  - apply:
      apiVersion: v1
      kind: Pod
      metadata: {name: web}
      spec: {containers: [{name: app, image: nginx}]}
  - expect: {pod: wbe, state: Running}
)y",
     "t.yaml:11:19: steps[1].expect.pod: pod \"default/wbe\" is not applied before this step; "
     "did you mean \"default/web\"?"},
    {"a container the pod does not have",
     R"y(name: t
description: d
rules: [KUB-02]
nodes: [{name: node-a}]
steps:
  - apply:
      apiVersion: v1
      kind: Pod
      metadata: {name: web}
      spec: {containers: [{name: app, image: nginx}]}
  - expect: {pod: web, container: api, state: Running}
)y",
     "t.yaml:11:35: steps[1].expect.container: unknown container of pod default/web \"api\"; did "
     "you mean \"app\"?"},
    {"a check without its subject",
     R"y(name: t
description: d
rules: [KUB-02]
nodes: [{name: node-a}]
steps:
  - expect: {node: node-a, state: Running}
)y",
     "t.yaml:6:28: steps[0].expect.state: \"state\" checks a pod: add pod: NAME or "
     "NAMESPACE/NAME"},
    {"a user the registry does not have",
     R"y(name: t
description: d
rules: [KUB-02]
registries:
  - host: registry.test
    auth: basic
    users: [{name: alice, password: x}]
steps:
  - rotatePassword: {registry: registry.test, user: alcie, password: y}
)y",
     "t.yaml:9:53: steps[0].rotatePassword.user: unknown user of registry.test \"alcie\"; did you "
     "mean \"alice\"?"},
    {"a push to a registry the scenario lacks",
     R"y(name: t
description: d
rules: [KUB-02]
registries: [{host: registry.test}]
steps:
  - push: {registry: registry.tset, repository: app, tag: "2.0"}
)y",
     "t.yaml:6:22: steps[0].push.registry: unknown registry \"registry.tset\"; did you mean "
     "\"registry.test\"?"},
    {"a misspelt step",
     R"y(name: t
description: d
rules: [KUB-02]
steps:
  - expcet: {node: node-a, pulls: 1}
)y",
     "t.yaml:5:5: steps[0].expcet: unknown step \"expcet\"; did you mean \"expect\"?"},
    {"two actions in one step",
     R"y(name: t
description: d
rules: [KUB-02]
steps:
  - advance: 1s
    push: {registry: registry.test, repository: app}
)y",
     "t.yaml:5:5: steps[0]: a step does one thing; it has both \"advance\" and \"push\""},
    {"an access rule for an undeclared user",
     R"y(name: t
description: d
rules: [KUB-02]
registries:
  - host: registry.test
    auth: token
    users: [{name: robot, password: x}]
    access: [{repositories: "team/*", pull: [robto]}]
steps: [{advance: 1s}]
)y",
     "t.yaml:8:46: registries[0].access[0].pull[0]: unknown user \"robto\"; did you mean "
     "\"robot\"?"},
    {"a base layer without its size",
     R"y(name: t
description: d
rules: [KUB-02]
registries:
  - host: registry.test
    images: [{repository: app, base_layers: [{name: debian}]}]
steps: [{advance: 1s}]
)y",
     "t.yaml:6:46: registries[0].images[0].base_layers[0]: missing required field \"size\""},
    {"a repository written with its host",
     R"y(name: t
description: d
rules: [KUB-02]
registries:
  - host: registry.test
    images: [{repository: registry.test/team/app, tag: "1.0"}]
steps: [{advance: 1s}]
)y",
     "t.yaml:6:27: registries[0].images[0].repository: write the repository relative to its "
     "registry: drop \"registry.test/\""},
    {"an endpoint the registry does not have",
     R"y(name: t
description: d
rules: [KUB-02]
registries:
  - host: registry.test
    faults: [{match: {endpoints: [manifests]}, status: 503}]
steps: [{advance: 1s}]
)y",
     "t.yaml:6:35: registries[0].faults[0].match.endpoints[0]: unknown endpoint \"manifests\"; did "
     "you mean \"manifest\"?"},
    {"a setting that needs another",
     R"y(name: t
description: d
rules: [KUB-02]
registries: [{host: registry.test, auth: basic, token_ttl: 5m}]
steps: [{advance: 1s}]
)y",
     "t.yaml:4:49: registries[0].token_ttl: token_ttl applies only to auth: token"},
    {"xfail without an issue",
     R"y(name: t
description: d
rules: [KUB-02]
xfail: flaky
steps: [{advance: 1s}]
)y",
     "t.yaml:4:8: xfail: xfail needs a reason and an issue, such as \"the registry sends no "
     "Docker-Content-Digest, #12\""},
    {"the documentation's spelling of a policy",
     R"y(name: t
description: d
rules: [KUB-02]
nodes:
  - name: node-a
    kubelet:
      imagePullCredentialsVerificationPolicy: NeverVerifyAllowListedImages
steps: [{advance: 1s}]
)y",
     "t.yaml:7:47: nodes[0].kubelet.imagePullCredentialsVerificationPolicy: unknown "
     "imagePullCredentialsVerificationPolicy \"NeverVerifyAllowListedImages\"; did you mean "
     "\"NeverVerifyAllowlistedImages\"?"},
    {"an unknown feature gate",
     R"y(name: t
description: d
rules: [KUB-02]
cluster:
  featureGates: {KubeletEnsureSecretPulledImage: true}
steps: [{advance: 1s}]
)y",
     "t.yaml:5:18: cluster.featureGates.KubeletEnsureSecretPulledImage: unknown feature gate "
     "\"KubeletEnsureSecretPulledImage\"; did you mean \"KubeletEnsureSecretPulledImages\"?"},
    {"the kubelet's own validation",
     R"y(name: t
description: d
rules: [KUB-11]
nodes:
  - name: node-a
    kubelet: {registryPullQPS: -1}
steps: [{advance: 1s}]
)y",
     "t.yaml:6:32: nodes[0].kubelet.registryPullQPS: invalid configuration: registryPullQPS "
     "(--registry-qps) -1 must not be a negative number"},
    {"an object kind written in lower case",
     R"y(name: t
description: d
rules: [KUB-02]
objects:
  - {apiVersion: v1, kind: secret, metadata: {name: s}}
steps: [{advance: 1s}]
)y",
     "t.yaml:5:28: objects[0].kind: unknown kind \"secret\"; did you mean \"Secret\"?"},
    {"a YAML merge key",
     R"y(name: t
description: d
rules: [KUB-02]
nodes:
  - {<<: {name: x}, name: node-a}
steps: [{advance: 1s}]
)y",
     "t.yaml:5:6: nodes[0][\"<<\"]: unknown key \"<<\" (YAML merge keys are not supported; repeat "
     "the fields or use an alias)"},
    {"a YAML syntax error",
     R"y(name: t
description: d
rules: [KUB-02
steps: [{advance: 1s}]
)y",
     "t.yaml:4:6: YAML syntax error: end of sequence flow not found"},
    {"a second document",
     R"y(name: t
description: d
rules: [KUB-02]
steps: [{advance: 1s}]
---
name: u
)y",
     "t.yaml:6:1: a scenario file holds one YAML document; this is a second one (after ---)"},
    {"a list at the top",
     R"y(- name: t
)y",
     "t.yaml:1:1: expected a mapping with name, description, rules, registries, nodes and steps, "
     "got a list"},
    {"an expectation that checks nothing",
     R"y(name: t
description: d
rules: [KUB-02]
nodes: [{name: node-a}]
steps:
  - expect: {node: node-a, within: 1m}
)y",
     "t.yaml:6:13: steps[0].expect: nothing to check: add e.g. state, events, pulls or requests"},
    {"a fault that does nothing",
     R"y(name: t
description: d
rules: [KUB-02]
registries:
  - host: registry.test
    faults: [{match: {endpoints: blob}, times: 1}]
steps: [{advance: 1s}]
)y",
     "t.yaml:6:14: registries[0].faults[0]: the fault does nothing: give a status, a latency, a "
     "bandwidth or drop: true"},
    {"a request kind misspelt",
     R"y(name: t
description: d
rules: [KUB-02]
registries: [{host: registry.test}]
steps:
  - expect: {registry: registry.test, requests: {manifests_get: 1}}
)y",
     "t.yaml:6:50: steps[0].expect.requests.manifests_get: unknown request kind "
     "\"manifests_get\"; did you mean \"manifest_get\"?"},
    {"a host with a scheme",
     R"y(name: t
description: d
rules: [KUB-02]
registries: [{host: "https://registry.test"}]
steps: [{advance: 1s}]
)y",
     "t.yaml:4:21: registries[0].host: invalid registry host \"https://registry.test\": expected "
     "a host name with a dot or a port, or localhost (\"registry.test\", \"registry.test:5000\"), "
     "without scheme or path"},
    {"a node file without content",
     R"y(name: t
description: d
rules: [KUB-02]
nodes:
  - name: node-a
    files: [{path: /var/lib/kubelet/config.json}]
steps: [{advance: 1s}]
)y",
     "t.yaml:6:13: nodes[0].files[0]: missing the file's content: json (a YAML value written as "
     "JSON) or text"},
    {"a relative node path",
     R"y(name: t
description: d
rules: [KUB-02]
nodes: [{name: node-a, cwd: etc/kubernetes}]
steps: [{advance: 1s}]
)y",
     "t.yaml:4:29: nodes[0].cwd: expected an absolute path such as \"/var/lib/kubelet\", without "
     "\".\", \"..\", \"//\" or a trailing '/', got \"etc/kubernetes\""},
};

std::string Describe(const LoadError& error) {
  std::string text;
  for (const Diagnostic& d : error.diagnostics) text += (text.empty() ? "" : "\n") + d.ToString();
  return text;
}

const RuleCatalogue& Catalogue() { return testing::Catalogue(); }

TEST(ScenarioLoader, ReportsEachKindOfMistakeAtItsPlace) {
  LoadOptions options;
  options.catalogue = &Catalogue();
  ASSERT_GE(std::size(kMistakes), 20u);
  for (const Mistake& mistake : kMistakes) {
    SCOPED_TRACE(mistake.name);
    auto loaded = LoadScenarioText(mistake.yaml, "t.yaml", ".", options);
    ASSERT_FALSE(loaded.has_value());
    EXPECT_EQ(Describe(loaded.error()), mistake.expected);
  }
}

TEST(ScenarioLoader, ReportsEveryMistakeOfAFileInOrder) {
  constexpr const char* kYaml = R"y(name: t
description: d
rules: [KUB-02, POL-99]
nodes:
  - {name: node-a, platform: linux}
  - {name: node-a}
steps:
  - advance: soon
  - expect: {node: node-b, pulls: many}
)y";
  LoadOptions options;
  options.catalogue = &Catalogue();
  auto loaded = LoadScenarioText(kYaml, "t.yaml", ".", options);
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(Describe(loaded.error()),
            "t.yaml:3:17: rules[1]: unknown rule id \"POL-99\" (not in the rule catalogue)\n"
            "t.yaml:5:30: nodes[0].platform: invalid platform \"linux\": expected os/arch or "
            "os/arch/variant, such as \"linux/arm64\" or \"linux/arm/v7\"\n"
            "t.yaml:6:12: nodes[1].name: node \"node-a\" is declared twice (first at line 5)\n"
            "t.yaml:8:14: steps[0].advance: invalid duration \"soon\": missing number (expected a "
            "number and a unit, e.g. \"300ms\", \"1m30s\", \"2h\")\n"
            "t.yaml:9:20: steps[1].expect.node: unknown node \"node-b\"; did you mean "
            "\"node-a\"?\n"
            "t.yaml:9:35: steps[1].expect.pulls: expected an integer, got \"many\"");
  EXPECT_EQ(loaded.error().omitted, 0u);
}

TEST(ScenarioLoader, StopsCollectingAtTheCapAndCountsTheRest) {
  std::string yaml = "name: t\ndescription: d\nrules: [KUB-02]\nsteps: [{advance: 1s}]\n";
  for (int i = 0; i < 30; ++i) yaml += "extra" + std::to_string(i) + ": 1\n";
  LoadOptions options;
  options.max_errors = 5;
  auto loaded = LoadScenarioText(yaml, "t.yaml", ".", options);
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().diagnostics.size(), 5u);
  EXPECT_EQ(loaded.error().omitted, 25u);
  EXPECT_EQ(loaded.error().diagnostics.front().location.line, 5);
  EXPECT_EQ(loaded.error().ToError().message,
            "unknown key \"extra0\"; expected name, description, rules, xfail, seed, transport, "
            "registries, cluster, nodes, objects, or steps (and 29 more errors)");
}

TEST(ScenarioLoader, ChecksRuleIdFormWithoutACatalogue) {
  auto loaded = LoadScenarioText(
      "name: t\ndescription: d\nrules: [KUB-2]\nsteps: [{advance: 1s}]\n", "t.yaml", ".");
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(Describe(loaded.error()),
            "t.yaml:3:9: rules[0]: malformed rule id \"KUB-2\" (expected e.g. KUB-02, "
            "KEP2535-04)");
}

// Mistakes in files beside the scenario name that file.
class ScenarioLoaderFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("scenario_files_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_ / "data");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  std::string Load(const std::string& yaml) {
    Write("s.yaml", yaml);
    auto loaded = LoadScenarioFile(dir_ / "s.yaml");
    if (loaded) return "OK";
    std::string text = Describe(loaded.error());
    // Paths relative to the temporary folder, so the expectations read the same anywhere.
    std::string prefix = dir_.generic_string() + "/";
    for (std::size_t at; (at = text.find(prefix)) != std::string::npos;)
      text.erase(at, prefix.size());
    return text;
  }
  std::filesystem::path dir_;
};

TEST_F(ScenarioLoaderFiles, ReportsAMissingManifestFile) {
  EXPECT_EQ(Load("name: t\ndescription: d\nrules: [KUB-02]\nobjects: [{file: data/nope.yaml}]\n"
                 "steps: [{advance: 1s}]\n"),
            "s.yaml:4:18: objects[0].file: no manifest file \"data/nope.yaml\"");
}

TEST_F(ScenarioLoaderFiles, ReportsAMistakeInsideAManifestFileAtItsOwnLine) {
  Write("data/pods.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  nodeName: node-z\n"
        "  containers: [{name: app, image: nginx}]\n");
  EXPECT_EQ(Load("name: t\ndescription: d\nrules: [KUB-02]\nnodes: [{name: node-a}]\n"
                 "objects: [{file: data/pods.yaml}]\nsteps: [{advance: 1s}]\n"),
            "data/pods.yaml:9:13: [1].spec.nodeName: unknown node \"node-z\"; did you mean "
            "\"node-a\"?");
}

TEST_F(ScenarioLoaderFiles, ReportsAFolderThatIsNoOciLayout) {
  std::filesystem::create_directories(dir_ / "data" / "layout");
  EXPECT_EQ(Load("name: t\ndescription: d\nrules: [KUB-02]\nregistries:\n"
                 "  - host: registry.test\n    images: [{repository: app, layout: data/layout}]\n"
                 "steps: [{advance: 1s}]\n"),
            "s.yaml:6:40: registries[0].images[0].layout: no OCI image layout at "
            "\"data/layout\" (expected a folder with oci-layout and index.json)");
}

TEST_F(ScenarioLoaderFiles, RefusesAnAbsoluteManifestPath) {
  EXPECT_EQ(Load("name: t\ndescription: d\nrules: [KUB-02]\nobjects: [{file: /etc/passwd}]\n"
                 "steps: [{advance: 1s}]\n"),
            "s.yaml:4:18: objects[0].file: manifest file \"/etc/passwd\" must be relative to the "
            "scenario's folder");
}

TEST_F(ScenarioLoaderFiles, ReportsAScenarioFileThatIsNotThere) {
  auto loaded = LoadScenarioFile(dir_ / "missing.yaml");
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().diagnostics.front().code, ErrorCode::kNotFound);
  EXPECT_EQ(loaded.error().diagnostics.front().message, "no such file");
}

}  // namespace
}  // namespace pullsim::scenario
