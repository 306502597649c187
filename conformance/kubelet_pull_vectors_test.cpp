// KUB-01..14 (with the KEP2535 and CRED rules they touch): every vector of
// fixtures/vectors/kubelet_pull.yaml, run through the node's image manager on a virtual clock.
// The vector's world becomes a runtime that holds the image or not and answers pulls as told,
// pod credentials from sim/credentials (pull secrets, keyring) or from the listed credentials,
// KEP-2535 records that make verification pass or fail, and a kubelet of the given version.
// Events, result, waiting state and side effects are compared with the vector; placeholders
// such as <pull-duration> match the kind of value they stand for. A key this file does not
// understand fails the vector. Vectors are loaded at run time; each test records its rule ids.
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "sim/credentials/pull_secret.h"
#include "sim/node/image_manager.h"
#include "sim/node/kubelet_constants.h"
#include "sim/node/pull_errors.h"
#include "sim/reference/reference.h"
#include "sim/testing/covers_rule.h"
#include "sim/testing/vector_file.h"

namespace pullsim::node {
namespace {

using std::chrono::milliseconds;

constexpr std::string_view kVectorFile = "fixtures/vectors/kubelet_pull.yaml";
// The shared file's header: "subset: shared (21 of 30 vectors in this family)".
constexpr std::size_t kSharedVectorCount = 21;
// The imageRef the vectors expect for a present or pulled image.
const std::string kImageRef = "sha256:" + std::string(64, '1');
constexpr std::string_view kNamespace = "default";

using testing::Vector;

const testing::VectorFile& Vectors() { return testing::LoadVectorFile(kVectorFile); }

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

// An expected message with placeholders ("<pull-duration>", "<bytes>") as a regular expression.
std::regex MessagePattern(const std::string& expected) {
  static const std::regex kPlaceholder("<[a-z][a-z-]*>");
  static const std::regex kSpecial(R"([.^$|()\[\]{}*+?\\])");
  std::string pattern;
  std::size_t last = 0;
  for (auto it = std::sregex_iterator(expected.begin(), expected.end(), kPlaceholder);
       it != std::sregex_iterator(); ++it) {
    pattern += std::regex_replace(
        expected.substr(last, static_cast<std::size_t>(it->position()) - last), kSpecial, R"(\$&)");
    const std::string name = it->str();
    if (name.ends_with("duration>")) {
      pattern += R"((0s|([0-9]+h)?([0-9]+m)?[0-9]+(\.[0-9]+)?(ms|s)))";  // Go time.Duration
    } else if (name == "<bytes>") {
      pattern += "[0-9]+";
    } else {
      pattern += ".+";
    }
    last = static_cast<std::size_t>(it->position() + it->length());
  }
  pattern += std::regex_replace(expected.substr(last), kSpecial, R"(\$&)");
  return std::regex(pattern);
}

// "secret default/a", "node", "service account ns/name" → a credential whose username is the
// label, so the runtime can tell which one it was given.
std::optional<PullCredential> CredentialFromLabel(const std::string& label) {
  PullCredential credential;
  credential.username = label;
  credential.password = "password-of-" + label;
  std::smatch match;
  if (std::regex_match(label, match, std::regex(R"(^secret (\S+)/(\S+)$)"))) {
    credential.secret =
        SecretCoordinates{"uid-" + match[1].str() + "-" + match[2].str(), match[1], match[2]};
  } else if (std::regex_match(label, match, std::regex(R"(^service ?account (\S+)/(\S+)$)"))) {
    credential.service_account = ServiceAccountCoordinates{
        "uid-" + match[1].str() + "-" + match[2].str(), match[1], match[2]};
  } else if (label != "node" && label != "plugin") {
    return std::nullopt;
  }
  credential.credential_hash = CredentialHash(credential);
  return credential;
}

// sim/credentials' keyring entry as the node sees it (the wiring a scenario runner does).
PullCredential FromKeyring(const credentials::KeyedCredential& keyed) {
  PullCredential credential;
  credential.username = keyed.credential.username;
  credential.password = keyed.credential.password;
  credential.email = keyed.credential.email;
  credential.server_address = keyed.key;
  const credentials::CredentialSource& source = keyed.credential.source;
  if (source.kind == credentials::CredentialSource::Kind::kSecret) {
    credential.secret =
        SecretCoordinates{source.secret_uid, source.secret_namespace, source.secret_name};
  }
  // The hash covers the auth config only, not the server address.
  PullCredential hashed = credential;
  hashed.server_address.clear();
  credential.credential_hash = CredentialHash(hashed);
  return credential;
}

// The runtime of the vector: holds the image or not, answers pulls as told, takes 1.234 s.
class VectorRuntime final : public ImageRuntime {
 public:
  bool present = false;
  std::optional<std::string> inspect_error;
  std::optional<std::string> pull_error;                            // every pull fails with this
  std::map<std::string, std::optional<std::string>> by_credential;  // label → error (nullopt = ok)
  int inspect_calls = 0;
  std::vector<std::string> pull_requests;  // "anonymous" or the credential's label
  std::vector<std::string> pulled_specs;

