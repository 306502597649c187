// KEP2535-01..08: every vector of fixtures/vectors/kep2535.yaml against the node module: the
// verification policies, MustAttemptImagePull over records kept on a simulated node file system,
// record merging, file names, restart initialisation, allowlist patterns and the kubelet
// configuration rules. Vectors are loaded at run time and dispatched on their `kind`; each test
// records the rule ids its vector names. A key this file does not understand fails the vector.
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "sim/node/kubelet_config.h"
#include "sim/node/kubelet_constants.h"
#include "sim/node/pull_manager.h"
#include "sim/node/pull_records.h"
#include "sim/node/record_files.h"
#include "sim/node/verification_policy.h"
#include "sim/testing/covers_rule.h"
#include "sim/testing/vector_file.h"

namespace pullsim::node {
namespace {

constexpr std::string_view kVectorFile = "fixtures/vectors/kep2535.yaml";
// The shared file's header: "subset: shared (66 of 92 vectors in this family)".
constexpr std::size_t kSharedVectorCount = 66;
constexpr std::string_view kRoot = "/var/lib/kubelet";

using testing::Vector;

const testing::VectorFile& Vectors() { return testing::LoadVectorFile(kVectorFile); }

// ---- YAML → values ----

std::string Text(const YAML::Node& node) {
  return node && !node.IsNull() ? node.as<std::string>() : std::string();
}

std::vector<std::string> Strings(const YAML::Node& node) {
  std::vector<std::string> values;
  if (node && node.IsSequence()) {
    for (const YAML::Node& item : node) values.push_back(item.as<std::string>());
  }
  return values;
}

// Fails the test for a map key outside `known`, so a vector never passes unread.
void ExpectOnlyKeys(const YAML::Node& map, std::initializer_list<std::string_view> known,
                    std::string_view what) {
  if (!map || !map.IsMap()) return;
  for (const auto& item : map) {
    const std::string key = item.first.as<std::string>();
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      ADD_FAILURE() << what << " key " << key << " is not understood by this test";
    }
  }
}

ImagePullCredentials CredentialsFrom(const YAML::Node& node) {
  ExpectOnlyKeys(node, {"kubernetesSecrets", "kubernetesServiceAccounts", "nodePodsAccessible"},
                 "credentials");
  ImagePullCredentials creds;
  creds.node_pods_accessible = node["nodePodsAccessible"].as<bool>(false);
  for (const YAML::Node& s : node["kubernetesSecrets"]) {
    creds.kubernetes_secrets.push_back(
        {Text(s["uid"]), Text(s["namespace"]), Text(s["name"]), Text(s["credentialHash"])});
  }
  for (const YAML::Node& a : node["kubernetesServiceAccounts"]) {
    creds.kubernetes_service_accounts.push_back(
        {Text(a["uid"]), Text(a["namespace"]), Text(a["name"])});
  }
  return creds;
}

ImagePulledRecord RecordFrom(const YAML::Node& node, Timestamp time) {
  ExpectOnlyKeys(node, {"imageRef", "credentialMapping", "lastUpdatedTime"}, "record");
  ImagePulledRecord record;
  record.last_updated_time = time;
  record.image_ref = Text(node["imageRef"]);
  for (const auto& item : node["credentialMapping"]) {
    record.credential_mapping[item.first.as<std::string>()] = CredentialsFrom(item.second);
  }
  return record;
}

// Records compared without their time.
void ExpectSameRecord(ImagePulledRecord got, ImagePulledRecord want) {
  got.last_updated_time = want.last_updated_time = {};
  EXPECT_EQ(got.image_ref, want.image_ref);
  EXPECT_EQ(got.credential_mapping, want.credential_mapping);
}

VerificationPolicy PolicyFrom(const YAML::Node& node) {
  std::optional<VerificationPolicy> policy = ParseVerificationPolicy(Text(node));
  EXPECT_TRUE(policy.has_value()) << "unknown policy " << Text(node);
  return policy.value_or(VerificationPolicy::kNeverVerifyPreloadedImages);
}

KubeletVersion VersionFrom(const YAML::Node& input) {
  if (!input["kubelet_version"]) return kBaselineKubeletVersion;
  Result<KubeletVersion> version = KubeletVersion::Parse(Text(input["kubelet_version"]));
  EXPECT_TRUE(version) << version.error().message;
  return version.value_or(kBaselineKubeletVersion);
}

// "testimageref (docker.io/testing/test -> secret default/pull-secret)"
struct RecordDescription {
  std::string image_ref;
  std::string repository;
  ImagePullCredentials creds;
};
std::optional<RecordDescription> ParseRecordDescription(const std::string& text) {
  static const std::regex kForm(R"(^(\S+) \((\S+) -> (.+)\)$)");
  std::smatch match;
  if (!std::regex_match(text, match, kForm)) return std::nullopt;
  RecordDescription description{match[1], match[2], {}};
  const std::string source = match[3];
  std::smatch coords;
  if (source == "nodePodsAccessible" || source == "node") {
    description.creds.node_pods_accessible = true;
  } else if (std::regex_match(source, coords, std::regex(R"(^secret (\S+)/(\S+)$)"))) {
    description.creds.kubernetes_secrets.push_back({"", coords[1], coords[2], ""});
  } else if (std::regex_match(source, coords, std::regex(R"(^service ?account (\S+)/(\S+)$)"))) {
    description.creds.kubernetes_service_accounts.push_back({"", coords[1], coords[2]});
  } else {
    return std::nullopt;
  }
  return description;
}

// ---- The kinds ----

class Kep2535VectorTest : public ::testing::TestWithParam<Vector> {
 protected:
  void SetUp() override { testing::CoversRules(GetParam().rules); }
  const YAML::Node& input() const { return GetParam().input; }
  const YAML::Node& expected() const { return GetParam().expected; }

