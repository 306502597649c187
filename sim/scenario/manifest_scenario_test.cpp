// LoadManifestScenario: a scenario from `kubectl get node -o yaml`, a KubeletConfiguration,
// manifests as kubectl takes them and REGISTRY.yaml; every bad input named by file:line:col; and
// the scenario run end to end against the registry it describes.
#include "sim/scenario/manifest_scenario.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "sim/registry/testing_processes.h"
#include "sim/scenario/simulation.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::scenario {
namespace {

std::string Data(std::string_view name) {
  return pullsim::testing::SourcePath("fixtures/explain/data/" + std::string(name)).string();
}

// What the load said, one diagnostic a line, for failure messages.
std::string Describe(const LoadError& error) {
  std::string text;
  for (const Diagnostic& d : error.diagnostics) text += d.ToString() + "\n";
  return text;
}

ManifestScenarioInputs FixtureInputs() {
  ManifestScenarioInputs inputs;
  inputs.node = {{Data("node.yaml"), std::nullopt}};
  inputs.manifests = {{Data("pod.yaml"), std::nullopt}, {Data("secrets.yaml"), std::nullopt}};
  inputs.registries = {Data("registry.yaml")};
  return inputs;
}

// The one diagnostic of a load that must fail.
Diagnostic OnlyError(const ManifestScenarioInputs& inputs) {
  LoadResult<ManifestScenario> loaded = LoadManifestScenario(inputs);
  EXPECT_FALSE(loaded.has_value());
  if (loaded) return {};
  EXPECT_EQ(loaded.error().diagnostics.size(), 1u) << Describe(loaded.error());
  return loaded.error().diagnostics.front();
}

// Inputs of one node document and one manifest, given as text.
ManifestScenarioInputs TextInputs(std::string node, std::string manifests) {
  ManifestScenarioInputs inputs;
  inputs.node = {{"node.yaml", std::move(node)}};
  inputs.manifests = {{"pod.yaml", std::move(manifests)}};
  return inputs;
}

constexpr std::string_view kSmallNode = R"(apiVersion: v1
kind: Node
metadata: {name: node-a}
status:
  nodeInfo: {operatingSystem: linux, architecture: amd64, kubeletVersion: v1.33.2}
)";

constexpr std::string_view kSmallPod = R"(apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers: [{name: app, image: registry.test/team/app:1.0}]
)";

TEST(ManifestScenario, ReadsANodeAsKubectlPrintsIt) {
  LoadResult<ManifestScenario> loaded = LoadManifestScenario(FixtureInputs());
  ASSERT_TRUE(loaded.has_value()) << Describe(loaded.error());
  const Scenario& scenario = loaded->scenario;
  ASSERT_EQ(scenario.nodes.size(), 1u);
  const Node& node = scenario.nodes.front();
  EXPECT_EQ(node.name, "worker-arm-1");
  EXPECT_EQ(node.platform, "linux/arm64");
  EXPECT_EQ(node.location.ToString(), Data("node.yaml") + ":3:1");
  EXPECT_EQ(scenario.cluster.version, "1.35");  // from status.nodeInfo.kubeletVersion
  std::vector<std::string> images;
  for (const auto& image : node.images) images.push_back(image.value);
  EXPECT_EQ(images, (std::vector<std::string>{
                        "registry.k8s.io/pause@sha256:"
                        "7031c1b283388d2c2e09b57badb803c05ebed362dc88d84b480cc47f72a21097",
                        "registry.k8s.io/pause:3.9",
                        "registry.test/tenant-a/base@sha256:"
                        "0f4a1e3a5d2c1b9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e",
                        "registry.test/tenant-a/base:2.1"}));
  EXPECT_EQ(node.images[1].location.ToString(), Data("node.yaml") + ":57:7");
}

