// `pullsim explain`: every pod of every fixture gets an explanation with no empty part, and the
// text names the right step for the main cases — how the pull policy was set, each credential
// outcome, a platform that does not fit, and a KEP-2535 denial.
#include "sim/scenario/explain.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/scenario/loader.h"
#include "sim/scenario/runner.h"
#include "sim/scenario/scenario_files.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::scenario {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Scenario LoadFixture(std::string_view relative) {
  LoadOptions options;
  options.catalogue = &pullsim::testing::Catalogue();
  LoadResult<Scenario> loaded =
      LoadScenarioFile(pullsim::testing::SourcePath("fixtures/" + std::string(relative)), options);
  EXPECT_TRUE(loaded.has_value()) << (loaded ? "" : loaded.error().ToError().ToString());
  return loaded ? *std::move(loaded) : Scenario{};
}

// A registry with a private repository (ci may pull team/**; bob is a user with no right to it)
// and a public one, a node, and pull secrets for both users.
constexpr std::string_view kWorld = R"y(name: explain-test
description: A registry with one private image and one public one, and a node.
rules: [CRED-13]
registries:
  - host: registry.test
    auth: basic
    users: [{name: ci, password: s3cret}, {name: bob, password: b0b-pw}]
    access:
      - {repositories: "public/**", pull: ["*"]}
      - {repositories: "team/**", pull: [ci]}
    images:
      - {repository: team/app, tag: "1.0", platforms: [linux/amd64, linux/arm64]}
      - {repository: team/app, tag: "latest"}
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
  - apiVersion: v1
    kind: Secret
    metadata: {name: bobcred}
    type: kubernetes.io/dockerconfigjson
    stringData:
      .dockerconfigjson: '{"auths": {"registry.test/team": {"username": "bob", "password": "b0b-pw"}}}'
)y";

// A scenario of kWorld whose only step applies a pod `app` with `spec` (YAML flow mapping body).
Scenario PodScenario(std::string_view spec) {
  const std::string text = std::string(kWorld) +
                           "steps:\n"
                           "  - apply: {apiVersion: v1, kind: Pod, metadata: {name: app}, spec: {" +
                           std::string(spec) + "}}\n  - advance: 1m\n";
  LoadResult<Scenario> loaded = LoadScenarioText(text, "explain-test.yaml", ".");
  EXPECT_TRUE(loaded.has_value()) << (loaded ? "" : loaded.error().ToError().ToString());
  return loaded ? *std::move(loaded) : Scenario{};
}

std::string Explain(const Scenario& scenario, std::string_view ns, std::string_view name) {
  Result<PodExplanation> explained = ExplainPod(scenario, ns, name);
  EXPECT_TRUE(explained.has_value()) << (explained ? "" : explained.error().ToString());
  return explained ? FormatExplanation(*explained) : "";
}

// The lines of `text` from the one starting with `heading` up to the next numbered heading.
std::string SectionOf(const std::string& text, std::string_view heading) {
  const std::size_t start = text.find("\n" + std::string(heading));
  if (start == std::string::npos) return "";
  std::size_t end = start + 1;
  for (;;) {
    end = text.find('\n', end);
    if (end == std::string::npos || end + 1 >= text.size()) return text.substr(start + 1);
    const char next = text[end + 1];
    if ((next >= '1' && next <= '7' && text.compare(end + 2, 1, ".") == 0) || next == '\n') {
      return text.substr(start + 1, end - start);
    }
    ++end;
  }
}

