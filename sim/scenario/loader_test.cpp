// The loader turns a valid scenario into the model a runner executes, keeping positions.
#include "sim/scenario/loader.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "sim/scenario/names.h"
#include "sim/scenario/scenario_files.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::scenario {
namespace {

constexpr const char* kScenario = R"y(name: everything
description: Every part of the format once.
rules: [KUB-02, CRED-02]
xfail: "the runner is not written yet, #7"
seed: 42
transport: http
registries:
  - host: registry.test
    auth: token
    token_ttl: 10m
    users:
      - {name: alice, password: s3cret}
    access:
      - {repositories: "public/**", pull: ["*"]}
      - {repositories: "team/**", pull: [alice], push: [alice]}
    images:
      - repository: team/app
        tag: 1.10
        platforms: [linux/amd64, linux/arm/v7]
        layers: [4KiB, 1MB]
        base_layers: [{name: debian, size: 2MiB}]
        format: docker
        seed: 7
    rate_limits:
      - {repositories: "team/**", limit: 100, window: 6h}
    faults:
      - {name: flaky, match: {endpoints: [manifest], methods: GET}, status: 503, times: 2}
cluster:
  version: "1.33"
  admissionPlugins: [AlwaysPullImages, ServiceAccount]
  featureGates: {KubeletEnsureSecretPulledImages: true}
  credentialProviders:
    - name: acme
      matchImages: ["*.acme.test"]
      defaultCacheDuration: 10m
      response:
        cacheKeyType: Registry
        auth:
          "*.acme.test": {username: robot, password: pw}
nodes:
  - name: node-a
    platform: linux/arm64
    kubelet:
      serializeImagePulls: false
      maxParallelImagePulls: 2
      registryPullQPS: 0
      imagePullCredentialsVerificationPolicy: AlwaysVerify
      featureGates: {KubeletEnsureSecretPulledImages: false}
    env: {HOME: /root}
    cwd: /etc/kubernetes
    files:
      - path: /var/lib/kubelet/config.json
        json: {auths: {registry.test: {auth: YWxpY2U6czNjcmV0}}, enabled: true, n: 3}
      - {path: /root/.dockercfg, text: "{not json", readable: false}
    images: [registry.test/team/app:1.10]
objects:
  - apiVersion: v1
    kind: Secret
    metadata: {name: regcred, namespace: team}
    stringData: {.dockerconfigjson: "{}"}
steps:
  - apply:
      apiVersion: v1
      kind: Pod
      metadata: {name: web, namespace: team}
      spec:
        initContainers: [{name: init, image: busybox}]
        containers: [{name: app, image: registry.test/team/app:1.10}]
  - expect:
      pod: team/web
      container: app
      state: Waiting
      reason: ErrImagePull
      messageContains: denied
      eventsInclude: [Pulling, {reason: Failed, type: Warning, message: "Error: ErrImagePull"}]
      imagePullPolicy: Always
      credentialsTried: [anonymous, "secret:regcred", "node:/var/lib/kubelet/config.json", "provider:acme"]
      within: 30s
  - advance: 1m30s
  - push: {registry: registry.test, repository: team/app, tag: "2.0"}
  - deleteImage: registry.test/team/app:1.10
  - revoke: {registry: registry.test, user: alice, repositories: "team/**"}
  - rotatePassword: {registry: registry.test, user: alice, password: n3w}
  - removeImage: {node: node-a, image: registry.test/team/app:1.10}
  - editFile: {node: node-a, path: /var/lib/kubelet/config.json, delete: true}
  - delete: {kind: Pod, namespace: team, name: web}
  - apply: {apiVersion: v1, kind: Pod, metadata: {name: web, namespace: team}, spec: {containers: [{name: app, image: x}]}}
    refused: 'pods "web" is forbidden: nope'
  - expect:
      node: node-a
      pulls: {atLeast: 1, atMost: 3}
      pullsBySource: {secret: 1}
      cached: [registry.test/team/app:2.0]
  - expect:
      registry: registry.test
      requests:
        - {endpoint: manifest, method: GET, client: anonymous, status: 401, count: 1}
        - {repositories: "team/**", atLeast: 2}
  - expect: {registry: registry.test, requests: {manifest_head: 0, token: {atLeast: 1}}}
  - expect: {pod: team/web, container: app, state: Running, never: true, within: 5m}
)y";

class ScenarioLoaderModel : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = LoadScenarioText(kScenario, "fixtures/all.yaml", "fixtures");
    ASSERT_TRUE(loaded.has_value()) << loaded.error().ToError().ToString();
    scenario_ = std::move(*loaded);
  }
  Scenario scenario_;
};