TEST(ManifestScenario, KubeletConfigurationSetsTheNodesKubelet) {
  pullsim::testing::CoversRules({"KUB-11", "KEP2535-02"});
  LoadResult<ManifestScenario> loaded = LoadManifestScenario(FixtureInputs());
  ASSERT_TRUE(loaded.has_value()) << Describe(loaded.error());
  const KubeletSettings& kubelet = loaded->scenario.nodes.front().kubelet;
  EXPECT_EQ(kubelet.serialize_image_pulls, false);
  EXPECT_EQ(kubelet.max_parallel_image_pulls, 3);
  EXPECT_EQ(kubelet.registry_pull_qps, 10);
  EXPECT_EQ(kubelet.registry_burst, 20);
  EXPECT_EQ(kubelet.image_pull_credentials_verification_policy, "NeverVerifyPreloadedImages");
  // Gates pullsim does not simulate (RotateKubeletServerCertificate) are left out, not refused.
  EXPECT_EQ(kubelet.feature_gates,
            (std::map<std::string, bool>{{"KubeletEnsureSecretPulledImages", true}}));
  EXPECT_EQ(kubelet.root_dir, "/var/lib/kubelet");
}

TEST(ManifestScenario, ReadsTheKubeletsConfigzAnswerFromAnotherFile) {
  ManifestScenarioInputs inputs = TextInputs(std::string(kSmallNode), std::string(kSmallPod));
  inputs.node.push_back(
      {"configz.json",
       R"({"kubeletconfig":{"serializeImagePulls":true,"registryPullQPS":0,"cgroupDriver":"systemd"}})"});
  LoadResult<ManifestScenario> loaded = LoadManifestScenario(inputs);
  ASSERT_TRUE(loaded.has_value()) << Describe(loaded.error());
  const KubeletSettings& kubelet = loaded->scenario.nodes.front().kubelet;
  EXPECT_EQ(kubelet.serialize_image_pulls, true);
  EXPECT_EQ(kubelet.registry_pull_qps, 0);
  EXPECT_EQ(loaded->scenario.cluster.version, "1.33");
}

TEST(ManifestScenario, RefusesKubeletValuesAsTheKubeletDoes) {
  pullsim::testing::CoversRule("KUB-11");
  std::string node = std::string(kSmallNode) +
                     "---\napiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
                     "registryBurst: -1\n";
  Diagnostic error = OnlyError(TextInputs(node, std::string(kSmallPod)));
  EXPECT_EQ(error.location.ToString(), "node.yaml:9:16");
  EXPECT_EQ(error.message,
            "invalid configuration: registryBurst (--registry-burst) -1 must not be a negative "
            "number");
}

TEST(ManifestScenario, ListsExpandAndNamespacesAreCreatedInTheApiServersOrder) {
  LoadResult<ManifestScenario> loaded = LoadManifestScenario(FixtureInputs());
  ASSERT_TRUE(loaded.has_value()) << Describe(loaded.error());
  std::vector<std::string> objects;
  for (const Manifest& object : loaded->scenario.objects) objects.push_back(object.Describe());
  // tenant-a is named by the pod but created by no manifest: made first, where it was named.
  EXPECT_EQ(objects, (std::vector<std::string>{"Namespace tenant-a", "Secret tenant-a/regcred",
                                               "Pod tenant-a/web"}));
  EXPECT_EQ(loaded->scenario.objects.front().location.ToString(), Data("pod.yaml") + ":2:1");
  EXPECT_EQ(loaded->scenario.objects.back().node_name, "worker-arm-1");
  EXPECT_EQ(loaded->pods, (std::vector<std::string>{"tenant-a/web"}));
  ASSERT_EQ(loaded->warnings.size(), 1u);
  EXPECT_EQ(loaded->warnings.front().location.ToString(), Data("secrets.yaml") + ":14:3");
  EXPECT_EQ(loaded->warnings.front().message,
            "ConfigMap settings ignored: explain reads Pods, Secrets, ServiceAccounts and "
            "Namespaces");
  // One step: the node acts for the default five minutes.
  ASSERT_EQ(loaded->scenario.steps.size(), 1u);
  EXPECT_EQ(std::get<AdvanceStep>(loaded->scenario.steps.front().action).duration,
            std::chrono::minutes(5));
}