  PullManager MakeManager(VerificationPolicy policy, const std::vector<std::string>& allowlist = {},
                          KubeletVersion version = kBaselineKubeletVersion) {
    Result<CredentialVerificationPolicy> made =
        CredentialVerificationPolicy::Create(policy, allowlist, version);
    EXPECT_TRUE(made) << made.error().message;
    return PullManager(fs_, std::string(kRoot),
                       made ? *made : *CredentialVerificationPolicy::Create(policy), clock_,
                       version);
  }
  void WriteRecord(const ImagePulledRecord& record) {
    ASSERT_TRUE(fs_.WriteAtomic(JoinPath(PulledDirectory(kRoot), CacheFileName(record.image_ref)),
                                EncodePulledRecord(record, kKubeletConfigV1beta1)));
  }

  void PolicyEnforcer();
  void MustAttempt();
  void RecordPulled();
  void MergeCredentials();
  void CredentialsToRecordKind();
  void RecordFileName();
  void InitializeAfterRestart();
  void AllowlistPatternValidation();
  void AllowlistMatch();
  void ConfigValidation();
  void ConfigDefault();

  VirtualClock clock_;
  NodeFileSystem fs_;
};

// KEP2535-03.
void Kep2535VectorTest::PolicyEnforcer() {
  ExpectOnlyKeys(input(),
                 {"policy", "image_pulled_by_kubelet", "image_matches_allowlist", "image",
                  "allowlist", "kubelet_version"},
                 "input");
  ExpectOnlyKeys(expected(), {"requires_credential_verification"}, "expected");
  const VerificationPolicy policy = PolicyFrom(input()["policy"]);
  // Without an explicit image and allowlist, one allowlisted registry and an image on it or not.
  std::vector<std::string> allowlist = Strings(input()["allowlist"]);
  std::string image = Text(input()["image"]);
  if (image.empty()) {
    allowlist = {"allowed.test/*"};
    image = input()["image_matches_allowlist"].as<bool>(false) ? "allowed.test/team/app:1"
                                                               : "other.test/team/app:1";
  }
  Result<CredentialVerificationPolicy> enforcer =
      CredentialVerificationPolicy::Create(policy, allowlist, VersionFrom(input()));
  ASSERT_TRUE(enforcer) << enforcer.error().message;
  if (input()["image_matches_allowlist"] &&
      policy == VerificationPolicy::kNeverVerifyAllowlistedImages) {
    ASSERT_EQ(enforcer->MatchesAllowlist(image), input()["image_matches_allowlist"].as<bool>());
  }
  EXPECT_EQ(enforcer->RequiresCredentialVerification(
                image, input()["image_pulled_by_kubelet"].as<bool>(false)),
            expected()["requires_credential_verification"].as<bool>());
}

// KEP2535-04.
void Kep2535VectorTest::MustAttempt() {
  ExpectOnlyKeys(input(),
                 {"policy", "image", "imageRef", "pod_secret_credentials",
                  "pod_service_account_credential", "pulled_record", "pulled_record_file",
                  "pull_intent_file", "allowlist", "kubelet_version", "intents_in_flight"},
                 "input");
  ExpectOnlyKeys(expected(), {"must_attempt_pull", "error", "record_after"}, "expected");
  const std::string image = Text(input()["image"]);
  const std::string image_ref = Text(input()["imageRef"]);
  PullManager manager = MakeManager(PolicyFrom(input()["policy"]), Strings(input()["allowlist"]),
                                    VersionFrom(input()));
  if (input()["pulled_record"] && !input()["pulled_record"].IsNull()) {
    const ImagePulledRecord record = RecordFrom(input()["pulled_record"], clock_.Now());
    WriteRecord(record);
    if (input()["pulled_record_file"]) {
      EXPECT_EQ(manager.RecordPath(record.image_ref),
                JoinPath(JoinPath(kRoot, kImageManagerDir), Text(input()["pulled_record_file"])));
    }
  }
  if (const YAML::Node intent = input()["pull_intent_file"]; intent && !intent.IsNull()) {
    const std::string path = JoinPath(JoinPath(kRoot, kImageManagerDir), Text(intent["path"]));
    EXPECT_EQ(manager.IntentPath(Text(intent["image"])), path);
    ASSERT_TRUE(
        fs_.WriteAtomic(path, EncodePullIntent({Text(intent["image"])}, kKubeletConfigV1beta1)));
  }
  for (int i = 0; i < input()["intents_in_flight"].as<int>(0); ++i) {
    ASSERT_TRUE(manager.RecordPullIntent(image));
  }
  PodCredentials pod;
  for (const YAML::Node& s : input()["pod_secret_credentials"]) {
    pod.secrets.push_back(
        {{Text(s["uid"]), Text(s["namespace"]), Text(s["name"])}, Text(s["credentialHash"])});
  }
  if (const YAML::Node sa = input()["pod_service_account_credential"]; sa && !sa.IsNull()) {
    pod.service_account =
        ServiceAccountCoordinates{Text(sa["uid"]), Text(sa["namespace"]), Text(sa["name"])};
  }
  Result<bool> must =
      manager.MustAttemptImagePull(image, image_ref, [&] { return Result<PodCredentials>(pod); });
  if (expected()["error"]) {
    ASSERT_FALSE(must);
    EXPECT_EQ(must.error().message, Text(expected()["error"]));
    return;
  }
  ASSERT_TRUE(must) << must.error().message;
  EXPECT_EQ(*must, expected()["must_attempt_pull"].as<bool>());
  if (expected()["record_after"]) {
    Result<std::optional<ImagePulledRecord>> after = manager.GetPulledRecord(image_ref);
    ASSERT_TRUE(after && after->has_value());
    ExpectSameRecord(**after, RecordFrom(expected()["record_after"], {}));
  }
}

// KEP2535-05/06: RecordPullIntent, then RecordImagePulled.
void Kep2535VectorTest::RecordPulled() {
  ExpectOnlyKeys(input(), {"image", "imageRef", "credentials", "existing_record"}, "input");
  ExpectOnlyKeys(expected(),
                 {"record", "record_rewritten", "record_file",
                  "intent_file_removed_when_counter_reaches_zero"},
                 "expected");
  const std::string image = Text(input()["image"]);
  const std::string image_ref = Text(input()["imageRef"]);
  PullManager manager = MakeManager(VerificationPolicy::kNeverVerifyPreloadedImages);
  if (input()["existing_record"] && !input()["existing_record"].IsNull()) {
    WriteRecord(RecordFrom(input()["existing_record"], clock_.Now()));
  }
  clock_.Advance(std::chrono::hours(1));  // a rewrite shows in lastUpdatedTime
  const std::string image_manager_dir = JoinPath(kRoot, kImageManagerDir);
  ASSERT_TRUE(manager.RecordPullIntent(image));
  if (expected()["intent_file_removed_when_counter_reaches_zero"]) {
    const std::string intent_path = JoinPath(
        image_manager_dir, Text(expected()["intent_file_removed_when_counter_reaches_zero"]));
    EXPECT_EQ(manager.IntentPath(image), intent_path);
    EXPECT_TRUE(fs_.Exists(intent_path));
  }
  const std::string record_path = manager.RecordPath(image_ref);
  if (expected()["record_file"]) {
    EXPECT_EQ(record_path, JoinPath(image_manager_dir, Text(expected()["record_file"])));
  }
  const Result<std::string> before = fs_.Read(record_path);
  std::optional<ImagePullCredentials> creds;
  if (input()["credentials"] && !input()["credentials"].IsNull()) {
    creds = CredentialsFrom(input()["credentials"]);
  }
  manager.RecordImagePulled(image, image_ref, creds ? &*creds : nullptr);
  EXPECT_FALSE(fs_.Exists(manager.IntentPath(image)));
  const Result<std::string> after = fs_.Read(record_path);
  ASSERT_TRUE(after) << after.error().message;
  if (expected()["record_rewritten"]) {
    EXPECT_EQ(!before || *before != *after, expected()["record_rewritten"].as<bool>());
  }
  Result<ImagePulledRecord> record = DecodePulledRecord(*after);
  ASSERT_TRUE(record) << record.error().message;
  ExpectSameRecord(*record, RecordFrom(expected()["record"], {}));
}

// KEP2535-05: pulledRecordMergeNewCreds for one repository.
void Kep2535VectorTest::MergeCredentials() {
  ExpectOnlyKeys(input(), {"existing_for_repo", "new_credentials"}, "input");
  ExpectOnlyKeys(expected(), {"merged", "changed"}, "expected");
  ImagePulledRecord record;
  record.image_ref = "ref";
  if (input()["existing_for_repo"] && !input()["existing_for_repo"].IsNull()) {
    record.credential_mapping["repo"] = CredentialsFrom(input()["existing_for_repo"]);
  }
  std::optional<ImagePullCredentials> incoming;
  if (input()["new_credentials"] && !input()["new_credentials"].IsNull()) {
    incoming = CredentialsFrom(input()["new_credentials"]);
  }
  MergedRecord merged = MergeNewCredentials(record, "repo", incoming ? &*incoming : nullptr,
                                            clock_.Now() + std::chrono::seconds(1));
  EXPECT_EQ(merged.changed, expected()["changed"].as<bool>());
  EXPECT_EQ(merged.record.credential_mapping["repo"], CredentialsFrom(expected()["merged"]));
  EXPECT_EQ(merged.record.last_updated_time != record.last_updated_time, merged.changed);
}

// KEP2535-05: trackedToImagePullCreds.
void Kep2535VectorTest::CredentialsToRecordKind() {
  ExpectOnlyKeys(input(), {"credential_used_for_successful_pull"}, "input");
  ExpectOnlyKeys(expected(), {"recorded"}, "expected");
  const YAML::Node used = input()["credential_used_for_successful_pull"];
  std::optional<PullCredential> credential;
  if (used && !used.IsNull()) {
    ExpectOnlyKeys(used, {"source", "authConfigHash"}, "credential");
    credential.emplace();
    credential->credential_hash = Text(used["authConfigHash"]);
    const YAML::Node source = used["source"];
    ExpectOnlyKeys(source, {"secret", "serviceAccount"}, "source");
    if (const YAML::Node s = source["secret"]) {
      credential->secret = SecretCoordinates{Text(s["uid"]), Text(s["namespace"]), Text(s["name"])};
    }
    if (const YAML::Node a = source["serviceAccount"]) {
      credential->service_account =
          ServiceAccountCoordinates{Text(a["uid"]), Text(a["namespace"]), Text(a["name"])};
    }
  }
  EXPECT_EQ(CredentialsToRecord(credential ? &*credential : nullptr),
            CredentialsFrom(expected()["recorded"]));
}

// KEP2535-06.
void Kep2535VectorTest::RecordFileName() {
  ExpectOnlyKeys(input(), {"directory", "key"}, "input");
  ExpectOnlyKeys(expected(), {"path"}, "expected");
  const std::string directory = Text(input()["directory"]);
  ASSERT_TRUE(directory == kPullingDir || directory == kPulledDir) << directory;
  const std::string dir =
      directory == kPullingDir ? PullingDirectory("<root-dir>") : PulledDirectory("<root-dir>");
  EXPECT_EQ(JoinPath(dir, CacheFileName(Text(input()["key"]))), Text(expected()["path"]));
}

// KEP2535-07.
void Kep2535VectorTest::InitializeAfterRestart() {
  ExpectOnlyKeys(input(), {"runtime_images", "existing_intents", "existing_pulled_records"},
                 "input");
  ExpectOnlyKeys(expected(),
                 {"new_pulled_record_files", "new_records_have_credentials", "intent_files_left"},
                 "expected");
  std::vector<RuntimeImage> images;
  for (const YAML::Node& image : input()["runtime_images"]) {
    images.push_back(
        {Text(image["id"]), Strings(image["repoTags"]), Strings(image["repoDigests"]), 0});
  }
  {
    // The kubelet that ran before: records and intents it left behind.
    PullManager before = MakeManager(VerificationPolicy::kNeverVerifyPreloadedImages);
    for (const std::string& text : Strings(input()["existing_pulled_records"])) {
      std::optional<RecordDescription> description = ParseRecordDescription(text);
      ASSERT_TRUE(description) << "cannot read existing_pulled_records entry \"" << text << "\"";
      before.RecordImagePulled(description->repository + ":x", description->image_ref,
                               &description->creds);
    }
    for (const std::string& image : Strings(input()["existing_intents"])) {
      ASSERT_TRUE(before.RecordPullIntent(image));
    }
  }
  const std::vector<std::string> records_before = fs_.List(PulledDirectory(kRoot));
  PullManager after = MakeManager(VerificationPolicy::kNeverVerifyPreloadedImages);
  after.Initialize(images);

  std::vector<std::string> new_files;
  for (const std::string& name : fs_.List(PulledDirectory(kRoot))) {
    if (std::find(records_before.begin(), records_before.end(), name) == records_before.end()) {
      new_files.push_back(name);
    }
  }
  std::vector<std::string> want_files = Strings(expected()["new_pulled_record_files"]);
  std::sort(want_files.begin(), want_files.end());
  EXPECT_EQ(new_files, want_files);
  if (expected()["new_records_have_credentials"]) {
    for (const std::string& name : new_files) {
      Result<ImagePulledRecord> record =
          DecodePulledRecord(*fs_.Read(JoinPath(PulledDirectory(kRoot), name)));
      ASSERT_TRUE(record) << record.error().message;
      const bool has_credentials =
          std::any_of(record->credential_mapping.begin(), record->credential_mapping.end(),
                      [](const auto& entry) { return !entry.second.empty(); });
      EXPECT_EQ(has_credentials, expected()["new_records_have_credentials"].as<bool>()) << name;
    }
  }
  std::vector<std::string> intents_left;
  for (const std::string& name : fs_.List(PullingDirectory(kRoot))) {
    intents_left.push_back(JoinPath(kPullingDir, name));
  }
  std::vector<std::string> want_intents = Strings(expected()["intent_files_left"]);
  std::sort(want_intents.begin(), want_intents.end());
  EXPECT_EQ(intents_left, want_intents);
}

// KEP2535-08.
void Kep2535VectorTest::AllowlistPatternValidation() {
  ExpectOnlyKeys(input(), {"pattern", "kubelet_version"}, "input");
  ExpectOnlyKeys(expected(), {"kind", "stored_as", "error"}, "expected");
  Result<AllowlistPattern> pattern = ParseAllowlistPattern(Text(input()["pattern"]));
  if (expected()["error"]) {
    ASSERT_FALSE(pattern) << "accepted as " << pattern->value;
    EXPECT_EQ(pattern.error().message, Text(expected()["error"]));
    return;
  }
  ASSERT_TRUE(pattern) << pattern.error().message;
  EXPECT_EQ(pattern->is_prefix ? "prefix" : "exact", Text(expected()["kind"]));
  EXPECT_EQ(pattern->value, Text(expected()["stored_as"]));
}

// KEP2535-08.
void Kep2535VectorTest::AllowlistMatch() {
  ExpectOnlyKeys(input(), {"allowlist", "container_image", "kubelet_version"}, "input");
  ExpectOnlyKeys(expected(), {"matches", "requires_credential_verification"}, "expected");
  Result<CredentialVerificationPolicy> policy =
      CredentialVerificationPolicy::Create(VerificationPolicy::kNeverVerifyAllowlistedImages,
                                           Strings(input()["allowlist"]), VersionFrom(input()));
  ASSERT_TRUE(policy) << policy.error().message;
  const std::string image = Text(input()["container_image"]);
  EXPECT_EQ(policy->MatchesAllowlist(image), expected()["matches"].as<bool>());
  if (expected()["requires_credential_verification"]) {
    for (bool pulled : {false, true}) {
      EXPECT_EQ(policy->RequiresCredentialVerification(image, pulled),
                expected()["requires_credential_verification"].as<bool>());
    }
  }
}

KubeletConfig ConfigFrom(const YAML::Node& input) {
  ExpectOnlyKeys(input,
                 {"gate", "imagePullCredentialsVerificationPolicy",
                  "preloadedImagesVerificationAllowlist", "registryPullQPS", "registryBurst",
                  "serializeImagePulls", "maxParallelImagePulls", "kubelet_version"},
                 "input");
  KubeletConfig config;
  if (input["imagePullCredentialsVerificationPolicy"] &&
      !input["imagePullCredentialsVerificationPolicy"].IsNull()) {
    config.image_pull_credentials_verification_policy =
        Text(input["imagePullCredentialsVerificationPolicy"]);
  }
  config.preloaded_images_verification_allowlist =
      Strings(input["preloadedImagesVerificationAllowlist"]);
  if (input["registryPullQPS"])
    config.registry_pull_qps = input["registryPullQPS"].as<std::int32_t>();
  if (input["registryBurst"]) config.registry_burst = input["registryBurst"].as<std::int32_t>();
  if (input["serializeImagePulls"])
    config.serialize_image_pulls = input["serializeImagePulls"].as<bool>();
  if (input["maxParallelImagePulls"]) {
    config.max_parallel_image_pulls = input["maxParallelImagePulls"].as<std::int32_t>();
  }
  return config;
}

// KEP2535-02: defaulting, then validation, as the kubelet does at start.
void Kep2535VectorTest::ConfigValidation() {
  ExpectOnlyKeys(expected(), {"errors"}, "expected");
  KubeletConfig config = ConfigFrom(input());
  const bool gate = input()["gate"].as<bool>();
  ApplyKubeletConfigDefaults(config, gate);
  EXPECT_EQ(ValidateKubeletConfig(config, gate), Strings(expected()["errors"]));
}

// KEP2535-02.
void Kep2535VectorTest::ConfigDefault() {
  ExpectOnlyKeys(expected(), {"imagePullCredentialsVerificationPolicy"}, "expected");
  KubeletConfig config = ConfigFrom(input());
  ApplyKubeletConfigDefaults(config, input()["gate"].as<bool>());
  EXPECT_EQ(config.image_pull_credentials_verification_policy.value_or(""),
            Text(expected()["imagePullCredentialsVerificationPolicy"]));
}

TEST(Kep2535Vectors, KEP2535_01_FileLoadsEveryVector) {
  testing::CoversRules({"KEP2535-01", "KEP2535-02", "KEP2535-03", "KEP2535-04", "KEP2535-05",
                        "KEP2535-06", "KEP2535-07", "KEP2535-08"});
  testing::ExpectEveryVectorLoaded(Vectors(), kSharedVectorCount);
}

TEST_P(Kep2535VectorTest, KEP2535_Vector) {
  const std::string& kind = GetParam().kind;
  SCOPED_TRACE(GetParam().id + " (" + kind + ")");
  if (kind == "policy_enforcer") return PolicyEnforcer();
  if (kind == "must_attempt_image_pull") return MustAttempt();
  if (kind == "record_image_pulled") return RecordPulled();
  if (kind == "merge_credentials") return MergeCredentials();
  if (kind == "credentials_to_record") return CredentialsToRecordKind();
  if (kind == "record_file_name") return RecordFileName();
  if (kind == "initialize_after_restart") return InitializeAfterRestart();
  if (kind == "allowlist_pattern_validation") return AllowlistPatternValidation();
  if (kind == "allowlist_match") return AllowlistMatch();
  if (kind == "kubelet_config_validation") return ConfigValidation();
  if (kind == "kubelet_config_default") return ConfigDefault();
  FAIL() << "vector kind \"" << kind << "\" is not understood by this test";
}

INSTANTIATE_TEST_SUITE_P(Kep2535Yaml, Kep2535VectorTest, ::testing::ValuesIn(Vectors().vectors),
                         testing::VectorIdName);

}  // namespace
}  // namespace pullsim::node