TEST(Explain, EveryPodOfEveryFixtureIsExplainedInFull) {
  LoadOptions options;
  options.catalogue = &pullsim::testing::Catalogue();
  ScenarioFiles found = CollectScenarioFiles({pullsim::testing::SourcePath("fixtures")});
  ASSERT_GE(found.files.size(), 40u);
  int containers = 0;
  for (const auto& file : found.files) {
    SCOPED_TRACE(file.generic_string());
    LoadResult<Scenario> loaded = LoadScenarioFile(file, options);
    ASSERT_TRUE(loaded.has_value());
    KeptRun run = RunScenarioKeepingWorld(*loaded);
    ASSERT_NE(run.world, nullptr) << run.result.error;
    for (const std::string& pod : PodsOf(*run.world)) {
      SCOPED_TRACE(pod);
      const std::size_t slash = pod.find('/');
      Result<PodExplanation> explained =
          ExplainPod(*run.world, pod.substr(0, slash), pod.substr(slash + 1));
      ASSERT_TRUE(explained.has_value()) << explained.error().ToString();
      ASSERT_FALSE(explained->containers.empty());
      for (const ContainerExplanation& c : explained->containers) {
        SCOPED_TRACE(c.name);
        ++containers;
        EXPECT_FALSE(c.image.written.empty());
        EXPECT_TRUE(!c.image.normalised.empty() || !c.image.error.empty());
        EXPECT_FALSE(c.policy.value.empty());
        EXPECT_FALSE(c.policy.set_by.empty());
        EXPECT_FALSE(c.policy.why.empty());
        EXPECT_FALSE(c.cache.decision.empty());
        EXPECT_FALSE(c.cache.reason.empty());
        const ExplainedCredentials& credentials = c.credentials;
        EXPECT_TRUE(!credentials.tried.empty() || credentials.anonymous ||
                    !credentials.lookup_error.empty() || !credentials.note.empty())
            << "the credentials part says nothing";
        for (const ExplainedCredential& credential : credentials.tried) {
          EXPECT_FALSE(credential.source.empty());
          EXPECT_FALSE(credential.matched.empty());
          EXPECT_FALSE(credential.outcome.empty());
        }
        if (c.last_pull_at) {
          EXPECT_TRUE(credentials.pulled);
        }
        EXPECT_FALSE(c.platform.node_platform.empty());
        EXPECT_FALSE(c.platform.acceptable.empty());
        EXPECT_FALSE(c.platform.summary.empty());
        EXPECT_FALSE(c.outcome.state.empty());
        const std::string text = FormatExplanation(*explained);
        for (std::string_view heading :
             {"1. image", "2. pull policy", "3. cached image", "4. credentials",
              "5. registry exchanges", "6. platform", "7. outcome"}) {
          EXPECT_THAT(text, HasSubstr(std::string(heading)));
          EXPECT_NE(SectionOf(text, heading).find('\n'), std::string::npos);
        }
        nlohmann::json json = nlohmann::json::parse(ExplanationJson(*explained), nullptr, false);
        EXPECT_FALSE(json.is_discarded());
      }
    }
  }
  EXPECT_GE(containers, 60);
}

TEST(Explain, POL_01_DefaultedFromTheTag) {
  pullsim::testing::CoversRules({"POL-01", "REF-11"});
  const std::string latest =
      Explain(PodScenario("imagePullSecrets: [{name: regcred}], containers: [{name: app, image: "
                          "registry.test/team/app}]"),
              "default", "app");
  EXPECT_THAT(SectionOf(latest, "1. image"), HasSubstr("(default tag :latest added, REF-11)"));
  EXPECT_THAT(
      SectionOf(latest, "2. pull policy"),
      HasSubstr("Always       set by Defaulting (POL-01): no policy written; the API server "
                "defaults it from the tag: the tag is latest"));
  const std::string tagged =
      Explain(PodScenario("imagePullSecrets: [{name: regcred}], containers: [{name: app, image: "
                          "registry.test/team/app:1.0}]"),
              "default", "app");
  EXPECT_THAT(SectionOf(tagged, "2. pull policy"),
              HasSubstr("IfNotPresent set by Defaulting (POL-01)"));
  EXPECT_THAT(SectionOf(tagged, "2. pull policy"), HasSubstr("the tag is not latest"));
}

TEST(Explain, POL_01_WrittenPolicyIsKept) {
  pullsim::testing::CoversRule("POL-01");
  const std::string text =
      Explain(PodScenario("containers: [{name: app, image: registry.test/public/tool:1.0, "
                          "imagePullPolicy: Always}]"),
              "default", "app");
  EXPECT_THAT(SectionOf(text, "2. pull policy"), HasSubstr("Always       written in the pod spec"));
  EXPECT_THAT(SectionOf(text, "3. cached image"), HasSubstr("Always: the kubelet pulls without"));
}

TEST(Explain, ADM_01_AlwaysPullImagesSetsThePolicy) {
  pullsim::testing::CoversRule("ADM-01");
  const std::string text = Explain(
      LoadFixture("always-pull-images/forces-always-on-every-container.yaml"), "default", "app");
  EXPECT_THAT(text, HasSubstr("Always       set by AlwaysPullImages (ADM-01): the "
                              "AlwaysPullImages admission plugin sets Always on every container "
                              "(was IfNotPresent)"));
  EXPECT_THAT(text, HasSubstr("(was Never)"));
}