TEST(ManifestScenario, ReadsJsonAndOrdersAccountsBeforeSecretsBeforePods) {
  std::string manifests = std::string(kSmallPod) +
                          "---\n"
                          R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},)"
                          R"("stringData":{"a":"b"}})"
                          "\n---\n"
                          R"({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"sa"}})"
                          "\n";
  LoadResult<ManifestScenario> loaded =
      LoadManifestScenario(TextInputs(std::string(kSmallNode), manifests));
  ASSERT_TRUE(loaded.has_value()) << Describe(loaded.error());
  std::vector<std::string> objects;
  for (const Manifest& object : loaded->scenario.objects) objects.push_back(object.Describe());
  EXPECT_EQ(objects, (std::vector<std::string>{"ServiceAccount default/sa", "Secret default/s",
                                               "Pod default/web"}));
}

TEST(ManifestScenario, SettingsFromTheCommandLine) {
  ManifestScenarioInputs inputs = TextInputs(std::string(kSmallNode), std::string(kSmallPod));
  inputs.admission = {"AlwaysPullImages"};
  inputs.cluster_version = "v1.35";
  inputs.run_for = std::chrono::minutes(2);
  inputs.node_files = {"/var/lib/kubelet/config.json=" + Data("node-config.json")};
  LoadResult<ManifestScenario> loaded = LoadManifestScenario(inputs);
  ASSERT_TRUE(loaded.has_value()) << Describe(loaded.error());
  EXPECT_EQ(loaded->scenario.cluster.admission_plugins,
            (std::vector<AdmissionPlugin>{AdmissionPlugin::kServiceAccount,
                                          AdmissionPlugin::kAlwaysPullImages}));
  EXPECT_EQ(loaded->scenario.cluster.version, "1.35");
  // The kubelet says v1.33; no --registry serves registry.test.
  ASSERT_EQ(loaded->warnings.size(), 2u);
  EXPECT_EQ(loaded->warnings[0].location.ToString(), "node.yaml:5:75");
  EXPECT_EQ(loaded->warnings[1].ToString(),
            "pod.yaml:5:28: no --registry serves registry.test: pulls from it fail as a node "
            "without DNS for it would (images already on the node may still be used)");
  ASSERT_EQ(loaded->scenario.nodes.front().files.size(), 1u);
  EXPECT_EQ(loaded->scenario.nodes.front().files.front().path, "/var/lib/kubelet/config.json");
  EXPECT_NE(loaded->scenario.nodes.front().files.front().content.find("registry.test"),
            std::string::npos);
  EXPECT_EQ(std::get<AdvanceStep>(loaded->scenario.steps.front().action).duration,
            std::chrono::minutes(2));
}

// ---- errors -----------------------------------------------------------------------------------

TEST(ManifestScenarioErrors, NodeDocumentsAndManifestsSwapped) {
  std::string node = std::string(kSmallNode) +
                     "---\napiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n";
  // The node file given to -f: its Node and KubeletConfiguration are warned about, not read.
  ManifestScenarioInputs inputs =
      TextInputs(std::string(kSmallNode), node + "---\n" + std::string(kSmallPod));
  LoadResult<ManifestScenario> loaded = LoadManifestScenario(inputs);
  ASSERT_TRUE(loaded.has_value()) << Describe(loaded.error());
  ASSERT_EQ(loaded->warnings.size(), 3u);  // the last: no registry for registry.test
  EXPECT_EQ(loaded->warnings[0].ToString(),
            "pod.yaml:1:1: Node node-a ignored: give the node with --node");
  EXPECT_EQ(loaded->warnings[1].ToString(),
            "pod.yaml:7:1: KubeletConfiguration (kubelet.config.k8s.io/v1beta1) ignored: explain "
            "reads Pods, Secrets, ServiceAccounts and Namespaces");
  // The pod given to --node.
  Diagnostic error = OnlyError(TextInputs(std::string(kSmallPod), std::string(kSmallPod)));
  EXPECT_EQ(error.location.ToString(), "node.yaml:2:7");
  EXPECT_EQ(error.message,
            "kind \"Pod\" (v1) is not a node document: expected Node (v1), KubeletConfiguration or "
            "CredentialProviderConfig (kubelet.config.k8s.io)");
}

