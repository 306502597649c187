// The runner executes steps on the virtual clock and reports failures with file:line, expected
// and actual (fixtures/README.md "How a scenario runs").
#include "sim/scenario/runner.h"

#include <string>

#include <gtest/gtest.h>

#include "sim/scenario/loader.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::scenario {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kWorld = R"y(name: runner-test
description: A registry with one private image and one public one, and a node.
rules: [KUB-02]
registries:
  - host: registry.test
    auth: basic
    users: [{name: ci, password: s3cret}]
    access:
      - {repositories: "public/**", pull: ["*"]}
      - {repositories: "team/**", pull: [ci]}
    images:
      - {repository: team/app, tag: "1.0", platforms: [linux/amd64, linux/arm64]}
      - {repository: public/tool, tag: "1.0"}
nodes:
  - {name: node-a, platform: linux/arm64}
objects:
  - apiVersion: v1
    kind: Secret
    metadata: {name: regcred}
    type: kubernetes.io/dockerconfigjson
    stringData:
      .dockerconfigjson: '{"auths": {"registry.test": {"auth": "Y2k6czNjcmV0"}}}'
)y";

Scenario Load(std::string_view steps, std::string_view extra = "") {
  const std::string text =
      std::string(kWorld) + std::string(extra) + "steps:\n" + std::string(steps);
  LoadResult<Scenario> loaded = LoadScenarioText(text, "test.yaml", ".");
  EXPECT_TRUE(loaded.has_value()) << (loaded ? "" : loaded.error().ToError().ToString());
  return loaded ? *std::move(loaded) : Scenario{};
}

constexpr std::string_view kPrivatePod = R"y(  - apply:
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        imagePullSecrets: [{name: regcred}]
        containers: [{name: app, image: registry.test/team/app:1.0}]
)y";

constexpr std::string_view kDeniedPod = R"y(  - apply:
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers: [{name: app, image: registry.test/team/app:1.0}]
)y";