TEST_F(ScenarioLoaderModel, ReadsTheHeader) {
  EXPECT_EQ(scenario_.name, "everything");
  ASSERT_EQ(scenario_.rules.size(), 2u);
  EXPECT_EQ(scenario_.rules[1].value, "CRED-02");
  EXPECT_EQ(scenario_.rules[1].location.ToString(), "fixtures/all.yaml:3:17");
  ASSERT_TRUE(scenario_.xfail.has_value());
  EXPECT_EQ(scenario_.xfail->value, "the runner is not written yet, #7");
  EXPECT_EQ(scenario_.seed, 42u);
  EXPECT_EQ(scenario_.transport, Transport::kHttp);
  EXPECT_EQ(scenario_.directory, std::filesystem::path("fixtures"));
}

TEST_F(ScenarioLoaderModel, ReadsARegistryIntoTheRegistryModulesTypes) {
  ASSERT_EQ(scenario_.registries.size(), 1u);
  const Registry& registry = scenario_.registries[0];
  EXPECT_EQ(registry.host, "registry.test");
  EXPECT_EQ(registry.location.ToString(), "fixtures/all.yaml:8:5");
  const registry::AuthOptions& auth = registry.config.options.auth;
  EXPECT_EQ(auth.mode, registry::AuthMode::kToken);
  EXPECT_EQ(auth.service, "registry.test");
  EXPECT_EQ(auth.token_ttl, std::chrono::minutes(10));
  ASSERT_EQ(auth.users.size(), 1u);
  EXPECT_EQ(auth.users[0].password, "s3cret");
  ASSERT_TRUE(auth.policy.has_value());
  EXPECT_TRUE(auth.policy->Allows("", "public/base", registry::Action::kPull));
  EXPECT_TRUE(auth.policy->Allows("alice", "team/app", registry::Action::kDelete));  // as push
  EXPECT_FALSE(auth.policy->Allows("", "team/app", registry::Action::kPull));
  ASSERT_EQ(registry.config.images.size(), 1u);
  const registry::ImageSource& image = registry.config.images[0];
  EXPECT_EQ(image.where, "fixtures/all.yaml:17:9 registries[0].images[0]");
  ASSERT_TRUE(image.spec.has_value());
  EXPECT_EQ(image.spec->tag, "1.10");  // a plain 1.10 keeps its text
  EXPECT_EQ(image.spec->platforms, (std::vector<std::string>{"linux/amd64", "linux/arm/v7"}));
  EXPECT_EQ(image.spec->layer_sizes, (std::vector<std::int64_t>{4096, 1000000}));
  ASSERT_EQ(image.spec->base_layers.size(), 1u);
  EXPECT_EQ(image.spec->base_layers[0].size, 2 << 20);
  EXPECT_EQ(image.spec->format, oci::ImageFormat::kDocker);
  EXPECT_EQ(image.spec->seed, 7u);
  ASSERT_EQ(registry.config.options.rate_limits.size(), 1u);
  EXPECT_EQ(registry.config.options.rate_limits[0].limit, 100u);
  ASSERT_EQ(registry.config.options.faults.size(), 1u);
  const registry::Fault& fault = registry.config.options.faults[0];
  EXPECT_EQ(fault.name, "flaky");
  EXPECT_EQ(fault.match.endpoints,
            (std::vector<oci::RegistryEndpoint>{oci::RegistryEndpoint::kManifest}));
  EXPECT_EQ(fault.match.methods, (std::vector<std::string>{"GET"}));
  EXPECT_EQ(fault.status, 503);
  EXPECT_EQ(fault.times, 2u);
}

TEST_F(ScenarioLoaderModel, ReadsTheClusterInTheApiServersPluginOrder) {
  pullsim::testing::CoversRules({"ADM-01", "ADM-05", "CRED-17"});
  const Cluster& cluster = scenario_.cluster;
  EXPECT_EQ(cluster.version, "1.33");
  EXPECT_EQ(cluster.admission_plugins,
            (std::vector<AdmissionPlugin>{AdmissionPlugin::kServiceAccount,
                                          AdmissionPlugin::kAlwaysPullImages}));
  EXPECT_EQ(cluster.feature_gates.at("KubeletEnsureSecretPulledImages"), true);
  ASSERT_EQ(cluster.credential_providers.size(), 1u);
  const CredentialProvider& provider = cluster.credential_providers[0];
  EXPECT_EQ(provider.api_version, "credentialprovider.kubelet.k8s.io/v1");
  EXPECT_EQ(provider.cache_key_type, "Registry");
  ASSERT_EQ(provider.auth.size(), 1u);
  EXPECT_EQ(provider.auth[0].registry, "*.acme.test");
  EXPECT_EQ(provider.auth[0].username, "robot");
}