TEST(ManifestScenarioErrors, NodeWithoutArchitecture) {
  Diagnostic error = OnlyError(TextInputs(R"(apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels: {kubernetes.io/os: linux}
status:
  nodeInfo: {kubeletVersion: v1.35.0}
)",
                                          std::string(kSmallPod)));
  EXPECT_EQ(error.location.ToString(), "node.yaml:7:3");
  EXPECT_NE(error.message.find("the Node has no architecture"), std::string::npos);
}

TEST(ManifestScenarioErrors, ArchitectureFromTheLabelsAndVariantFromOurs) {
  LoadResult<ManifestScenario> loaded = LoadManifestScenario(TextInputs(R"(apiVersion: v1
kind: Node
metadata:
  name: pi
  labels: {kubernetes.io/os: linux, kubernetes.io/arch: arm, pullsim.dev/arch-variant: v6}
)",
                                                                        std::string(kSmallPod)));
  ASSERT_TRUE(loaded.has_value()) << Describe(loaded.error());
  EXPECT_EQ(loaded->scenario.nodes.front().platform, "linux/arm/v6");
}

TEST(ManifestScenarioErrors, ManifestThatDoesNotParse) {
  Diagnostic error = OnlyError(TextInputs(std::string(kSmallNode), "kind: Pod\nmetadata: [\n"));
  EXPECT_EQ(error.location.file, "pod.yaml");
  EXPECT_EQ(error.location.line, 3);
}

TEST(ManifestScenarioErrors, UnknownKindWithASuggestion) {
  Diagnostic error = OnlyError(
      TextInputs(std::string(kSmallNode), "apiVersion: v1\nkind: Podd\nmetadata: {name: x}\n"));
  EXPECT_EQ(error.location.ToString(), "pod.yaml:2:7");
  EXPECT_EQ(error.message, "no matches for kind \"Podd\" in version \"v1\"; did you mean \"Pod\"?");
}