TEST(Runner, KUB_02_PullsWithThePodSecretAndStarts) {
  testing::CoversRules({"KUB-02", "KUB-03", "CRED-13", "ARCH-05"});
  ScenarioResult result = RunScenario(Load(std::string(kPrivatePod) + R"y(  - expect:
      pod: app
      state: Running
      credential: "secret:regcred"
      credentialsTried: ["secret:regcred"]
      platform: linux/arm64
      eventsInclude: [Pulling, Pulled, Created, Started]
      within: 1m
  - expect: {node: node-a, pulls: 1, pullsBySource: {secret: 1, anonymous: 0},
             cached: [registry.test/team/app:1.0]}
  - expect:
      registry: registry.test
      requests: [{endpoint: manifest, method: GET, client: ci, status: 200, atLeast: 1},
                 {client: anonymous, status: 200, count: 0}]
)y"));
  EXPECT_EQ(result.status, ScenarioStatus::kPass) << DescribeResult(result);
  ASSERT_EQ(result.pods.size(), 1u);
  const PodResult& pod = result.pods.front();
  EXPECT_EQ(pod.node, "node-a");
  ASSERT_EQ(pod.containers.size(), 1u);
  EXPECT_EQ(pod.containers[0].state, "Running");
  EXPECT_EQ(pod.containers[0].platform, "linux/arm64");
  EXPECT_TRUE(pod.containers[0].digest.starts_with("sha256:"));
  ASSERT_EQ(pod.containers[0].credentials.size(), 1u);
  EXPECT_EQ(pod.containers[0].credentials[0].username, "ci");
  EXPECT_EQ(pod.containers[0].credentials[0].outcome, "accepted");
  EXPECT_FALSE(result.requests.empty());
  EXPECT_EQ(result.world.registries.size(), 1u);
  EXPECT_EQ(result.world.registries[0].images.size(), 2u);
}

TEST(Runner, AFailedExpectationNamesItsLineExpectedAndActual) {
  testing::CoversRules({"KUB-04", "CRED-13"});
  ScenarioResult result = RunScenario(Load(std::string(kDeniedPod) + R"y(  - expect:
      pod: app
      state: Running
      within: 30s
)y"));
  ASSERT_EQ(result.status, ScenarioStatus::kFail);
  ASSERT_EQ(result.failures.size(), 1u);
  const FailedExpectation& failure = result.failures[0];
  EXPECT_EQ(failure.location.file, "test.yaml");
  EXPECT_EQ(failure.location.line, 32);  // the `state:` line of the expectation
  EXPECT_EQ(failure.check, "state");
  EXPECT_EQ(failure.subject, "pod default/app");
  EXPECT_EQ(failure.expected, "Running (within 30s)");
  EXPECT_TRUE(failure.actual.starts_with("Waiting (")) << failure.actual;
  // `within` ran the clock to its end looking for the moment.
  EXPECT_EQ(result.virtual_time, 30s);
  const std::string text = DescribeResult(result);
  EXPECT_NE(text.find("test.yaml:32:"), std::string::npos) << text;
}

TEST(Runner, KUB_12_RetriesAFailedSyncAfterTenToFifteenSeconds) {
  testing::CoversRules({"KUB-12", "KUB-08"});
  ScenarioResult result = RunScenario(Load(std::string(kDeniedPod) + "  - advance: 20s\n"));
  ASSERT_EQ(result.pods.size(), 1u);
  std::vector<Duration> pulling;
  for (const EventRecord& event : result.pods[0].events) {
    if (event.reason == "Pulling") pulling.push_back(event.time);
  }
  ASSERT_EQ(pulling.size(), 2u);
  EXPECT_EQ(pulling[0], 0s);
  EXPECT_GE(pulling[1], 10s);
  EXPECT_LE(pulling[1], 15s);
}

TEST(Runner, WithinStopsTheClockAtTheFirstMomentTheChecksHold) {
  testing::CoversRule("KUB-08");
  ScenarioResult result = RunScenario(Load(
      std::string(kDeniedPod) + R"y(  - expect: {pod: app, reason: ImagePullBackOff, within: 5m}
)y"));
  EXPECT_EQ(result.status, ScenarioStatus::kPass) << DescribeResult(result);
  // Failures at 0 s and 10-15 s, then back-off (20 s) is still running at the next sync.
  EXPECT_GT(result.virtual_time, 15s);
  EXPECT_LT(result.virtual_time, 45s);
}

TEST(Runner, NeverFailsAtTheMomentTheChecksHold) {
  testing::CoversRule("KUB-02");
  ScenarioResult result = RunScenario(Load(
      std::string(kPrivatePod) + R"y(  - expect: {pod: app, state: Running, never: true, within: 1m}
)y"));
  ASSERT_EQ(result.status, ScenarioStatus::kFail);
  ASSERT_EQ(result.failures.size(), 1u);
  EXPECT_EQ(result.failures[0].check, "never");
  EXPECT_NE(result.failures[0].actual.find("all held at"), std::string::npos);
}

TEST(Runner, XfailThatFailsIsXfailAndOneThatPassesIsXpass) {
  const std::string xfail = "xfail: \"known divergence, #7\"\n";
  ScenarioResult failed = RunScenario(
      Load(std::string(kDeniedPod) + "  - expect: {pod: app, state: Running}\n", xfail));
  EXPECT_EQ(failed.status, ScenarioStatus::kXfail);
  ScenarioResult passed = RunScenario(
      Load(std::string(kDeniedPod) + "  - expect: {pod: app, state: Waiting}\n", xfail));
  EXPECT_EQ(passed.status, ScenarioStatus::kXpass);
}

TEST(Runner, SameScenarioSameResult) {
  const Scenario scenario = Load(std::string(kDeniedPod) + "  - advance: 10m\n");
  ScenarioResult first = RunScenario(scenario);
  ScenarioResult second = RunScenario(scenario);
  ASSERT_EQ(first.pods.size(), 1u);
  ASSERT_EQ(first.pods[0].events.size(), second.pods[0].events.size());
  for (std::size_t i = 0; i < first.pods[0].events.size(); ++i) {
    EXPECT_EQ(first.pods[0].events[i].time, second.pods[0].events[i].time);
    EXPECT_EQ(first.pods[0].events[i].message, second.pods[0].events[i].message);
  }
  ASSERT_EQ(first.requests.size(), second.requests.size());
  for (std::size_t i = 0; i < first.requests.size(); ++i) {
    EXPECT_EQ(first.requests[i].path, second.requests[i].path);
    EXPECT_EQ(first.requests[i].time, second.requests[i].time);
  }
}

TEST(Runner, RevokedUserAndRotatedPasswordAreRefused) {
  testing::CoversRule("CRED-13");
  ScenarioResult revoked = RunScenario(Load(R"y(  - revoke: {registry: registry.test, user: ci}
)y" + std::string(kPrivatePod) + R"y(  - expect: {pod: app, reason: ErrImagePull, within: 1m}
  - expect:
      registry: registry.test
      requests: [{client: ci, status: 403, atLeast: 1}]
)y"));
  EXPECT_EQ(revoked.status, ScenarioStatus::kPass) << DescribeResult(revoked);

  ScenarioResult rotated =
      RunScenario(Load(R"y(  - rotatePassword: {registry: registry.test, user: ci, password: n3w}
)y" + std::string(kPrivatePod) +
                       R"y(  - expect: {pod: app, reason: ErrImagePull, within: 1m}
  - expect:
      registry: registry.test
      requests: [{status: 401, atLeast: 1}, {status: 200, endpoint: manifest, count: 0}]
)y"));
  EXPECT_EQ(rotated.status, ScenarioStatus::kPass) << DescribeResult(rotated);
}

TEST(Runner, AnApplyTheApiServerRefusesFailsTheStep) {
  testing::CoversRule("POL-03");
  ScenarioResult result = RunScenario(Load(R"y(  - apply:
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        containers: [{name: app, image: registry.test/team/app:1.0, imagePullPolicy: always}]
  - expect: {pod: app, state: Running}
)y"));
  ASSERT_EQ(result.status, ScenarioStatus::kFail);
  ASSERT_EQ(result.failures.size(), 1u) << DescribeResult(result);  // later steps do not run
  EXPECT_EQ(result.failures[0].check, "apply");
  EXPECT_NE(result.failures[0].actual.find("Unsupported value: \"always\""), std::string::npos)
      << result.failures[0].actual;
}

TEST(Runner, RemovedImageIsPulledAgainByTheNextPod) {
  testing::CoversRules({"KUB-02", "POL-06"});
  ScenarioResult result = RunScenario(Load(R"y(  - apply:
      apiVersion: v1
      kind: Pod
      metadata: {name: one}
      spec:
        containers: [{name: tool, image: registry.test/public/tool:1.0}]
  - expect: {pod: one, state: Running, within: 1m}
  - removeImage: {node: node-a, image: registry.test/public/tool:1.0}
  - expect: {node: node-a, notCached: [registry.test/public/tool:1.0]}
  - apply:
      apiVersion: v1
      kind: Pod
      metadata: {name: two}
      spec:
        containers: [{name: tool, image: registry.test/public/tool:1.0}]
  - expect: {pod: two, state: Running, within: 1m}
  - expect: {node: node-a, pulls: 2, cached: [registry.test/public/tool:1.0]}
)y"));
  EXPECT_EQ(result.status, ScenarioStatus::kPass) << DescribeResult(result);
}

TEST(Runner, OverHttpTheSameScenarioHasTheSameOutcome) {
  testing::CoversRules({"KUB-02", "CRED-13"});
  const std::string steps =
      std::string(kPrivatePod) +
      R"y(  - expect: {pod: app, state: Running, credential: "secret:regcred", within: 1m}
  - revoke: {registry: registry.test, user: ci}
  - apply:
      apiVersion: v1
      kind: Pod
      metadata: {name: again}
      spec:
        imagePullSecrets: [{name: regcred}]
        containers: [{name: app, image: registry.test/team/app:1.0, imagePullPolicy: Always}]
  - expect: {pod: again, reason: ErrImagePull, within: 1m}
  - expect: {registry: registry.test, requests: [{client: ci, status: 403, atLeast: 1}]}
)y";
  ScenarioResult in_process = RunScenario(Load(steps));
  ScenarioResult http = RunScenario(Load(steps, "transport: http\n"));
  EXPECT_EQ(in_process.status, ScenarioStatus::kPass) << DescribeResult(in_process);
  EXPECT_EQ(http.status, ScenarioStatus::kPass) << DescribeResult(http);
  ASSERT_FALSE(http.requests.empty());
  EXPECT_TRUE(http.requests[0].client.starts_with("127.0.0.1:")) << http.requests[0].client;
}

TEST(Runner, InvalidFileIsInvalidWithDiagnostics) {
  RunOptions options;
  ScenarioResult result = RunScenarioFile("no/such/scenario.yaml", options);
  EXPECT_EQ(result.status, ScenarioStatus::kInvalid);
  ASSERT_FALSE(result.diagnostics.empty());
  EXPECT_NE(result.diagnostics[0].ToString().find("no/such/scenario.yaml"), std::string::npos);
}

}  // namespace
}  // namespace pullsim::scenario