TEST_F(ScenarioLoaderModel, ReadsANodeAndWritesYamlFilesAsJson) {
  pullsim::testing::CoversRules({"CRED-02", "CRED-03", "KUB-10", "KEP2535-02"});
  ASSERT_EQ(scenario_.nodes.size(), 1u);
  const Node& node = scenario_.nodes[0];
  EXPECT_EQ(node.platform, "linux/arm64");
  EXPECT_EQ(node.kubelet.serialize_image_pulls, false);
  EXPECT_EQ(node.kubelet.max_parallel_image_pulls, 2);
  EXPECT_EQ(node.kubelet.registry_pull_qps, 0);
  EXPECT_FALSE(node.kubelet.registry_burst.has_value());
  EXPECT_EQ(node.kubelet.image_pull_credentials_verification_policy, "AlwaysVerify");
  EXPECT_EQ(node.kubelet.root_dir, "/var/lib/kubelet");
  EXPECT_EQ(node.env.at("HOME"), "/root");
  EXPECT_EQ(node.cwd, "/etc/kubernetes");
  ASSERT_EQ(node.files.size(), 2u);
  EXPECT_EQ(node.files[0].content,
            "{\n  \"auths\": {\n    \"registry.test\": {\n      \"auth\": \"YWxpY2U6czNjcmV0\"\n"
            "    }\n  },\n  \"enabled\": true,\n  \"n\": 3\n}\n");
  EXPECT_EQ(node.files[1].content, "{not json");
  EXPECT_FALSE(node.files[1].readable);
  ASSERT_EQ(node.images.size(), 1u);
  EXPECT_EQ(node.images[0].value, "registry.test/team/app:1.10");
}

TEST_F(ScenarioLoaderModel, KeepsManifestsAsYamlNodesWithTheirMarks) {
  ASSERT_EQ(scenario_.objects.size(), 1u);
  const Manifest& secret = scenario_.objects[0];
  EXPECT_EQ(secret.Describe(), "Secret team/regcred");
  EXPECT_EQ(secret.node["stringData"][".dockerconfigjson"].Scalar(), "{}");
  const auto& apply = std::get<ApplyStep>(scenario_.steps[0].action);
  ASSERT_EQ(apply.objects.size(), 1u);
  const Manifest& pod = apply.objects[0];
  EXPECT_EQ(pod.node_name, "node-a");  // the only node
  EXPECT_EQ(pod.containers, (std::vector<std::string>{"init", "app"}));
  EXPECT_EQ(pod.node["spec"]["containers"][0]["image"].Mark().line, 67);  // 0-based, line 68
}

TEST_F(ScenarioLoaderModel, ReadsEveryKindOfStepInOrder) {
  std::vector<std::string_view> kinds;
  for (const Step& step : scenario_.steps) kinds.push_back(step.Kind());
  EXPECT_EQ(kinds, (std::vector<std::string_view>{"apply", "expect", "advance", "push",
                                                  "deleteImage", "revoke", "rotatePassword",
                                                  "removeImage", "editFile", "delete", "apply",
                                                  "expect", "expect", "expect", "expect"}));
  EXPECT_EQ(scenario_.steps[1].location.ToString(), "fixtures/all.yaml:69:5");
  EXPECT_EQ(std::get<AdvanceStep>(scenario_.steps[2].action).duration, std::chrono::seconds(90));
  const auto& push = std::get<PushStep>(scenario_.steps[3].action);
  EXPECT_EQ(push.host, "registry.test");
  EXPECT_EQ(push.image.spec->tag, "2.0");
  const auto& removed = std::get<DeleteImageStep>(scenario_.steps[4].action);
  EXPECT_EQ(removed.repository, "team/app");
  EXPECT_EQ(removed.tag, "1.10");
  EXPECT_EQ(std::get<RevokeStep>(scenario_.steps[5].action).repositories, "team/**");
  EXPECT_EQ(std::get<RotatePasswordStep>(scenario_.steps[6].action).password, "n3w");
  EXPECT_FALSE(std::get<EditFileStep>(scenario_.steps[8].action).content.has_value());
  EXPECT_EQ(std::get<DeleteStep>(scenario_.steps[9].action).namespace_name, "team");
  const auto& refused = std::get<ApplyStep>(scenario_.steps[10].action);
  ASSERT_TRUE(refused.refused.has_value());
  EXPECT_EQ(refused.refused->value, "pods \"web\" is forbidden: nope");
}

