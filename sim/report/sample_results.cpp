#include "sim/report/sample_results.h"

#include <array>
#include <chrono>
#include <utility>

namespace pullsim::report::testing {
namespace {

using namespace std::chrono_literals;
using scenario::ContainerResult;
using scenario::CredentialAttempt;
using scenario::EventRecord;
using scenario::PhaseKind;
using scenario::PodResult;
using scenario::RequestRecord;
using scenario::ScenarioResult;
using scenario::ScenarioStatus;
using scenario::TimelineInterval;

constexpr std::string_view kDigestAmd64 =
    "sha256:3ec9d4ec5512356b5e77b13fddac2e9016e7aba17dd295ae23c94b2b901813de";
constexpr std::string_view kDigestArm64 =
    "sha256:b3b8f5f2cc6e9c64f1a1bd4a2af3b4e9f1e3d2c7a6b5f4e3d2c1b0a9f8e7d6c5";

PodResult MakePod(std::string namespace_name, std::string name, std::string node) {
  PodResult pod;
  pod.namespace_name = std::move(namespace_name);
  pod.name = std::move(name);
  pod.node = std::move(node);
  return pod;
}

ContainerResult MakeContainer(std::string name, std::string image, std::string policy,
                              std::string state, std::string reason, std::string message,
                              std::vector<CredentialAttempt> credentials) {
  ContainerResult container;
  container.name = std::move(name);
  container.image = std::move(image);
  container.pull_policy = std::move(policy);
  container.state = std::move(state);
  container.reason = std::move(reason);
  container.message = std::move(message);
  container.credentials = std::move(credentials);
  return container;
}

scenario::WorldSummary TenantWorld() {
  scenario::WorldSummary world;
  world.cluster_version = "1.35";
  world.admission_plugins = {"ServiceAccount"};
  world.feature_gates = {{"KubeletEnsureSecretPulledImages", "true"}};
  world.registries.push_back(
      {"registry-a.test",
       "token",
       {"robot-a"},
       {{"shop/web:1.0", std::string(kDigestAmd64), {"linux/amd64", "linux/arm64"}}}});
  world.nodes.push_back({"node-a",
                         "linux/arm64",
                         {{"imagePullCredentialsVerificationPolicy", "NeverVerifyPreloadedImages"},
                          {"serializeImagePulls", "true"}},
                         {"/var/lib/kubelet/config.json"},
                         {"registry.k8s.io/pause:3.10"}});
  world.objects = {
      {"Namespace", "", "tenant-a", ""},
      {"Namespace", "", "tenant-b", ""},
      {"Secret", "tenant-a", "regcred", "kubernetes.io/dockerconfigjson"},
      {"Pod", "tenant-a", "web", "node node-a; web: registry-a.test/shop/web:1.0"},
      {"Pod", "tenant-b", "thief", "node node-a; web: registry-a.test/shop/web:1.0 (IfNotPresent)"},
  };
  return world;
}

PodResult WebPod() {
  PodResult pod = MakePod("tenant-a", "web", "node-a");
  ContainerResult web =
      MakeContainer("web", "registry-a.test/shop/web:1.0", "IfNotPresent", "Running", "", "",
                    {{"registry-a.test", "robot-a", "secret:regcred", "accepted"}});
  web.platform = "linux/arm64";
  web.digest = std::string(kDigestArm64);
  web.started_at = 1250ms;
  pod.containers.push_back(std::move(web));
  pod.timeline = {
      {"web", PhaseKind::kQueued, 0ms, 100ms, "waiting for a pull slot"},
      {"web", PhaseKind::kPulling, 100ms, 1200ms, "registry-a.test/shop/web:1.0"},
      {"web", PhaseKind::kRunning, 1250ms, 120s, "running"},
  };
  const std::string field = "spec.containers{web}";
  pod.events = {
      {100ms, "Normal", "Pulling", "Pulling image \"registry-a.test/shop/web:1.0\"", field},
      {1200ms, "Normal", "Pulled",
       "Successfully pulled image \"registry-a.test/shop/web:1.0\" in 1.1s (1.1s including "
       "waiting). Image size: 2097152 bytes.",
       field},
      {1250ms, "Normal", "Created", "Created container: web", field},
      {1250ms, "Normal", "Started", "Started container web", field},
  };
  return pod;
}

PodResult ThiefPod() {
  PodResult pod = MakePod("tenant-b", "thief", "node-a");
  ContainerResult web = MakeContainer(
      "web", "registry-a.test/shop/web:1.0", "IfNotPresent", "Waiting", "ImagePullBackOff",
      "Back-off pulling image \"registry-a.test/shop/web:1.0\": ErrImagePull: failed to "
      "authorize: 401 Unauthorized",
      {{"", "", "anonymous", "401 unauthorized"}});
  pod.containers.push_back(std::move(web));
  pod.timeline = {
      {"web", PhaseKind::kPulling, 60s, 60300ms, "registry-a.test/shop/web:1.0"},
      {"web", PhaseKind::kFailed, 60300ms, 60300ms, "ErrImagePull"},
      {"web", PhaseKind::kBackOff, 60300ms, 70300ms, "back-off 10s"},
      {"web", PhaseKind::kPulling, 70300ms, 70500ms, "registry-a.test/shop/web:1.0"},
      {"web", PhaseKind::kFailed, 70500ms, 70500ms, "ErrImagePull"},
      {"web", PhaseKind::kBackOff, 70500ms, 90500ms, "back-off 20s"},
      {"web", PhaseKind::kPulling, 90500ms, 90700ms, "registry-a.test/shop/web:1.0"},
      {"web", PhaseKind::kFailed, 90700ms, 90700ms, "ErrImagePull"},
      {"web", PhaseKind::kBackOff, 90700ms, 120s, "back-off 40s"},
  };
  const std::string field = "spec.containers{web}";
  for (Duration at : {Duration{60s}, Duration{70300ms}, Duration{90500ms}}) {
    pod.events.push_back(
        {at, "Normal", "Pulling", "Pulling image \"registry-a.test/shop/web:1.0\"", field});
    pod.events.push_back({at + 200ms, "Warning", "Failed",
                          "Failed to pull image \"registry-a.test/shop/web:1.0\": failed to "
                          "authorize: 401 Unauthorized",
                          field});
    pod.events.push_back({at + 200ms, "Warning", "Failed", "Error: ErrImagePull", field});
    pod.events.push_back({at + 300ms, "Normal", "BackOff",
                          "Back-off pulling image \"registry-a.test/shop/web:1.0\"", field});
    pod.events.push_back({at + 300ms, "Warning", "Failed", "Error: ImagePullBackOff", field});
  }
  return pod;
}

std::vector<RequestRecord> TenantRequests() {
  return {
      {100ms, "registry-a.test", "node-a", "anonymous", "GET", "/v2/", 401, 87},
      {110ms, "registry-a.test", "node-a", "robot-a", "GET",
       "/token?scope=repository:shop/web:pull&service=registry-a.test", 200, 612},
      {120ms, "registry-a.test", "node-a", "robot-a", "GET", "/v2/shop/web/manifests/1.0", 200,
       1589},
      {130ms, "registry-a.test", "node-a", "robot-a", "GET",
       "/v2/shop/web/manifests/" + std::string(kDigestArm64), 200, 527},
      {140ms, "registry-a.test", "node-a", "robot-a", "GET",
       "/v2/shop/web/blobs/sha256:9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0",
       200, 2097152},
      {60s, "registry-a.test", "node-a", "anonymous", "GET", "/v2/shop/web/manifests/1.0", 401,
       161},
      {70300ms, "registry-a.test", "node-a", "anonymous", "GET", "/v2/shop/web/manifests/1.0", 401,
       161},
      {90500ms, "registry-a.test", "node-a", "anonymous", "GET", "/v2/shop/web/manifests/1.0", 401,
       161},
  };
}

ScenarioResult Passing() {
  ScenarioResult s;
  s.file = "fixtures/multi-tenant/other-tenants-image-denied.yaml";
  s.name = "other-tenants-image-denied";
  s.description =
      "Tenant a pulls its private image with its pull secret. Tenant b asks for the same image "
      "with IfNotPresent and no credentials; the kubelet verifies them, pulls anonymously and "
      "is refused, then backs off 10s, 20s, 40s.";
  s.area = "multi-tenant";
  s.rules = {"KEP2535-03", "KEP2535-04", "KUB-02", "KUB-08", "CRED-13"};
  s.seed = 7;
  s.status = ScenarioStatus::kPass;
  s.virtual_time = 120s;
  s.wall_time = 3ms;
  s.world = TenantWorld();
  s.pods = {WebPod(), ThiefPod()};
  s.requests = TenantRequests();
  return s;
}

ScenarioResult Failing() {
  ScenarioResult s;
  s.file = "fixtures/public-images/tag-not-found-backs-off.yaml";
  s.name = "tag-not-found-backs-off";
  s.description = "A tag the registry does not have: ErrImagePull, then ImagePullBackOff.";
  s.area = "public-images";
  s.rules = {"KUB-03", "KUB-04", "KUB-08"};
  s.seed = 11;
  s.status = ScenarioStatus::kFail;
  s.virtual_time = 30s;
  s.wall_time = 1ms;
  s.world.cluster_version = "1.35";
  s.world.admission_plugins = {"ServiceAccount"};
  s.world.registries.push_back({"docker.io", "anonymous", {}, {{"library/nginx:1.25", "", {}}}});
  s.world.nodes.push_back({"node-1", "linux/amd64", {}, {}, {}});
  s.world.objects = {{"Pod", "default", "web", "node node-1; web: nginx:1.99"}};
  PodResult pod = MakePod("default", "web", "node-1");
  pod.containers.push_back(MakeContainer("web", "nginx:1.99", "IfNotPresent", "Waiting",
                                         "ErrImagePull", "manifest unknown",
                                         {{"", "", "anonymous", "404 manifest unknown"}}));
  pod.timeline = {{"web", PhaseKind::kPulling, 0s, 400ms, "docker.io/library/nginx:1.99"},
                  {"web", PhaseKind::kFailed, 400ms, 400ms, "ErrImagePull"},
                  {"web", PhaseKind::kBackOff, 400ms, 10400ms, "back-off 10s"}};
  pod.events = {{0s, "Normal", "Pulling", "Pulling image \"nginx:1.99\"", "spec.containers{web}"},
                {400ms, "Warning", "Failed",
                 "Failed to pull image \"nginx:1.99\": manifest unknown", "spec.containers{web}"},
                {400ms, "Warning", "Failed", "Error: ErrImagePull", "spec.containers{web}"}};
  s.pods.push_back(std::move(pod));
  s.requests = {
      {0s, "docker.io", "node-1", "anonymous", "GET", "/v2/library/nginx/manifests/1.99", 404, 98}};
  s.failures.push_back({.location = {"fixtures/public-images/tag-not-found-backs-off.yaml", 27, 5},
                        .subject = "pod default/web",
                        .check = "events",
                        .expected = "Normal Pulling Pulling image \"nginx:1.99\"\n"
                                    "Warning Failed Error: ErrImagePull\n"
                                    "Normal BackOff Back-off pulling image \"nginx:1.99\"\n"
                                    "Warning Failed Error: ImagePullBackOff",
                        .actual =
                            "Normal Pulling Pulling image \"nginx:1.99\"\n"
                            "Warning Failed Failed to pull image \"nginx:1.99\": manifest unknown\n"
                            "Warning Failed Error: ErrImagePull"});
  s.failures.push_back({.location = {"fixtures/public-images/tag-not-found-backs-off.yaml", 33, 5},
                        .subject = "pod default/web",
                        .check = "state",
                        .expected = "Waiting ImagePullBackOff",
                        .actual = "Waiting ErrImagePull"});
  return s;
}

ScenarioResult Invalid() {
  ScenarioResult s;
  s.file = "fixtures/private-registry/typo.yaml";
  s.name = "typo";
  s.area = "private-registry";
  s.rules = {"CRED-02"};
  s.status = ScenarioStatus::kInvalid;
  s.diagnostics = {{ErrorCode::kInvalidArgument,
                    {"fixtures/private-registry/typo.yaml", 12, 7},
                    "nodes[0].kubelet.registryPullQps",
                    "unknown key (did you mean \"registryPullQPS\"?)"},
                   {ErrorCode::kInvalidArgument,
                    {"fixtures/private-registry/typo.yaml", 20, 14},
                    "steps[1].expect.pod",
                    "no pod \"default/wbe\" (did you mean \"default/web\"?)"}};
  s.diagnostics_omitted = 1;
  return s;
}

ScenarioResult Xfail() {
  ScenarioResult s;
  s.file = "fixtures/always-pull-images/runtime-class-images.yaml";
  s.name = "runtime-class-images";
  s.description = "The same image cached for two runtime handlers.";
  s.area = "always-pull-images";
  s.rules = {"ADM-04"};
  s.xfail = "nodes have one runtime handler, #42";
  s.status = ScenarioStatus::kXfail;
  s.virtual_time = 5s;
  s.failures.push_back({{"fixtures/always-pull-images/runtime-class-images.yaml", 18, 5},
                        "node node-a",
                        "pulls",
                        "2",
                        "1"});
  return s;
}

ScenarioResult Xpass() {
  ScenarioResult s;
  s.file = "fixtures/private-registry/credential-helpers-ignored.yaml";
  s.name = "credential-helpers-ignored";
  s.description = "credHelpers in the node's config.json are never run by the kubelet.";
  s.area = "private-registry";
  s.rules = {"CRED-04"};
  s.xfail = "thought to be broken, #17";
  s.status = ScenarioStatus::kXpass;
  s.virtual_time = 2s;
  return s;
}

ScenarioResult Hostile() {
  ScenarioResult s;
  s.file = "fixtures/<b>evil</b>/\"quoted\" & 'x'.yaml";
  s.name = "<script>document.title='" + std::string(kPwned) +
           "'</script>\"><img src=x onerror=\"document.title='" + std::string(kPwned) + "'\">";
  s.description = HostileText(12000);
  s.area = "x\" onmouseover=\"document.title='" + std::string(kPwned) + "'";
  s.rules = {"KUB-02", "KUB-99\"><script>document.title='" + std::string(kPwned) + "'</script>"};
  s.status = ScenarioStatus::kFail;
  s.virtual_time = 1s;
  s.error = "</script><script>document.title='" + std::string(kPwned) + "'</script>";
  s.failures.push_back({{s.file, 3, 1},
                        "pod <b>x</b>",
                        "events",
                        "<img src=x onerror=\"document.title='" + std::string(kPwned) + "'\">",
                        "]]> & </pre></div> \xC3\xA9t\xC3\xA9 \xE2\x9C\x93"});
  s.world.cluster_version = "1.35";
  s.world.nodes.push_back({"<i>node</i>", "linux/amd64", {{"a\"b", "<c>"}}, {}, {}});
  PodResult pod = MakePod("ns", "</script><script>document.title='pwned'</script>", "<i>node</i>");
  pod.containers.push_back(
      MakeContainer("c<1>", "img\"<x>", "", "Waiting", "<b>Err</b>", "\u2028\u2029 <!-- -->", {}));
  pod.timeline = {{"c<1>", PhaseKind::kPulling, 0s, 1s, "<img src=x onerror=alert(1)>"}};
  pod.events = {{500ms, "Warning", "<Failed>", "</script>\"'&", "spec.containers{c<1>}"}};
  s.pods.push_back(std::move(pod));
  s.requests = {{0s, "r\"<x>", "node", "anonymous", "GET", "/v2/<script>", 404, 0}};
  return s;
}

}  // namespace

std::string HostileText(std::size_t length) {
  const std::string piece =
      std::string("<script>document.title='") + std::string(kPwned) +
      "'</script> \"double\" 'single' & &amp; </textarea></pre> ]]> <!-- "
      "\xC3\x9Cn\xC3\xAF\x63\xC3\xB8\x64\xC3\xA9 \xE2\x9C\x93 \xE6\x97\xA5\xE6\x9C\xAC "
      "\xF0\x9F\x9A\x80 invalid:\xC3\x28\xFF\xFE bell:\x07 nul:" +
      std::string(1, '\0') + " \xEF\xBF\xBE end. ";
  std::string text;
  while (text.size() < length) text += piece;
  return text;
}

scenario::RunResults HandBuiltResults() {
  scenario::RunResults results;
  results.pullsim_version = "0.1.0-test";
  results.seed = 42;
  results.started = VirtualClock::kDefaultStart + 1500ms;
  results.duration = 2345ms;
  results.scenarios = {Passing(), Failing(), Invalid(), Xfail(), Xpass(), Hostile()};
  results.tests = {
      {"PullPolicy.KUB_02_AlwaysResolvesTagEvenWhenCached",
       "conformance/pull_policy_vectors_test.cpp",
       41,
       {"KUB-02"},
       scenario::TestStatus::kPass,
       ""},
      {"RefVectors.REF_01_Grammar",
       "conformance/ref_vectors_test.cpp",
       88,
       {"REF-01", "REF-03"},
       scenario::TestStatus::kPass,
       ""},
      {"Platform.ARCH_04_Fallback",
       "conformance/platform_vectors_test.cpp",
       120,
       {"ARCH-04"},
       scenario::TestStatus::kFail,
       "conformance/platform_vectors_test.cpp:131\nExpected equality of these values:\n  "
       "chosen\n    Which is: \"linux/arm/v7\"\n  \"linux/arm/v8\""},
  };
  return results;
}

scenario::RunResults SyntheticResults(std::size_t count) {
  static constexpr std::array<std::string_view, 4> kAreas = {"public-images", "private-registry",
                                                             "always-pull-images", "multi-tenant"};
  static constexpr std::array<std::string_view, 30> kRules = {
      "POL-01",     "POL-06",     "KUB-01",     "KUB-02",  "KUB-03",  "KUB-04",
      "KUB-05",     "KUB-07",     "KUB-08",     "KUB-09",  "KUB-10",  "KUB-14",
      "KEP2535-03", "KEP2535-04", "KEP2535-05", "CRED-01", "CRED-02", "CRED-03",
      "CRED-04",    "CRED-09",    "CRED-10",    "CRED-11", "CRED-13", "CRED-14",
      "ADM-01",     "ADM-05",     "ADM-08",     "ARCH-02", "ARCH-04", "ARCH-06"};
  scenario::RunResults results;
  results.pullsim_version = "0.1.0-bench";
  results.seed = 1;
  results.started = VirtualClock::kDefaultStart;
  results.duration = 42s;
  results.scenarios.reserve(count);
  const ScenarioResult model = Passing();
  for (std::size_t i = 0; i < count; ++i) {
    ScenarioResult s = model;
    std::string area(kAreas[i % kAreas.size()]);
    s.name = "generated-scenario-" + std::to_string(i);
    s.file = "fixtures/" + area + "/" + s.name + ".yaml";
    s.area = area;
    s.seed = i;
    s.rules = {std::string(kRules[i % kRules.size()]),
               std::string(kRules[(i * 7 + 3) % kRules.size()])};
    for (int r = 0; r < 12; ++r) {
      s.requests.push_back(
          {Duration{std::chrono::milliseconds(100 + r * 10)}, "registry-a.test", "node-a",
           "robot-a", "GET",
           "/v2/shop/web/blobs/sha256:" + std::to_string(i * 100 + static_cast<std::size_t>(r)),
           200, 1024});
    }
    if (i % 50 == 49) {
      s = Invalid();
      s.name = "generated-invalid-" + std::to_string(i);
      s.file = "fixtures/" + area + "/" + s.name + ".yaml";
      s.area = area;
    } else if (i % 10 == 9) {
      s.status = ScenarioStatus::kFail;
      s.failures = Failing().failures;
    }
    results.scenarios.push_back(std::move(s));
  }
  return results;
}

}  // namespace pullsim::report::testing
