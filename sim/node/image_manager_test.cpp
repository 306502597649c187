#include "sim/node/image_manager.h"

#include <gtest/gtest.h>

#include "sim/node/catalog_runtime.h"
#include "sim/node/kubelet_constants.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::node {
namespace {

using reference::PullPolicy;
using std::chrono::milliseconds;
using std::chrono::seconds;

std::string Hex(char c) { return "sha256:" + std::string(64, c); }

// A node: store, catalogue runtime, records, manager, on one virtual clock.
class Node {
 public:
  explicit Node(KubeletSettings settings = {}, CatalogRuntimeOptions options = {seconds(1), 1e12})
      : runtime_(store_, options),
        pull_manager_(fs_, settings.root_dir,
                      *CredentialVerificationPolicy::Create(
                          settings.verification_policy,
                          settings.preloaded_images_verification_allowlist, settings.version),
                      clock_, settings.version),
        manager_(settings, runtime_, clock_, events_, &pull_manager_) {
    runtime_.AddToCatalog({"registry.test/app",
                           {"v1", "latest"},
                           Hex('1'),
                           Hex('a'),
                           10,
                           {{"l1", 100}, {"l2", 200}},
                           {}});
    runtime_.AddToCatalog({"registry.test/private",
                           {"v1"},
                           Hex('2'),
                           Hex('b'),
                           10,
                           {{"l1", 100}, {"l3", 300}},
                           {"tenant-a"}});
  }

  ContainerImageRequest Request(std::string image, PullPolicy policy, std::string uid = "uid1",
                                std::vector<PullCredential> credentials = {}) {
    ContainerImageRequest request;
    request.pod = ObjectReference{"Pod", "default", "web-" + uid, uid, ""};
    request.container_name = "app";
    request.image = std::move(image);
    request.pull_policy = policy;
    request.lookup_credentials = [credentials] {
      return Result<std::vector<PullCredential>>(credentials);
    };
    return request;
  }

  EnsureImageResult Ensure(ContainerImageRequest request) {
    events_.Clear();
    return manager_.EnsureImageExists(std::move(request), clock_);
  }

  std::vector<std::string> Reasons() const {
    std::vector<std::string> reasons;
    for (const Event& event : events_.events()) reasons.push_back(event.reason);
    return reasons;
  }
  const Event& LastEvent() const { return events_.events().back(); }