TEST(Explain, CRED_13_AcceptedCredential) {
  pullsim::testing::CoversRules({"CRED-07", "CRED-13", "ARCH-05"});
  const std::string text =
      Explain(PodScenario("imagePullSecrets: [{name: regcred}], containers: [{name: app, image: "
                          "registry.test/team/app:1.0}]"),
              "default", "app");
  const std::string credentials = SectionOf(text, "4. credentials");
  EXPECT_THAT(credentials, HasSubstr("1. secret default/regcred  key registry.test  user ci  -> "
                                     "accepted"));
  EXPECT_THAT(credentials, HasSubstr("matched: host registry.test of registry.test/team/app "
                                     "(CRED-07)"));
  EXPECT_THAT(credentials, HasSubstr("anonymous    not tried: a credential matched"));
  EXPECT_THAT(SectionOf(text, "5. registry exchanges"),
              HasSubstr("GET  /v2/team/app/manifests/1.0"));
  EXPECT_THAT(SectionOf(text, "6. platform"), HasSubstr("chose linux/arm64"));
  EXPECT_THAT(SectionOf(text, "6. platform"), HasSubstr("<- chosen"));
  EXPECT_THAT(SectionOf(text, "7. outcome"), HasSubstr("Running"));
  // Never a password.
  EXPECT_THAT(text, Not(HasSubstr("s3cret")));
}

TEST(Explain, CRED_13_RefusedCredential401AndNoAnonymousRetry) {
  pullsim::testing::CoversRules({"CRED-13", "KUB-04"});
  Result<PodExplanation> explained =
      ExplainPod(LoadFixture("credentials/no-anonymous-retry.yaml"), "default", "app");
  ASSERT_TRUE(explained.has_value()) << explained.error().ToString();
  const std::string text = FormatExplanation(*explained);
  EXPECT_THAT(
      SectionOf(text, "4. credentials"),
      HasSubstr("1. secret default/stale  key registry.test  user ci  -> 401 Unauthorized"));
  EXPECT_THAT(SectionOf(text, "4. credentials"), HasSubstr("anonymous    not tried"));
  EXPECT_THAT(SectionOf(text, "5. registry exchanges"), HasSubstr("401  auth basic ci"));
  EXPECT_THAT(SectionOf(text, "5. registry exchanges"), HasSubstr("earlier      "));
  EXPECT_FALSE(explained->containers[0].earlier_pulls.empty());
  EXPECT_THAT(SectionOf(text, "7. outcome"), HasSubstr("Waiting  ImagePullBackOff"));
  EXPECT_THAT(text, Not(HasSubstr("wrong")));  // the password in the secret
}

TEST(Explain, CRED_13_RefusedCredential403) {
  pullsim::testing::CoversRule("CRED-13");
  const std::string text =
      Explain(PodScenario("imagePullSecrets: [{name: bobcred}], containers: [{name: app, image: "
                          "registry.test/team/app:1.0}]"),
              "default", "app");
  EXPECT_THAT(SectionOf(text, "4. credentials"),
              HasSubstr("1. secret default/bobcred  key registry.test/team  user bob  -> 403 "
                        "Forbidden"));
  EXPECT_THAT(SectionOf(text, "4. credentials"),
              HasSubstr("matched: path prefix registry.test/team of registry.test/team/app"));
  EXPECT_THAT(text, Not(HasSubstr("b0b-pw")));
}

TEST(Explain, CRED_13_AnonymousWhenNothingMatches) {
  pullsim::testing::CoversRules({"CRED-13", "CRED-07"});
  const std::string text =
      Explain(PodScenario("imagePullSecrets: [{name: bobcred}], containers: [{name: app, image: "
                          "registry.test/public/tool:1.0}]"),
              "default", "app");
  const std::string credentials = SectionOf(text, "4. credentials");
  EXPECT_THAT(credentials,
              HasSubstr("anonymous    tried, no credential matched (CRED-13): accepted"));
  EXPECT_THAT(credentials, HasSubstr("skipped      secret default/bobcred: no key matches "
                                     "registry.test/public/tool (keys: registry.test/team) "
                                     "(CRED-07)"));
  EXPECT_THAT(SectionOf(text, "7. outcome"), HasSubstr("Running"));
}

TEST(Explain, CRED_14_SecretOfAnotherNamespaceIsSkipped) {
  pullsim::testing::CoversRules({"CRED-14", "ADM-08"});
  const std::string text = Explain(
      LoadFixture("multi-tenant/secret-of-other-namespace-ignored.yaml"), "tenant-b", "borrower");
  EXPECT_THAT(SectionOf(text, "4. credentials"),
              HasSubstr("skipped      secret tenant-b/regcred-a: not in namespace tenant-b (only "
                        "in tenant-a); the kubelet reads secrets of the pod's own namespace only "
                        "(CRED-14)"));
  EXPECT_THAT(SectionOf(text, "4. credentials"), HasSubstr("anonymous    tried"));
  EXPECT_THAT(SectionOf(text, "7. outcome"), HasSubstr("FailedToRetrieveImagePullSecret"));
}