TEST_F(ScenarioLoaderModel, ReadsPodExpectations) {
  const auto& expectation = std::get<Expectation>(scenario_.steps[1].action);
  ASSERT_TRUE(expectation.pod.has_value());
  const PodChecks& pod = *expectation.pod;
  EXPECT_EQ(pod.namespace_name, "team");
  EXPECT_EQ(pod.container->value, "app");
  EXPECT_EQ(pod.state->value, ContainerState::kWaiting);
  EXPECT_EQ(pod.reason->value, "ErrImagePull");
  EXPECT_EQ(pod.reason->location.ToString(), "fixtures/all.yaml:73:15");
  ASSERT_EQ(pod.events_include->value.size(), 2u);
  EXPECT_EQ(pod.events_include->value[0].reason, "Pulling");
  EXPECT_EQ(pod.events_include->value[1].type, "Warning");
  EXPECT_EQ(pod.image_pull_policy->value, reference::PullPolicy::kAlways);
  std::vector<std::string> tried;
  for (const CredentialSource& source : pod.credentials_tried->value) {
    tried.push_back(source.ToString());
  }
  EXPECT_EQ(tried,
            (std::vector<std::string>{"anonymous", "secret:regcred",
                                      "node:/var/lib/kubelet/config.json", "provider:acme"}));
  EXPECT_EQ(expectation.within, std::chrono::seconds(30));
  EXPECT_FALSE(expectation.never);
  const auto& never = std::get<Expectation>(scenario_.steps.back().action);
  EXPECT_TRUE(never.never);
  EXPECT_EQ(never.within, std::chrono::minutes(5));
}

TEST_F(ScenarioLoaderModel, ReadsNodeAndRegistryExpectations) {
  const auto& node = std::get<Expectation>(scenario_.steps[11].action).node;
  ASSERT_TRUE(node.has_value());
  EXPECT_TRUE(node->pulls->Matches(3));
  EXPECT_FALSE(node->pulls->Matches(4));
  EXPECT_EQ(node->pulls->Describe(), "between 1 and 3");
  ASSERT_EQ(node->pulls_by_source.size(), 1u);
  EXPECT_EQ(node->pulls_by_source[0].first, CredentialSourceKind::kSecret);
  const auto& registry = std::get<Expectation>(scenario_.steps[12].action).registry;
  ASSERT_TRUE(registry.has_value());
  ASSERT_EQ(registry->requests.size(), 2u);
  EXPECT_EQ(registry->requests[0].endpoint, oci::RegistryEndpoint::kManifest);
  EXPECT_EQ(registry->requests[0].method, "GET");
  EXPECT_EQ(registry->requests[0].client, "anonymous");
  EXPECT_EQ(registry->requests[0].status, 401);
  EXPECT_EQ(registry->requests[1].repositories, "team/**");
  EXPECT_EQ(registry->requests[1].count.Describe(), "at least 2");
  const auto& shorthand = std::get<Expectation>(scenario_.steps[13].action).registry;
  ASSERT_EQ(shorthand->requests.size(), 2u);
  EXPECT_EQ(shorthand->requests[0].endpoint, oci::RegistryEndpoint::kManifest);
  EXPECT_EQ(shorthand->requests[0].method, "HEAD");
  EXPECT_EQ(shorthand->requests[1].endpoint, oci::RegistryEndpoint::kToken);
  EXPECT_EQ(shorthand->requests[1].method, "");
}

TEST(ScenarioFiles, FindsScenariosAndSkipsVectorsAndData) {
  auto dir = std::filesystem::path(::testing::TempDir()) / "scenario_files_walk";
  std::filesystem::remove_all(dir);
  for (const char* sub : {"fixtures/vectors", "fixtures/area/data", "fixtures/area"}) {
    std::filesystem::create_directories(dir / sub);
  }
  for (const char* file : {"fixtures/vectors/ref.yaml", "fixtures/area/data/pod.yaml",
                           "fixtures/area/b.yaml", "fixtures/area/a.yaml", "fixtures/notes.md"}) {
    std::ofstream(dir / file) << "x\n";
  }
  ScenarioFiles found = CollectScenarioFiles({dir / "fixtures", dir / "nope.yaml"});
  std::vector<std::string> names;
  for (const auto& file : found.files)
    names.push_back(file.lexically_relative(dir).generic_string());
  EXPECT_EQ(names, (std::vector<std::string>{"fixtures/area/a.yaml", "fixtures/area/b.yaml"}));
  EXPECT_EQ(found.missing, (std::vector<std::string>{(dir / "nope.yaml").generic_string()}));
  // A file named on the command line is taken even inside a skipped folder.
  EXPECT_EQ(CollectScenarioFiles({dir / "fixtures/vectors/ref.yaml"}).files.size(), 1u);
  std::filesystem::remove_all(dir);
}

TEST(RuleCatalogueSearch, FindsTheRepositoryCatalogueAboveAFixture) {
  auto found = FindRuleCatalogue(pullsim::testing::SourcePath("fixtures/public-images"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found,
            std::filesystem::absolute(pullsim::testing::SourcePath("conformance/rules.yaml")));
}

}  // namespace
}  // namespace pullsim::scenario