  VirtualClock clock_;
  NodeFileSystem fs_;
  ImageStore store_;
  CatalogRuntime runtime_;
  EventRecorder events_;
  PullManager pull_manager_;
  ImageManager manager_;
};

PullCredential TenantSecret(std::string ns, std::string username, std::string hash) {
  PullCredential credential;
  credential.username = std::move(username);
  credential.secret = SecretCoordinates{"uid-" + ns, ns, "regcred"};
  credential.credential_hash = std::move(hash);
  return credential;
}

TEST(ImageManager, KUB_01_PullsAnAbsentImageAndReportsTheDurations) {
  testing::CoversRules({"KUB-01", "KUB-03", "KUB-05"});
  Node node;
  EnsureImageResult result =
      node.Ensure(node.Request("registry.test/app:v1", PullPolicy::kIfNotPresent));
  ASSERT_TRUE(result.ok()) << result.error << ": " << result.message;
  EXPECT_EQ(result.image_ref, Hex('a'));
  EXPECT_EQ(result.message, "");
  EXPECT_EQ(node.Reasons(), (std::vector<std::string>{"Pulling", "Pulled"}));
  EXPECT_EQ(node.events_.events()[0].message, "Pulling image \"registry.test/app:v1\"");
  EXPECT_EQ(node.LastEvent().message,
            "Successfully pulled image \"registry.test/app:v1\" in 1s (1s including waiting). "
            "Image size: 310 bytes.");
  EXPECT_EQ(node.LastEvent().time, VirtualClock::kDefaultStart + seconds(1));
  EXPECT_EQ(node.LastEvent().object.field_path, "spec.containers{app}");
  EXPECT_EQ(result.runtime_pulls, (std::vector<std::string>{"anonymous"}));
}

TEST(ImageManager, KUB_02_PresentImageIsUsedWithoutAPull) {
  testing::CoversRules({"KUB-02", "KUB-05"});
  KubeletSettings settings;
  settings.ensure_secret_pulled_images = false;
  Node node(settings);
  ASSERT_TRUE(node.Ensure(node.Request("registry.test/app:v1", PullPolicy::kAlways)).ok());
  EnsureImageResult result =
      node.Ensure(node.Request("registry.test/app:v1", PullPolicy::kIfNotPresent));
  EXPECT_EQ(result.message, "Container image \"registry.test/app:v1\" already present on machine");
  EXPECT_EQ(result.image_ref, Hex('a'));
  EXPECT_FALSE(result.pull_requested);
  EXPECT_EQ(node.Reasons(), (std::vector<std::string>{"Pulled"}));
  // Always asks the registry again.
  EnsureImageResult again = node.Ensure(node.Request("registry.test/app:v1", PullPolicy::kAlways));
  EXPECT_TRUE(again.pull_requested);
  EXPECT_EQ(node.runtime_.pull_calls().size(), 2u);
}

TEST(ImageManager, KUB_02_NeverWithoutTheImage) {
  testing::CoversRules({"KUB-02", "KUB-03", "KUB-04"});
  Node node;
  EnsureImageResult result = node.Ensure(node.Request("registry.test/app:v1", PullPolicy::kNever));
  EXPECT_EQ(result.error, "ErrImageNeverPull");
  EXPECT_EQ(result.message,
            "Container image \"registry.test/app:v1\" is not present with pull policy of Never");
  EXPECT_EQ(node.Reasons(), (std::vector<std::string>{"ErrImageNeverPull"}));
  ContainerWaiting waiting =
      RecordContainerStartFailure(result, node.LastEvent().object, node.events_, node.clock_.Now());
  EXPECT_EQ(waiting.reason, "ErrImageNeverPull");
  EXPECT_EQ(node.LastEvent().message, "Error: ErrImageNeverPull");
  EXPECT_EQ(node.LastEvent().type, "Warning");
}

TEST(ImageManager, KUB_01_InvalidImageNameAndInspectionErrors) {
  testing::CoversRules({"KUB-01", "KUB-03", "KUB-04"});
  Node node;
  EnsureImageResult invalid = node.Ensure(node.Request("Example/App:v1", PullPolicy::kAlways));
  EXPECT_EQ(invalid.error, "InvalidImageName");
  EXPECT_EQ(
      invalid.message,
      "Failed to apply default image tag \"Example/App:v1\": couldn't parse image name "
      "\"Example/App:v1\": invalid reference format: repository name (App) must be lowercase");
  EXPECT_EQ(node.Reasons(), (std::vector<std::string>{"InspectFailed"}));

  node.runtime_.FailInspection("rpc error: code = Unavailable desc = connection error");
  EnsureImageResult inspect =
      node.Ensure(node.Request("registry.test/app:v1", PullPolicy::kIfNotPresent));
  EXPECT_EQ(inspect.error, "ImageInspectError");
  EXPECT_EQ(inspect.message,
            "Failed to inspect image \"\": rpc error: code = Unavailable desc = connection error");
  // Always does not inspect, so the same fault does not matter.
  EXPECT_TRUE(node.Ensure(node.Request("registry.test/app:v1", PullPolicy::kAlways)).ok());
}

TEST(ImageManager, KUB_07_BackOffCarriesThePreviousFailure) {
  testing::CoversRules({"KUB-06", "KUB-07", "KUB-08"});
  Node node;
  EnsureImageResult failed =
      node.Ensure(node.Request("registry.test/missing:v1", PullPolicy::kAlways));
  EXPECT_EQ(failed.error, "ErrImagePull");
  EXPECT_EQ(node.Reasons(), (std::vector<std::string>{"Pulling", "Failed"}));
  const std::string not_found =
      "rpc error: code = NotFound desc = failed to pull and unpack image "
      "\"registry.test/missing:v1\": failed to resolve reference \"registry.test/missing:v1\": "
      "registry.test/missing:v1: not found";
  EXPECT_EQ(failed.message, not_found);
  EXPECT_EQ(node.LastEvent().message,
            "Failed to pull image \"registry.test/missing:v1\": " + not_found);

  node.clock_.Advance(seconds(5));
  EnsureImageResult backoff =
      node.Ensure(node.Request("registry.test/missing:v1", PullPolicy::kAlways));
  EXPECT_EQ(backoff.error, "ImagePullBackOff");
  EXPECT_EQ(backoff.message,
            "Back-off pulling image \"registry.test/missing:v1\": ErrImagePull: " + not_found);
  EXPECT_EQ(node.LastEvent().message, "Back-off pulling image \"registry.test/missing:v1\"");
  EXPECT_FALSE(backoff.pull_requested);
  // Another pod is not in back-off.
  EXPECT_EQ(
      node.Ensure(node.Request("registry.test/missing:v1", PullPolicy::kAlways, "uid2")).error,
      "ErrImagePull");
  // After the back-off the pull is retried.
  node.clock_.Advance(seconds(10));
  EXPECT_EQ(node.Ensure(node.Request("registry.test/missing:v1", PullPolicy::kAlways)).error,
            "ErrImagePull");
}

TEST(ImageManager, KUB_07_OldReleasesOmitThePreviousFailure) {
  testing::CoversRule("KUB-07");
  KubeletSettings settings;
  settings.version = {1, 31};
  settings.ensure_secret_pulled_images = false;
  Node node(settings);
  ASSERT_FALSE(node.Ensure(node.Request("registry.test/missing:v1", PullPolicy::kAlways)).ok());
  EXPECT_EQ(node.Ensure(node.Request("registry.test/missing:v1", PullPolicy::kAlways)).message,
            "Back-off pulling image \"registry.test/missing:v1\"");
}

TEST(ImageManager, KUB_06_RegistryUnavailableIsClassified) {
  testing::CoversRule("KUB-06");
  Node node;
  node.runtime_.FailPulls(
      "registry.test/app:v1",
      "rpc error: code = Unknown desc = RegistryUnavailable: dial tcp: i/o timeout");
  EnsureImageResult result = node.Ensure(node.Request("registry.test/app:v1", PullPolicy::kAlways));
  EXPECT_EQ(result.error, "RegistryUnavailable");
  EXPECT_EQ(result.message,
            "image pull failed for registry.test/app:v1 because the registry is unavailable: "
            "dial tcp: i/o timeout");
}

TEST(ImageManager, CRED_13_OneAttemptPerCredentialFirstSuccessWins) {
  testing::CoversRules({"CRED-13", "KEP2535-05"});
  Node node;
  std::vector<PullCredential> credentials{TenantSecret("default", "nobody", "h0"),
                                          TenantSecret("team", "tenant-a", "h1"),
                                          TenantSecret("other", "tenant-a", "h2")};
  EnsureImageResult result = node.Ensure(
      node.Request("registry.test/private:v1", PullPolicy::kAlways, "uid1", credentials));
  ASSERT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(result.runtime_pulls,
            (std::vector<std::string>{"secret default/regcred", "secret team/regcred"}));
  ASSERT_TRUE(result.credential_used);
  EXPECT_EQ(result.credential_used->credential_hash, "h1");
  // The duration covers both attempts.
  EXPECT_EQ(result.timing->finished - result.timing->started, seconds(2));
  Result<std::optional<ImagePulledRecord>> record = node.pull_manager_.GetPulledRecord(Hex('b'));
  ASSERT_TRUE(record && record->has_value());
  EXPECT_EQ((*record)->credential_mapping.at("registry.test/private").kubernetes_secrets,
            (std::vector<ImagePullSecret>{{"uid-team", "team", "regcred", "h1"}}));
}

TEST(ImageManager, CRED_13_AllFailedAggregatesWithoutAnonymousRetry) {
  testing::CoversRule("CRED-13");
  Node node;
  std::vector<PullCredential> credentials{TenantSecret("a", "x", "h"), TenantSecret("b", "y", "h")};
  EnsureImageResult result = node.Ensure(
      node.Request("registry.test/private:v1", PullPolicy::kAlways, "uid1", credentials));
  EXPECT_EQ(result.error, "ErrImagePull");
  EXPECT_EQ(result.runtime_pulls.size(), 2u);
  // Two identical texts collapse into one, shown bare.
  EXPECT_TRUE(result.message.starts_with("failed to pull and unpack image")) << result.message;
}

TEST(ImageManager, KEP2535_04_TenantIsolation) {
  testing::CoversRules({"KEP2535-03", "KEP2535-04", "KUB-02"});
  Node node;
  std::vector<PullCredential> tenant_a{TenantSecret("team-a", "tenant-a", "ha")};
  ASSERT_TRUE(node.Ensure(node.Request("registry.test/private:v1", PullPolicy::kIfNotPresent,
                                       "pod-a", tenant_a))
                  .ok());
  // Tenant A again: verified from the record, no pull.
  EnsureImageResult again = node.Ensure(
      node.Request("registry.test/private:v1", PullPolicy::kIfNotPresent, "pod-a2", tenant_a));
  EXPECT_FALSE(again.pull_requested);
  EXPECT_EQ(again.message,
            "Container image \"registry.test/private:v1\" already present on "
            "machine and can be accessed by the pod");
  // Tenant B without credentials must pull and is refused by the registry.
  EnsureImageResult b =
      node.Ensure(node.Request("registry.test/private:v1", PullPolicy::kIfNotPresent, "pod-b"));
  EXPECT_TRUE(b.pull_requested);
  EXPECT_EQ(b.error, "ErrImagePull");
  // With Never, B is told the image is absent.
  EnsureImageResult never =
      node.Ensure(node.Request("registry.test/private:v1", PullPolicy::kNever, "pod-b2"));
  EXPECT_EQ(never.error, "ErrImageNeverPull");
}

TEST(ImageManager, KEP2535_04_GateOffLetsAnyPodUseACachedPrivateImage) {
  testing::CoversRules({"KEP2535-01", "KUB-02"});
  KubeletSettings settings;
  settings.ensure_secret_pulled_images = false;
  Node node(settings);
  std::vector<PullCredential> tenant_a{TenantSecret("team-a", "tenant-a", "ha")};
  ASSERT_TRUE(node.Ensure(node.Request("registry.test/private:v1", PullPolicy::kIfNotPresent,
                                       "pod-a", tenant_a))
                  .ok());
  EnsureImageResult b =
      node.Ensure(node.Request("registry.test/private:v1", PullPolicy::kIfNotPresent, "pod-b"));
  EXPECT_TRUE(b.ok());
  EXPECT_FALSE(b.pull_requested);
  EXPECT_TRUE(node.fs_.files().empty());  // no records without the gate
}

TEST(ImageManager, KUB_14_CredentialLookupFailureStopsBeforeThePull) {
  testing::CoversRule("KUB-14");
  Node node;
  ContainerImageRequest request = node.Request("registry.test/app:v1", PullPolicy::kAlways);
  request.lookup_credentials = [] {
    return Result<std::vector<PullCredential>>(
        Fail(ErrorCode::kInvalidArgument,
             "invalid character 'n' looking for beginning of object key string"));
  };
  EnsureImageResult result = node.Ensure(request);
  EXPECT_EQ(result.error, "invalid character 'n' looking for beginning of object key string");
  EXPECT_EQ(result.message, result.error);
  EXPECT_TRUE(node.events_.events().empty());
  EXPECT_TRUE(node.runtime_.pull_calls().empty());
}

TEST(ImageManager, KUB_14_BeforeV133TheLookupFailureIsAFailedPull) {
  testing::CoversRule("KUB-14");
  KubeletSettings settings;
  settings.version = {1, 32};
  settings.ensure_secret_pulled_images = false;
  Node node(settings);
  ContainerImageRequest request = node.Request("registry.test/app:v1", PullPolicy::kAlways);
  request.lookup_credentials = [] {
    return Result<std::vector<PullCredential>>(Fail(ErrorCode::kInvalidArgument, "bad secret"));
  };
  EnsureImageResult result = node.Ensure(request);
  EXPECT_EQ(result.error, "ErrImagePull");
  EXPECT_EQ(result.message, "bad secret");
  EXPECT_EQ(node.Reasons(), (std::vector<std::string>{"Pulling", "Failed"}));
}

TEST(ImageManager, KUB_09_QpsExceededIsAFailedPull) {
  testing::CoversRules({"KUB-09", "KUB-08"});
  KubeletSettings settings;
  settings.registry_pull_qps = 1;
  settings.registry_burst = 1;
  settings.serialize_image_pulls = false;
  Node node(settings, {milliseconds(0), 1e12});
  EXPECT_TRUE(node.Ensure(node.Request("registry.test/app:v1", PullPolicy::kAlways, "p1")).ok());
  EnsureImageResult refused =
      node.Ensure(node.Request("registry.test/app:v1", PullPolicy::kAlways, "p2"));
  EXPECT_EQ(refused.error, "ErrImagePull");
  EXPECT_EQ(refused.message, "pull QPS exceeded");
  EXPECT_TRUE(refused.runtime_pulls.empty());
  EXPECT_EQ(node.manager_.backoff().Get("p2_registry.test/app:v1"), seconds(10));
  node.clock_.Advance(seconds(1));
  EXPECT_TRUE(node.Ensure(node.Request("registry.test/app:v1", PullPolicy::kAlways, "p3")).ok());
}

// Three pods ask at once; each pull takes 1 s.
std::vector<Timestamp> FinishTimes(KubeletSettings settings) {
  Node node(settings, {seconds(1), 1e12});
  std::vector<ImageManager::Ticket> tickets;
  for (const char* uid : {"p1", "p2", "p3"}) {
    tickets.push_back(
        node.manager_.Start(node.Request("registry.test/app:v1", PullPolicy::kAlways, uid)));
  }
  while (std::optional<Timestamp> wake = node.manager_.NextWakeUp()) {
    node.clock_.AdvanceTo(*wake);
    node.manager_.RunDue();
  }
  std::vector<Timestamp> finished;
  for (ImageManager::Ticket ticket : tickets) {
    const EnsureImageResult& result = node.manager_.Outcome(ticket);
    EXPECT_TRUE(result.ok()) << result.message;
    finished.push_back(result.timing->finished);
  }
  return finished;
}

TEST(ImageManager, KUB_10_SerialParallelAndLimitedPulls) {
  testing::CoversRule("KUB-10");
  const Timestamp t0 = VirtualClock::kDefaultStart;
  KubeletSettings serial;
  EXPECT_EQ(FinishTimes(serial),
            (std::vector<Timestamp>{t0 + seconds(1), t0 + seconds(2), t0 + seconds(3)}));
  KubeletSettings parallel;
  parallel.serialize_image_pulls = false;
  EXPECT_EQ(FinishTimes(parallel),
            (std::vector<Timestamp>{t0 + seconds(1), t0 + seconds(1), t0 + seconds(1)}));
  KubeletSettings two = parallel;
  two.max_parallel_image_pulls = 2;
  EXPECT_EQ(FinishTimes(two),
            (std::vector<Timestamp>{t0 + seconds(1), t0 + seconds(1), t0 + seconds(2)}));
}

TEST(ImageManager, KUB_10_SuccessMessageCountsTheWait) {
  testing::CoversRules({"KUB-10", "KUB-03"});
  Node node(KubeletSettings{}, {milliseconds(1500), 1e12});
  ImageManager::Ticket first =
      node.manager_.Start(node.Request("registry.test/app:v1", PullPolicy::kAlways, "p1"));
  ImageManager::Ticket second =
      node.manager_.Start(node.Request("registry.test/app:v1", PullPolicy::kAlways, "p2"));
  while (std::optional<Timestamp> wake = node.manager_.NextWakeUp()) {
    node.clock_.AdvanceTo(*wake);
    node.manager_.RunDue();
  }
  EXPECT_TRUE(node.manager_.Outcome(first).ok());
  EXPECT_EQ(node.manager_.Outcome(second).timing->started,
            VirtualClock::kDefaultStart + milliseconds(1500));
  EXPECT_EQ(node.LastEvent().message,
            "Successfully pulled image \"registry.test/app:v1\" in 1.5s (3s including waiting). "
            "Image size: 310 bytes.");
}

TEST(ImageManager, KUB_01_IntentRecordFailureStopsThePull) {
  testing::CoversRules({"KUB-01", "KEP2535-06"});
  Node node;
  node.fs_.FailWrites("/var/lib/kubelet/image_manager/pulling", "read-only file system");
  EnsureImageResult result = node.Ensure(node.Request("registry.test/app:v1", PullPolicy::kAlways));
  EXPECT_TRUE(result.error.starts_with("failed to record image pull intent: ")) << result.error;
  EXPECT_TRUE(result.message.starts_with(
      "Failed to record image pull intent for container image \"registry.test/app:v1\": "))
      << result.message;
  EXPECT_FALSE(result.pull_requested);
}

TEST(ImageManager, CRED_14_MissingPullSecretsWarnOnThePod) {
  testing::CoversRule("CRED-14");
  EventRecorder events;
  ObjectReference pod{"Pod", "default", "web", "uid1", ""};
  RecordMissingPullSecrets(
      "Unable to retrieve some image pull secrets (a); attempting to pull the "
      "image may not succeed.",
      pod, events, VirtualClock::kDefaultStart);
  ASSERT_EQ(events.events().size(), 1u);
  EXPECT_EQ(events.events()[0].reason, "FailedToRetrieveImagePullSecret");
  EXPECT_EQ(events.events()[0].type, "Warning");
  EXPECT_EQ(events.events()[0].object, pod);
  RecordMissingPullSecrets(std::nullopt, pod, events, VirtualClock::kDefaultStart);
  EXPECT_EQ(events.events().size(), 1u);
}

}  // namespace
}  // namespace pullsim::node