TEST(ManifestScenarioErrors, UnknownFieldAsTheApiServerSaysIt) {
  Diagnostic error = OnlyError(TextInputs(std::string(kSmallNode), R"(apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - {name: app, image: nginx, imagePullPolicyy: Always}
)"));
  EXPECT_EQ(error.location.ToString(), "pod.yaml:6:31");
  EXPECT_NE(error.message.find("unknown field \"spec.containers[0].imagePullPolicyy\""),
            std::string::npos)
      << error.message;
}

TEST(ManifestScenarioErrors, PodBoundToAnotherNode) {
  Diagnostic error = OnlyError(TextInputs(std::string(kSmallNode), R"(apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  nodeName: node-b
  containers: [{name: app, image: nginx}]
)"));
  EXPECT_EQ(error.location.ToString(), "pod.yaml:5:3");
  EXPECT_NE(error.message.find("bound to node \"node-b\", but --node gives node \"node-a\""),
            std::string::npos);
}

TEST(ManifestScenarioErrors, NoPodAndNoNode) {
  ManifestScenarioInputs inputs;
  inputs.manifests = {{"secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"}};
  LoadResult<ManifestScenario> loaded = LoadManifestScenario(inputs);
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().diagnostics.front().ToString(),
            "--node: give the node: --node NODE.yaml (kubectl get node NAME -o yaml)");
}

TEST(ManifestScenarioErrors, RegistryUrlThatDoesNotAnswer) {
  ManifestScenarioInputs inputs = TextInputs(std::string(kSmallNode), std::string(kSmallPod));
  const std::string url = "http://127.0.0.1:" + std::to_string(registry::testing::FreePort());
  inputs.registries = {"registry.test=" + url};
  Diagnostic error = OnlyError(inputs);
  EXPECT_EQ(error.location.file, "--registry registry.test=" + url);
  EXPECT_EQ(error.code, ErrorCode::kUnavailable);
  EXPECT_NE(error.message.find("registry " + url + " does not answer GET /v2/: "),
            std::string::npos)
      << error.message;
}

TEST(ManifestScenarioErrors, RegistryFileNeedsAHostAndParses) {
  ManifestScenarioInputs inputs = TextInputs(std::string(kSmallNode), std::string(kSmallPod));
  inputs.registries = {Data("node-config.json")};  // not a REGISTRY.yaml
  Diagnostic error = OnlyError(inputs);
  EXPECT_EQ(error.location.file, Data("node-config.json"));
  EXPECT_GT(error.location.line, 0);

  registry::testing::TempDir dir("manifest-scenario");
  std::ofstream(dir.path() / "open.yaml") << "auth: none\n";
  inputs.registries = {(dir.path() / "open.yaml").string()};
  error = OnlyError(inputs);
  EXPECT_NE(error.message.find("which registry host does"), std::string::npos) << error.message;
}

TEST(ManifestScenarioErrors, EveryProblemIsReported) {
  ManifestScenarioInputs inputs = TextInputs(std::string(kSmallNode), std::string(kSmallPod));
  inputs.manifests.push_back({"missing.yaml", std::nullopt});
  inputs.admission = {"ServiceAccount,AlwaysPullImage"};
  inputs.cluster_version = "2.0";
  inputs.node_files = {"config.json=./config.json"};
  LoadResult<ManifestScenario> loaded = LoadManifestScenario(inputs);
  ASSERT_FALSE(loaded.has_value());
  std::vector<std::string> lines;
  for (const Diagnostic& d : loaded.error().diagnostics) lines.push_back(d.ToString());
  EXPECT_EQ(lines,
            (std::vector<std::string>{
                "--node-file config.json=./config.json: the node path \"config.json\" must be "
                "absolute, without \".\", \"..\", \"//\" or a trailing '/'",
                "--admission ServiceAccount,AlwaysPullImage: \"AlwaysPullImage\" is not a "
                "simulated admission plugin; did you mean \"AlwaysPullImages\"?",
                "--cluster-version 2.0: expected a Kubernetes minor version from \"1.20\" to "
                "\"1.40\", such as \"1.35\"",
                "missing.yaml: -f: no such file (or not a regular file)"}));
}

// ---- end to end -------------------------------------------------------------------------------

// The objects applied in order, then the node left to act for the scenario's one step.
std::unique_ptr<Simulation> RunManifests(const Scenario& scenario) {
  Result<std::unique_ptr<Simulation>> simulation = Simulation::Create(scenario);
  EXPECT_TRUE(simulation.has_value()) << simulation.error().ToString();
  if (!simulation) return nullptr;
  for (const Manifest& object : scenario.objects) {
    Result<std::vector<std::string>> applied = (*simulation)->Apply(object);
    EXPECT_TRUE(applied.has_value()) << object.Describe() << ": " << applied.error().ToString();
  }
  const Duration run_for = std::get<AdvanceStep>(scenario.steps.front().action).duration;
  (*simulation)->AdvanceTo((*simulation)->start() + run_for);
  return *std::move(simulation);
}

TEST(ManifestScenarioRun, PullsWithThePodsSecretFromTheRegistryFile) {
  pullsim::testing::CoversRules({"CRED-01", "ARCH-05"});
  LoadResult<ManifestScenario> loaded = LoadManifestScenario(FixtureInputs());
  ASSERT_TRUE(loaded.has_value()) << Describe(loaded.error());
  std::unique_ptr<Simulation> simulation = RunManifests(loaded->scenario);
  ASSERT_NE(simulation, nullptr);
  Simulation::PodOnNode pod = simulation->FindPod("tenant-a", "web");
  ASSERT_NE(pod.pod, nullptr);
  const ContainerStatus* app = pod.pod->FindContainer("app");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->state, ContainerState::kRunning) << app->reason << ": " << app->message;
  ASSERT_TRUE(app->credential.has_value());
  EXPECT_EQ(app->credential->ToString(), "secret:regcred");
  EXPECT_EQ(pod.node->ChosenFor(app->image_ref)->platform, "linux/arm64");
  // The registry saw alice's token requests and the pull.
  auto requests = simulation->registries().RequestsOf("registry.test");
  ASSERT_TRUE(requests.has_value());
  EXPECT_TRUE(std::any_of(requests->begin(), requests->end(), [](const auto& entry) {
    return entry.endpoint == oci::RegistryEndpoint::kToken && entry.identity == "alice";
  }));
}