  Result<std::string> GetImageRef(const ImageSpec&) override {
    ++inspect_calls;
    if (inspect_error) return Fail(ErrorCode::kUnavailable, *inspect_error);
    return present ? kImageRef : std::string();
  }

  PullAttempt PullImage(const ImageSpec& spec, const PullCredential* credential) override {
    const std::string label = credential == nullptr ? "anonymous" : credential->username;
    pull_requests.push_back(label);
    pulled_specs.push_back(spec.image);
    PullAttempt attempt;
    attempt.duration = milliseconds(1234);
    std::optional<std::string> error = pull_error;
    if (auto it = by_credential.find(label); it != by_credential.end()) error = it->second;
    if (error) {
      attempt.result = Fail(ErrorCode::kUnavailable, *error);
    } else {
      present = true;
      attempt.result = PulledImage{kImageRef, 4242};
    }
    return attempt;
  }

  Result<std::vector<RuntimeImage>> ListImages() override {
    std::vector<RuntimeImage> images;
    if (present) images.push_back({kImageRef, {}, {}, 4242});
    return images;
  }
};

// The runtime text that EnsureImageExists turns into `error` and `message` (KUB-06 read
// backwards), for vectors that start in back-off after such a failure.
std::optional<std::string> RuntimeTextFor(std::string_view image, const std::string& error,
                                          const std::string& message) {
  if (error == kErrImagePull) return message;
  for (std::string_view name : {kErrRegistryUnavailable, kErrSignatureValidationFailed}) {
    if (error != name) continue;
    const std::string sentence = EvalCriPullError(image, name).message;  // with nothing after
    if (!message.starts_with(sentence)) return std::nullopt;
    return std::string(name) + message.substr(sentence.size());
  }
  return std::nullopt;
}

class KubeletPullVectorTest : public ::testing::TestWithParam<Vector> {
 protected:
  void SetUp() override { testing::CoversRules(GetParam().rules); }
};

TEST(KubeletPullVectors, KUB_01_FileLoadsEveryVector) {
  testing::CoversRules({"KUB-01", "KUB-02", "KUB-03", "KUB-04"});
  testing::ExpectEveryVectorLoaded(Vectors(), kSharedVectorCount);
}

TEST_P(KubeletPullVectorTest, KUB_Scenario) {
  const Vector& vector = GetParam();
  const YAML::Node& in = vector.input;
  const YAML::Node& want = vector.expected;
  static const std::set<std::string> kInputs{"kubelet_version",
                                             "feature_gate_KubeletEnsureSecretPulledImages",
                                             "pod_uid",
                                             "image",
                                             "pull_policy",
                                             "image_present",
                                             "cri_pull",
                                             "cri_pull_error",
                                             "get_image_ref_error",
                                             "must_attempt_pull",
                                             "backoff",
                                             "throttle",
                                             "pod_imagePullSecrets",
                                             "secrets_in_namespace",
                                             "matching_credentials_in_order",
                                             "cri_pull_by_credential",
                                             "pod_secrets"};
  for (const auto& item : in) {
    const std::string key = item.first.as<std::string>();
    if (!kInputs.contains(key)) ADD_FAILURE() << "input key " << key << " is not understood";
  }

  // The kubelet.
  Result<KubeletVersion> version =
      KubeletVersion::Parse(in["kubelet_version"].as<std::string>("1.35"));
  ASSERT_TRUE(version) << version.error().message;
  KubeletSettings settings;
  settings.version = *version;
  std::optional<bool> gate;
  if (in["feature_gate_KubeletEnsureSecretPulledImages"]) {
    gate = in["feature_gate_KubeletEnsureSecretPulledImages"].as<bool>();
  }
  settings.ensure_secret_pulled_images = EnsureSecretPulledImagesEnabled(*version, gate);
  if (const YAML::Node throttle = in["throttle"]) {
    settings.registry_pull_qps =
        throttle["registryPullQPS"].as<std::int32_t>(kDefaultRegistryPullQPS);
    settings.registry_burst = throttle["registryBurst"].as<std::int32_t>(kDefaultRegistryBurst);
  }
  VirtualClock clock;
  NodeFileSystem fs;
  EventRecorder events;
  VectorRuntime runtime;
  PullManager pull_manager(fs, settings.root_dir,
                           *CredentialVerificationPolicy::Create(settings.verification_policy),
                           clock, settings.version);
  ImageManager manager(settings, runtime, clock, events, &pull_manager);

  // The pod and its container.
  const std::string image = in["image"].as<std::string>();
  const std::string uid = in["pod_uid"].as<std::string>("uid1");
  const std::optional<reference::PullPolicy> policy =
      reference::ParsePullPolicy(in["pull_policy"].as<std::string>());
  ASSERT_TRUE(policy) << "pull_policy " << in["pull_policy"];
  ContainerImageRequest request;
  request.pod = ObjectReference{"Pod", std::string(kNamespace), "pod-" + uid, uid, ""};
  request.container_name = "app";
  request.image = image;
  request.pull_policy = *policy;
  ObjectReference container = request.pod;
  container.field_path = ContainerFieldPath("app");

  // The node's image and the runtime's answers.
  runtime.present = in["image_present"].as<bool>(false);
  if (in["get_image_ref_error"]) runtime.inspect_error = Text(in["get_image_ref_error"]);
  if (in["cri_pull_error"]) runtime.pull_error = Text(in["cri_pull_error"]);
  if (in["cri_pull"]) {
    ASSERT_EQ(Text(in["cri_pull"]), "ok");
  }
  for (const auto& item : in["cri_pull_by_credential"]) {
    const std::string outcome = Text(item.second);
    runtime.by_credential[item.first.as<std::string>()] =
        outcome.empty() || outcome == "ok" || outcome == "success" ? std::nullopt
                                                                   : std::optional(outcome);
  }

  // The pod's credentials: listed ones, or pull secrets through sim/credentials.
  std::vector<PullCredential> listed;
  for (const std::string& label : Strings(in["matching_credentials_in_order"])) {
    std::optional<PullCredential> credential = CredentialFromLabel(label);
    ASSERT_TRUE(credential) << "credential \"" << label << "\" is not understood";
    listed.push_back(*credential);
  }
  std::vector<credentials::PullSecret> namespace_secrets;
  for (const std::string& name : Strings(in["secrets_in_namespace"])) {
    namespace_secrets.push_back({std::string(kNamespace),
                                 name,
                                 "uid-" + name,
                                 std::string(credentials::kSecretTypeDockerConfigJson),
                                 {},
                                 ""});
  }
  std::vector<std::string> secret_refs = Strings(in["pod_imagePullSecrets"]);
  for (const YAML::Node& secret : in["pod_secrets"]) {
    credentials::PullSecret pull_secret{std::string(kNamespace),
                                        Text(secret["name"]),
                                        "uid-" + Text(secret["name"]),
                                        Text(secret["type"]),
                                        {},
                                        ""};
    for (const auto& data : secret["data"]) {
      pull_secret.data[data.first.as<std::string>()] = Text(data.second);
    }
    namespace_secrets.push_back(pull_secret);
    if (!in["pod_imagePullSecrets"]) secret_refs.push_back(pull_secret.name);
  }
  const credentials::PodPullSecrets pod_secrets = credentials::GetPullSecretsForPod(
      kNamespace, secret_refs, credentials::SecretsIn(namespace_secrets));
  request.lookup_credentials = [&]() -> Result<std::vector<PullCredential>> {
    Result<credentials::PodSecretKeyring> keyring =
        credentials::MakePodSecretKeyring(pod_secrets.secrets);
    if (!keyring) return std::unexpected(keyring.error());
    std::vector<PullCredential> found = listed;
    Result<reference::ImageName> name = reference::ParseImageName(image);
    if (!name) return std::unexpected(name.error());
    for (const credentials::KeyedCredential& keyed : keyring->keyring.Lookup(name->repository)) {
      found.push_back(FromKeyring(keyed));
    }
    return found;
  };

  // KEP-2535 state that makes verification of a present image pass or fail.
  if (const YAML::Node must = in["must_attempt_pull"];
      must && settings.ensure_secret_pulled_images) {
    ImagePullCredentials recorded;
    if (must.as<bool>()) {
      recorded.kubernetes_secrets.push_back({"uid-someone", "elsewhere", "someone-else", "hash"});
    } else {
      recorded.node_pods_accessible = true;
    }
    pull_manager.RecordImagePulled(image, kImageRef, &recorded);
  }
  // A failure just before, so this call is in back-off.
  if (const YAML::Node backoff = in["backoff"]; backoff && backoff["in_backoff"].as<bool>(false)) {
    const std::string previous_error = Text(backoff["previous_error"]);
    const std::string previous_message = Text(backoff["previous_message"]);
    std::optional<std::string> text = RuntimeTextFor(image, previous_error, previous_message);
    ASSERT_TRUE(text) << "no runtime text gives " << previous_error << ": " << previous_message;
    const std::optional<std::string> saved = runtime.pull_error;
    runtime.pull_error = *text;
    ContainerImageRequest first = request;
    first.pull_policy = reference::PullPolicy::kAlways;
    EnsureImageResult failed = manager.EnsureImageExists(first, clock);
    ASSERT_EQ(failed.error, previous_error);
    ASSERT_EQ(failed.message, previous_message);
    runtime.pull_error = saved;
    runtime.pull_requests.clear();
    runtime.pulled_specs.clear();
    runtime.inspect_calls = 0;
    events.Clear();
    clock.Advance(std::chrono::seconds(1));
  }
  // Tokens already taken from the QPS bucket.
  if (const YAML::Node throttle = in["throttle"]; throttle && throttle["tokens_available"]) {
    const int take = settings.registry_burst - throttle["tokens_available"].as<int>();
    for (int i = 0; i < take; ++i) ASSERT_TRUE(manager.throttle().TryAccept(clock.Now()));
  }

  // The sync: pull secrets, then EnsureImageExists, then startContainer.
  RecordMissingPullSecrets(pod_secrets.warning, request.pod, events, clock.Now());
  const EnsureImageResult result = manager.EnsureImageExists(request, clock);
  std::optional<ContainerWaiting> waiting;
  if (!result.ok()) waiting = RecordContainerStartFailure(result, container, events, clock.Now());

  for (const auto& item : want) {
    const std::string key = item.first.as<std::string>();
    const YAML::Node value = item.second;
    SCOPED_TRACE(vector.id + " expected." + key);
    if (key == "events_in_order") {
      std::vector<std::string> got;
      for (const Event& event : events.events()) {
        got.push_back(event.type + " " + event.reason + " " + event.message);
      }
      ASSERT_EQ(got.size(), value.size()) << ::testing::PrintToString(got);
      for (std::size_t i = 0; i < got.size(); ++i) {
        const std::string expected_event = Text(value[i]["type"]) + " " + Text(value[i]["reason"]) +
                                           " " + Text(value[i]["message"]);
        EXPECT_TRUE(std::regex_match(got[i], MessagePattern(expected_event)))
            << "event " << i << "\n  got:  " << got[i] << "\n  want: " << expected_event;
      }
    } else if (key == "result") {
      if (value["error"].IsNull()) {
        EXPECT_TRUE(result.ok()) << result.error << ": " << result.message;
      } else {
        EXPECT_EQ(result.error, Text(value["error"]));
      }
      if (value["message"]) {
        EXPECT_EQ(result.message, Text(value["message"]));
      }
      if (value["image_ref"]) {
        EXPECT_EQ(result.image_ref, Text(value["image_ref"]));
      }
    } else if (key == "container_waiting") {
      ASSERT_TRUE(waiting.has_value());
      EXPECT_EQ(waiting->reason, Text(value["reason"]));
      EXPECT_EQ(waiting->message, Text(value["message"]));
    } else if (key == "get_image_ref_called") {
      EXPECT_EQ(runtime.inspect_calls > 0, value.as<bool>());
    } else if (key == "pull_attempted") {
      EXPECT_EQ(!runtime.pull_requests.empty(), value.as<bool>());
    } else if (key == "backoff_after_s") {
      EXPECT_EQ(manager.backoff().Get(ImageBackOffKey(uid, image)),
                std::chrono::seconds(value.as<int>()));
    } else if (key == "cri_image_spec") {
      ASSERT_FALSE(runtime.pulled_specs.empty());
      EXPECT_EQ(runtime.pulled_specs.back(), Text(value));
    } else if (key == "secrets_passed_to_image_manager") {
      std::vector<std::string> names;
      for (const credentials::PullSecret& secret : pod_secrets.secrets)
        names.push_back(secret.name);
      EXPECT_EQ(names, Strings(value));
    } else if (key == "cri_pull_requests") {
      std::vector<std::string> got;
      for (const std::string& label : runtime.pull_requests) {
        got.push_back(label == "anonymous" ? "anonymous (no auth)" : "with " + label);
      }
      EXPECT_EQ(got, Strings(value));
    } else if (key == "anonymous_attempt") {
      const bool anonymous = std::find(runtime.pull_requests.begin(), runtime.pull_requests.end(),
                                       "anonymous") != runtime.pull_requests.end();
      EXPECT_EQ(anonymous, value.as<bool>());
    } else if (key == "credentials_recorded_for_kep2535") {
      Result<std::optional<ImagePulledRecord>> record = pull_manager.GetPulledRecord(kImageRef);
      ASSERT_TRUE(record && record->has_value());
      Result<reference::ImageName> name = reference::ParseImageName(image);
      ASSERT_TRUE(name);
      const auto entry = (*record)->credential_mapping.find(name->repository);
      ASSERT_NE(entry, (*record)->credential_mapping.end());
      if (value.IsMap()) {
        // The record's entry written out: compare the fields the vector gives.
        EXPECT_EQ(entry->second.node_pods_accessible, value["nodePodsAccessible"].as<bool>(false));
        const YAML::Node secrets = value["kubernetesSecrets"];
        ASSERT_EQ(entry->second.kubernetes_secrets.size(), secrets ? secrets.size() : 0u);
        for (std::size_t i = 0; secrets && i < secrets.size(); ++i) {
          const ImagePullSecret& got = entry->second.kubernetes_secrets[i];
          EXPECT_EQ(got.namespace_name, Text(secrets[i]["namespace"]));
          EXPECT_EQ(got.name, Text(secrets[i]["name"]));
          if (secrets[i]["uid"]) {
            EXPECT_EQ(got.uid, Text(secrets[i]["uid"]));
          }
          if (secrets[i]["credentialHash"]) {
            EXPECT_EQ(got.credential_hash, Text(secrets[i]["credentialHash"]));
          }
        }
        const YAML::Node accounts = value["kubernetesServiceAccounts"];
        ASSERT_EQ(entry->second.kubernetes_service_accounts.size(),
                  accounts ? accounts.size() : 0u);
        for (std::size_t i = 0; accounts && i < accounts.size(); ++i) {
          const ImagePullServiceAccount& got = entry->second.kubernetes_service_accounts[i];
          EXPECT_EQ(got.namespace_name, Text(accounts[i]["namespace"]));
          EXPECT_EQ(got.name, Text(accounts[i]["name"]));
        }
        continue;
      }
      const std::string recorded = Text(value);
      if (recorded == "nodePodsAccessible") {
        EXPECT_TRUE(entry->second.node_pods_accessible);
      } else {
        std::optional<PullCredential> credential = CredentialFromLabel(recorded);
        ASSERT_TRUE(credential && (credential->secret || credential->service_account))
            << "recorded credential \"" << recorded << "\" is not understood";
        EXPECT_EQ(entry->second, CredentialsToRecord(&*credential));
      }
    } else {
      ADD_FAILURE() << "expected key " << key << " is not understood by this test";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(KubeletPullYaml, KubeletPullVectorTest,
                         ::testing::ValuesIn(Vectors().vectors), testing::VectorIdName);

}  // namespace
}  // namespace pullsim::node
