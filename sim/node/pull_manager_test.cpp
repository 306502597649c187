#include "sim/node/pull_manager.h"

#include <gtest/gtest.h>

#include "sim/testing/covers_rule.h"

namespace pullsim::node {
namespace {

constexpr std::string_view kRoot = "/var/lib/kubelet";

class PullManagerTest : public ::testing::Test {
 protected:
  PullManager Make(VerificationPolicy policy = VerificationPolicy::kNeverVerifyPreloadedImages) {
    return PullManager(fs_, std::string(kRoot), *CredentialVerificationPolicy::Create(policy),
                       clock_);
  }
  static PullManager::PodCredentialsGetter Presenting(PodCredentials credentials) {
    return [credentials] { return Result<PodCredentials>(credentials); };
  }
  static PodCredentials WithSecret(std::string uid, std::string ns, std::string name,
                                   std::string hash) {
    PodCredentials pod;
    pod.secrets.push_back({{std::move(uid), std::move(ns), std::move(name)}, std::move(hash)});
    return pod;
  }

  NodeFileSystem fs_;
  VirtualClock clock_;
};

TEST_F(PullManagerTest, KEP2535_06_IntentFileLivesWhileAPullIsInFlight) {
  testing::CoversRule("KEP2535-06");
  PullManager manager = Make();
  const std::string path = manager.IntentPath("repo.repo/test/test:v1");
  EXPECT_EQ(path,
            "/var/lib/kubelet/image_manager/pulling/"
            "sha256-ee81caca15454863449fb55a1d942904d56d5ed9f9b20a7cb3453944ea2c7e11");
  ASSERT_TRUE(manager.RecordPullIntent("repo.repo/test/test:v1"));
  ASSERT_TRUE(manager.RecordPullIntent("repo.repo/test/test:v1"));
  EXPECT_EQ(manager.intent_count("repo.repo/test/test:v1"), 2);
  ASSERT_NE(fs_.Stat(path), nullptr);
  EXPECT_EQ(fs_.Stat(path)->mode, 0600u);
  EXPECT_EQ(fs_.DirMode("/var/lib/kubelet/image_manager/pulling"), 0700u);
  manager.RecordImagePullFailed("repo.repo/test/test:v1");
  EXPECT_TRUE(fs_.Exists(path));
  ImagePullCredentials node{{}, {}, true};
  manager.RecordImagePulled("repo.repo/test/test:v1", "testimageref", &node);
  EXPECT_FALSE(fs_.Exists(path));
  EXPECT_EQ(manager.intent_count("repo.repo/test/test:v1"), 0);
  Result<std::optional<ImagePulledRecord>> record = manager.GetPulledRecord("testimageref");
  ASSERT_TRUE(record && record->has_value());
  EXPECT_EQ((*record)->credential_mapping.at("repo.repo/test/test"), node);
}

TEST_F(PullManagerTest, KEP2535_06_IntentWriteFailureIsReported) {
  testing::CoversRule("KEP2535-06");
  PullManager manager = Make();
  fs_.FailWrites("/var/lib/kubelet/image_manager/pulling", "read-only file system");
  Result<void> intent = manager.RecordPullIntent("a:1");
  ASSERT_FALSE(intent);
  EXPECT_TRUE(intent.error().message.starts_with("failed to record image pull intent: "))
      << intent.error().message;
  EXPECT_EQ(manager.intent_count("a:1"), 0);
}

TEST_F(PullManagerTest, KEP2535_06_FailedRecordWriteKeepsTheIntent) {
  testing::CoversRule("KEP2535-06");
  PullManager manager = Make();
  ASSERT_TRUE(manager.RecordPullIntent("a:1"));
  fs_.FailWrites("/var/lib/kubelet/image_manager/pulled", "disk full");
  manager.RecordImagePulled("a:1", "ref-a", nullptr);
  EXPECT_TRUE(fs_.Exists(manager.IntentPath("a:1")));
  EXPECT_EQ(manager.intent_count("a:1"), 1);
  EXPECT_FALSE(manager.log().empty());
}

TEST_F(PullManagerTest, KEP2535_04_NoRecordPreloadedImageNeedsNoPull) {
  testing::CoversRule("KEP2535-04");
  PullManager preloaded = Make();
  EXPECT_EQ(preloaded.MustAttemptImagePull("a:1", "ref", Presenting({})), false);
  EXPECT_EQ(preloaded.MustAttemptImagePull("a:1", "", Presenting({})), true);
  PullManager always = Make(VerificationPolicy::kAlwaysVerify);
  EXPECT_EQ(always.MustAttemptImagePull("a:1", "ref", Presenting({})), true);
}

TEST_F(PullManagerTest, KEP2535_04_InFlightIntentCountsAsKubeletPulled) {
  testing::CoversRule("KEP2535-04");
  PullManager manager = Make();
  ASSERT_TRUE(manager.RecordPullIntent("a:1"));
  EXPECT_EQ(manager.MustAttemptImagePull("a:1", "ref", Presenting({})), true);
}

TEST_F(PullManagerTest, KEP2535_04_SecretMatchingAndRotation) {
  testing::CoversRule("KEP2535-04");
  PullManager manager = Make();
  ImagePullCredentials first{{{"u1", "ns", "regcred", "h1"}}, {}, false};
  manager.RecordImagePulled("registry.test/app:1", "ref", &first);

  EXPECT_EQ(manager.MustAttemptImagePull("registry.test/app:1", "ref",
                                         Presenting(WithSecret("u1", "ns", "regcred", "h1"))),
            false);
  // Another tag of the same repository shares the record.
  EXPECT_EQ(manager.MustAttemptImagePull("registry.test/app:2", "ref",
                                         Presenting(WithSecret("u1", "ns", "regcred", "h1"))),
            false);
  // Another namespace with the same credential content: allowed, and remembered.
  EXPECT_EQ(manager.MustAttemptImagePull("registry.test/app:1", "ref",
                                         Presenting(WithSecret("u9", "other", "copy", "h1"))),
            false);
  // The same secret rotated: allowed, and the new hash recorded.
  EXPECT_EQ(manager.MustAttemptImagePull("registry.test/app:1", "ref",
                                         Presenting(WithSecret("u1", "ns", "regcred", "h2"))),
            false);
  Result<std::optional<ImagePulledRecord>> record = manager.GetPulledRecord("ref");
  ASSERT_TRUE(record && record->has_value());
  EXPECT_EQ(
      (*record)->credential_mapping.at("registry.test/app").kubernetes_secrets,
      (std::vector<ImagePullSecret>{{"u1", "ns", "regcred", "h2"}, {"u9", "other", "copy", "h1"}}));
  // A stranger must pull.
  EXPECT_EQ(manager.MustAttemptImagePull("registry.test/app:1", "ref",
                                         Presenting(WithSecret("u5", "evil", "x", "h5"))),
            true);
  EXPECT_EQ(manager.MustAttemptImagePull("registry.test/app:1", "ref", Presenting({})), true);
}

TEST_F(PullManagerTest, KEP2535_04_CredentialLookupErrorIsReturned) {
  testing::CoversRule("KEP2535-04");
  PullManager manager = Make();
  ImagePullCredentials first{{{"u1", "ns", "regcred", "h1"}}, {}, false};
  manager.RecordImagePulled("registry.test/app:1", "ref", &first);
  int calls = 0;
  Result<bool> result = manager.MustAttemptImagePull("registry.test/app:1", "ref", [&] {
    ++calls;
    return Result<PodCredentials>(Fail(ErrorCode::kInvalidArgument, "bad secret"));
  });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "bad secret");
  EXPECT_EQ(calls, 1);
  // A node-accessible record never asks for the pod's credentials.
  ImagePullCredentials node{{}, {}, true};
  manager.RecordImagePulled("other.test/b:1", "ref-b", &node);
  EXPECT_EQ(manager.MustAttemptImagePull("other.test/b:1", "ref-b",
                                         [&] {
                                           ++calls;
                                           return Result<PodCredentials>(PodCredentials{});
                                         }),
            false);
  EXPECT_EQ(calls, 1);
}

TEST_F(PullManagerTest, KEP2535_04_UnreadableRecordFailsSafe) {
  testing::CoversRule("KEP2535-04");
  PullManager manager = Make(VerificationPolicy::kNeverVerify);
  ASSERT_TRUE(fs_.WriteAtomic(manager.RecordPath("ref"), "{garbage"));
  EXPECT_EQ(manager.MustAttemptImagePull("a:1", "ref", Presenting({})), true);
}

TEST_F(PullManagerTest, KEP2535_07_RestartTurnsMatchingIntentsIntoRecords) {
  testing::CoversRule("KEP2535-07");
  {
    PullManager before = Make();
    ASSERT_TRUE(before.RecordPullIntent("docker.io/testing/test:something"));
    ASSERT_TRUE(before.RecordPullIntent("repo.repo/test/test:gone"));
  }  // the kubelet stops with two pulls in flight
  PullManager after = Make();
  const std::vector<RuntimeImage> images{
      {"testimageref1", {"docker.io/testing/test:something"}, {}, 1}};
  after.Initialize(images);
  EXPECT_FALSE(fs_.Exists(after.IntentPath("docker.io/testing/test:something")));
  EXPECT_TRUE(fs_.Exists(after.IntentPath("repo.repo/test/test:gone")));
  EXPECT_TRUE(
      fs_.Exists("/var/lib/kubelet/image_manager/pulled/"
                 "sha256-d77ed7480bc819274ea7a4dba5b2699b2d3f73c6e578762df42e5a8224771096"));
  Result<std::optional<ImagePulledRecord>> record = after.GetPulledRecord("testimageref1");
  ASSERT_TRUE(record && record->has_value());
  EXPECT_TRUE((*record)->credential_mapping.empty());
  // Without credentials the image must be verified.
  EXPECT_EQ(after.MustAttemptImagePull("docker.io/testing/test:something", "testimageref1",
                                       Presenting({})),
            true);
}

TEST_F(PullManagerTest, KEP2535_07_PruneKeepsImagesInUseAndNewRecords) {
  testing::CoversRule("KEP2535-07");
  PullManager manager = Make();
  ImagePullCredentials node{{}, {}, true};
  manager.RecordImagePulled("a:1", "ref-a", &node);
  manager.RecordImagePulled("b:1", "ref-b", &node);
  clock_.Advance(std::chrono::seconds(10));
  const Timestamp gc_start = clock_.Now();
  manager.RecordImagePulled("c:1", "ref-c", &node);  // written as the GC runs
  const std::vector<std::string> in_use{"ref-a"};
  manager.PruneUnknownRecords(in_use, gc_start);
  EXPECT_TRUE(fs_.Exists(manager.RecordPath("ref-a")));
  EXPECT_FALSE(fs_.Exists(manager.RecordPath("ref-b")));
  EXPECT_TRUE(fs_.Exists(manager.RecordPath("ref-c")));
}

// DecideImagePull answers as MustAttemptImagePull does and says which step decided (explain).
TEST_F(PullManagerTest, KEP2535_04_DecisionNamesTheStepThatDecided) {
  testing::CoversRule("KEP2535-04");
  PullManager manager = Make(VerificationPolicy::kAlwaysVerify);
  const ImagePullCredentials tenant_a{{{"uid-a", "tenant-a", "regcred", "hash-a"}}, {}, false};
  manager.RecordImagePulled("registry.test/shop/web:1.0", "ref-web", &tenant_a);

  Result<PullDecision> absent = manager.DecideImagePull("registry.test/shop/web:1.0", "", {});
  ASSERT_TRUE(absent);
  EXPECT_EQ(*absent, (PullDecision{true, "the image is not on the node"}));

  Result<PullDecision> other =
      manager.DecideImagePull("registry.test/shop/web:1.0", "ref-web",
                              Presenting(WithSecret("uid-b", "tenant-b", "regcred", "hash-b")));
  ASSERT_TRUE(other);
  EXPECT_EQ(*other, (PullDecision{true,
                                  "pulled before with secret tenant-a/regcred; this pod offers "
                                  "none matching: it must pull"}));
  EXPECT_EQ(manager.MustAttemptImagePull(
                "registry.test/shop/web:1.0", "ref-web",
                Presenting(WithSecret("uid-b", "tenant-b", "regcred", "hash-b"))),
            Result<bool>(true));

  Result<PullDecision> same =
      manager.DecideImagePull("registry.test/shop/web:1.0", "ref-web",
                              Presenting(WithSecret("uid-a", "tenant-a", "regcred", "hash-a")));
  ASSERT_TRUE(same);
  EXPECT_EQ(*same, (PullDecision{false,
                                 "pulled before with secret tenant-a/regcred, which this pod "
                                 "offers too"}));

  Result<PullDecision> none =
      manager.DecideImagePull("registry.test/shop/web:1.0", "ref-web", Presenting({}));
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->must_pull);
  EXPECT_TRUE(none->reason.ends_with("this pod offers no secret for it: it must pull"))
      << none->reason;
}

}  // namespace
}  // namespace pullsim::node
