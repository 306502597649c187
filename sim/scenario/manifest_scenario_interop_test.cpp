// `--registry HOST=URL` against real registries (label interop): the node pulls over HTTP from
// `pullsim serve` (token auth, the pod's pull secret) and from Debian's docker-registry (an image
// pushed with skopeo), and the request log is what the node sent and got back.
#include <algorithm>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "sim/oci/image_builder.h"
#include "sim/oci/image_layout.h"
#include "sim/registry/testing_processes.h"
#include "sim/scenario/manifest_scenario.h"
#include "sim/scenario/simulation.h"
#include "sim/testing/covers_rule.h"
#include <signal.h>
#include <sys/wait.h>

namespace pullsim::scenario {
namespace {

using namespace pullsim::registry::testing;

std::string Data(std::string_view name) {
  return pullsim::testing::SourcePath("fixtures/explain/data/" + std::string(name)).string();
}

std::string Describe(const LoadError& error) {
  std::string text;
  for (const Diagnostic& d : error.diagnostics) text += d.ToString() + "\n";
  return text;
}

// `pullsim serve --config FILE` on a free port; killed on destruction.
class ServeProcess {
 public:
  ServeProcess(const TempDir& dir, const std::string& config) : dir_(dir) {
    const std::string command = "exec '" + std::string(PULLSIM_BINARY_DIR) +
                                "/pullsim' serve --config '" + config + "' 2>'" +
                                (dir.path() / "stderr").string() + "'";
    pid_ = Spawn({"/bin/sh", "-c", command}, dir.path() / "stdout");
  }
  ~ServeProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  // The base URL, its first line on stdout (at most 10 s of wall time); "" when it ended first.
  std::string Url() {
    for (int attempt = 0; attempt < 1000 && pid_ > 0; ++attempt) {
      const std::string out = ReadText(dir_.path() / "stdout");
      if (const std::size_t nl = out.find('\n'); nl != std::string::npos) return out.substr(0, nl);
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) pid_ = -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return {};
  }
  std::string Stderr() const { return ReadText(dir_.path() / "stderr"); }

 private:
  const TempDir& dir_;
  pid_t pid_ = -1;
};

// The scenario run: objects applied in order, then the node left to act for the one step.
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

std::size_t CountRequests(const std::vector<registry::RequestLogEntry>& log,
                          oci::RegistryEndpoint endpoint, int status, std::string_view identity) {
  return static_cast<std::size_t>(std::count_if(log.begin(), log.end(), [&](const auto& entry) {
    return entry.endpoint == endpoint && entry.status == status && entry.identity == identity;
  }));
}

TEST(ManifestScenarioInterop, PullsFromPullsimServeWithThePodsSecret) {
  pullsim::testing::CoversRules({"CRED-01", "ARCH-05"});
  TempDir dir("manifest-interop-serve");
  ServeProcess serve(dir, Data("registry.yaml"));
  const std::string url = serve.Url();
  ASSERT_FALSE(url.empty()) << serve.Stderr();

  ManifestScenarioInputs inputs;
  inputs.node = {{Data("node.yaml"), std::nullopt}};
  inputs.manifests = {{Data("pod.yaml"), std::nullopt}, {Data("secrets.yaml"), std::nullopt}};
  inputs.registries = {"registry.test=" + url};
  LoadResult<ManifestScenario> loaded = LoadManifestScenario(inputs);
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

  // What the node saw: the challenge, alice's token, then the index and the arm64 manifest.
  auto log = simulation->registries().RequestsOf("registry.test");
  ASSERT_TRUE(log.has_value());
  EXPECT_GE(CountRequests(*log, oci::RegistryEndpoint::kToken, 200, "alice"), 1u);
  EXPECT_GE(CountRequests(*log, oci::RegistryEndpoint::kManifest, 200, "bearer"), 2u);
  EXPECT_EQ(log->front().client, "worker-arm-1");
}

TEST(ManifestScenarioInterop, PullsFromDockerRegistryAndBacksOffOnAMissingTag) {
  pullsim::testing::CoversRules({"ARCH-05", "KUB-07"});
  if (!IsExecutable("/usr/bin/skopeo")) GTEST_SKIP() << "skopeo is not installed";
  TempDir dir("manifest-interop-distribution");
  DockerRegistryProcess distribution;
  Result<std::string> url = distribution.Start(dir.path(), "registry");
  if (!url && url.error().code == ErrorCode::kNotFound) GTEST_SKIP() << url.error().message;
  ASSERT_TRUE(url.has_value()) << url.error().ToString();

  oci::ImageBuilder builder;
  oci::ImageSpec spec;
  spec.repository = "team/app";
  spec.tag = "1.0";
  spec.platforms = {"linux/amd64", "linux/arm64"};
  spec.layer_sizes = {32 * 1024};
  Result<oci::BuiltImage> image = builder.Build(spec);
  ASSERT_TRUE(image.has_value()) << image.error().ToString();
  oci::ImageLayout layout;
  oci::AddImage(layout, *image);
  ASSERT_TRUE(oci::WriteImageLayout(dir.path() / "layout", layout).has_value());
  ProcessResult push =
      RunProcess({"/usr/bin/skopeo", "copy", "--all", "--insecure-policy",
                  "--dest-tls-verify=false", "oci:" + (dir.path() / "layout").string() + ":1.0",
                  "docker://" + distribution.authority() + "/team/app:1.0"},
                 dir.path());
  ASSERT_EQ(push.exit_code, 0) << push.output;

  ManifestScenarioInputs inputs;
  inputs.node = {{Data("node.yaml"), std::nullopt}};
  inputs.manifests = {{"pods.yaml", R"(apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers: [{name: app, image: registry.test/team/app:1.0}]
---
apiVersion: v1
kind: Pod
metadata: {name: typo}
spec:
  containers: [{name: app, image: registry.test/team/app:1.1}]
)"}};
  inputs.registries = {"registry.test=" + *url};
  LoadResult<ManifestScenario> loaded = LoadManifestScenario(inputs);
  ASSERT_TRUE(loaded.has_value()) << Describe(loaded.error());
  std::unique_ptr<Simulation> simulation = RunManifests(loaded->scenario);
  ASSERT_NE(simulation, nullptr);

  Simulation::PodOnNode web = simulation->FindPod("default", "web");
  ASSERT_NE(web.pod, nullptr);
  const ContainerStatus* app = web.pod->FindContainer("app");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->state, ContainerState::kRunning) << app->reason << ": " << app->message;
  EXPECT_EQ(web.node->ChosenFor(app->image_ref)->platform, "linux/arm64");

  Simulation::PodOnNode typo = simulation->FindPod("default", "typo");
  ASSERT_NE(typo.pod, nullptr);
  const ContainerStatus* missing = typo.pod->FindContainer("app");
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->reason, "ImagePullBackOff");
  EXPECT_NE(missing->message.find("not found"), std::string::npos) << missing->message;

  auto log = simulation->registries().RequestsOf("registry.test");
  ASSERT_TRUE(log.has_value());
  EXPECT_GE(CountRequests(*log, oci::RegistryEndpoint::kManifest, 404, "anonymous"), 1u);
  EXPECT_GE(CountRequests(*log, oci::RegistryEndpoint::kBlob, 200, "anonymous"), 2u);
}

}  // namespace
}  // namespace pullsim::scenario