TEST(Explain, ARCH_06_NoEntryFitsTheNode) {
  pullsim::testing::CoversRules({"ARCH-04", "ARCH-06"});
  const std::string text =
      Explain(LoadFixture("platforms/no-matching-platform.yaml"), "default", "sensor");
  const std::string platform = SectionOf(text, "6. platform");
  EXPECT_THAT(platform, HasSubstr("node         linux/amd64  (accepts linux/amd64, linux/386"));
  EXPECT_THAT(platform, HasSubstr("linux/arm64 sha256:"));
  EXPECT_THAT(platform, HasSubstr("linux/arm/v7 sha256:"));
  EXPECT_THAT(platform, HasSubstr("no entry fits"));
  EXPECT_THAT(platform, HasSubstr("(ARCH-06)"));
  EXPECT_THAT(platform, Not(HasSubstr("<- chosen")));
  EXPECT_THAT(SectionOf(text, "4. credentials"), HasSubstr("no manifest for the node's platform"));
}

TEST(Explain, KEP2535_04_CachedImageOfAnotherTenantMustBePulled) {
  pullsim::testing::CoversRules({"KEP2535-04", "KUB-02"});
  const Scenario scenario = LoadFixture("multi-tenant/cached-image-verified.yaml");
  const std::string thief = Explain(scenario, "tenant-b", "thief");
  const std::string cache = SectionOf(thief, "3. cached image");
  EXPECT_THAT(cache, HasSubstr("on the node  yes, sha256:"));
  EXPECT_THAT(cache, HasSubstr(": cached copy refused"));
  EXPECT_THAT(cache, HasSubstr("pull to verify: pulled before with secret tenant-a/regcred; this "
                               "pod offers no secret for it: it must pull (KEP2535-04)"));
  const std::string owner = Explain(scenario, "tenant-a", "web");
  EXPECT_THAT(SectionOf(owner, "3. cached image"), HasSubstr("not on the node"));
}

TEST(Explain, KUB_09_PullRefusedByQpsIsCountedAsNotSent) {
  pullsim::testing::CoversRule("KUB-09");
  Result<PodExplanation> explained =
      ExplainPod(LoadFixture("kubelet/pull-qps-exceeded.yaml"), "default", "b");
  ASSERT_TRUE(explained.has_value()) << explained.error().ToString();
  EXPECT_EQ(explained->containers[0].pulls_not_sent, 1);
  EXPECT_THAT(SectionOf(FormatExplanation(*explained), "5. registry exchanges"),
              HasSubstr("not sent     1 pull(s) failed before reaching the registry"));
  Result<PodExplanation> first =
      ExplainPod(LoadFixture("kubelet/pull-qps-exceeded.yaml"), "default", "a");
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->containers[0].pulls_not_sent, 0);
}

TEST(Explain, UnknownPodOrContainerNamesWhatExists) {
  const Scenario scenario = LoadFixture("multi-tenant/cached-image-verified.yaml");
  Result<PodExplanation> pod = ExplainPod(scenario, "tenant-b", "thiefs");
  ASSERT_FALSE(pod.has_value());
  EXPECT_EQ(pod.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(pod.error().message, HasSubstr("did you mean tenant-b/thief?"));
  EXPECT_THAT(pod.error().message, HasSubstr("(pods: tenant-a/web, tenant-b/thief)"));
  Result<PodExplanation> container = ExplainPod(scenario, "tenant-b", "thief", "webb");
  ASSERT_FALSE(container.has_value());
  EXPECT_THAT(container.error().message, HasSubstr("did you mean web?"));
}

TEST(Explain, JsonCarriesTheSameParts) {
  pullsim::testing::CoversRule("CRED-13");
  Result<PodExplanation> explained =
      ExplainPod(LoadFixture("credentials/no-anonymous-retry.yaml"), "default", "app");
  ASSERT_TRUE(explained.has_value());
  nlohmann::json json = nlohmann::json::parse(ExplanationJson(*explained), nullptr, false);
  ASSERT_FALSE(json.is_discarded());
  EXPECT_EQ(json["pod"], "default/app");
  const nlohmann::json& container = json["containers"][0];
  EXPECT_EQ(container["pullPolicy"]["value"], "IfNotPresent");
  EXPECT_EQ(container["credentials"]["tried"][0]["username"], "ci");
  EXPECT_EQ(container["credentials"]["tried"][0]["outcome"], "401 Unauthorized");
  EXPECT_EQ(container["credentials"]["anonymous"], false);
  EXPECT_EQ(container["outcome"]["reason"], "ImagePullBackOff");
  EXPECT_FALSE(container["exchanges"].empty());
}

}  // namespace
}  // namespace pullsim::scenario