TEST(ManifestScenarioRun, APodAsKubectlGetPrintsIt) {
  ManifestScenarioInputs inputs = FixtureInputs();
  inputs.manifests = {{Data("kubectl-pod.yaml"), std::nullopt},
                      {Data("secrets.yaml"), std::nullopt}};
  LoadResult<ManifestScenario> loaded = LoadManifestScenario(inputs);
  ASSERT_TRUE(loaded.has_value()) << Describe(loaded.error());
  EXPECT_EQ(loaded->pods, (std::vector<std::string>{"tenant-a/web-7d9c6b5f4-x2x9q"}));
  std::unique_ptr<Simulation> simulation = RunManifests(loaded->scenario);
  ASSERT_NE(simulation, nullptr);
  Simulation::PodOnNode pod = simulation->FindPod("tenant-a", "web-7d9c6b5f4-x2x9q");
  ASSERT_NE(pod.pod, nullptr);
  const ContainerStatus* app = pod.pod->FindContainer("app");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->state, ContainerState::kRunning) << app->reason << ": " << app->message;
}

// registry.test/tenant-a/base:2.1 is on the node (status.images) but not in the registry: the
// node runs it from its cache, unless AlwaysPullImages makes the policy Always.
TEST(ManifestScenarioRun, AlwaysPullImagesFromTheCommandLine) {
  pullsim::testing::CoversRules({"ADM-01", "KUB-02"});
  for (const bool always : {false, true}) {
    SCOPED_TRACE(always ? "--admission AlwaysPullImages" : "no --admission");
    ManifestScenarioInputs inputs = FixtureInputs();
    inputs.manifests = {{"base.yaml", R"(apiVersion: v1
kind: Pod
metadata: {name: base, namespace: tenant-a}
spec:
  imagePullSecrets: [{name: regcred}]
  containers: [{name: app, image: registry.test/tenant-a/base:2.1}]
)"},
                        {Data("secrets.yaml"), std::nullopt}};
    if (always) inputs.admission = {"AlwaysPullImages"};
    LoadResult<ManifestScenario> loaded = LoadManifestScenario(inputs);
    ASSERT_TRUE(loaded.has_value()) << Describe(loaded.error());
    std::unique_ptr<Simulation> simulation = RunManifests(loaded->scenario);
    ASSERT_NE(simulation, nullptr);
    const ContainerStatus* app = simulation->FindPod("tenant-a", "base").pod->FindContainer("app");
    ASSERT_NE(app, nullptr);
    EXPECT_EQ(app->pull_policy, always ? "Always" : "IfNotPresent");
    EXPECT_EQ(app->state, always ? ContainerState::kWaiting : ContainerState::kRunning)
        << app->reason << ": " << app->message;
    EXPECT_EQ(simulation->FindNode("worker-arm-1")->pulls() > 0, always);
  }
}

TEST(ManifestScenarioRun, AnImageWithoutTheNodesPlatformBacksOff) {
  pullsim::testing::CoversRules({"ARCH-06", "KUB-07"});
  ManifestScenarioInputs inputs = FixtureInputs();
  inputs.manifests.push_back({"other.yaml", R"(apiVersion: v1
kind: Pod
metadata: {name: legacy, namespace: tenant-a}
spec:
  imagePullSecrets: [{name: regcred}]
  containers: [{name: app, image: registry.test/tenant-a/amd64-only:1.0}]
)"});
  LoadResult<ManifestScenario> loaded = LoadManifestScenario(inputs);
  ASSERT_TRUE(loaded.has_value()) << Describe(loaded.error());
  EXPECT_EQ(loaded->pods, (std::vector<std::string>{"tenant-a/web", "tenant-a/legacy"}));
  std::unique_ptr<Simulation> simulation = RunManifests(loaded->scenario);
  ASSERT_NE(simulation, nullptr);
  Simulation::PodOnNode pod = simulation->FindPod("tenant-a", "legacy");
  ASSERT_NE(pod.pod, nullptr);
  const ContainerStatus* app = pod.pod->FindContainer("app");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->state, ContainerState::kWaiting);
  EXPECT_EQ(app->reason, "ImagePullBackOff");
  EXPECT_NE(app->message.find("no match for platform in manifest"), std::string::npos)
      << app->message;
}

}  // namespace
}  // namespace pullsim::scenario
