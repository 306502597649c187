// CRED-02..05, CRED-10: every vector of fixtures/vectors/docker_config.yaml against the
// credentials module: auth and entry decoding, file formats, the node's search path and pull
// secrets turned into a keyring. Vectors are loaded at run time, so hidden vectors of the same
// kinds run too; each test records the rule ids its vector names. The CRED-15 vectors (API
// validation of Secret objects) belong to the cluster module's suite
// (cred15_secret_validation_test.cpp) and are left out here by kind.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "sim/credentials/docker_config.h"
#include "sim/credentials/pull_secret.h"
#include "sim/credentials/search_path.h"
#include "sim/testing/covers_rule.h"
#include "sim/testing/vector_file.h"

namespace pullsim::credentials {
namespace {

constexpr std::string_view kVectorFile = "fixtures/vectors/docker_config.yaml";
constexpr std::string_view kSecretValidationKind = "secret_api_validation";  // CRED-15

// Where the placeholders of search_path vectors point on the simulated node.
constexpr std::string_view kWorkingDir = "/srv/kubelet-cwd";
constexpr std::string_view kHomeDir = "/home/kubelet";

using testing::Vector;

const testing::VectorFile& Vectors() { return testing::LoadVectorFile(kVectorFile); }

// A hidden vector with a key this test does not read must fail, not pass unchecked.
void ExpectOnlyKeys(const YAML::Node& map, const std::set<std::string>& known,
                    std::string_view what) {
  if (!map || !map.IsMap()) return;
  for (const auto& entry : map) {
    auto key = entry.first.as<std::string>();
    bool creds_for = what == "expected" && key.starts_with("creds_for_");
    EXPECT_TRUE(known.contains(key) || creds_for)
        << what << " key \"" << key << "\" is not understood by this test";
  }
}

std::string Text(const YAML::Node& node) {
  return node && !node.IsNull() ? node.as<std::string>() : std::string();
}

std::vector<std::string> Strings(const YAML::Node& node) {
  std::vector<std::string> out;
  if (node && !node.IsNull()) {
    for (const YAML::Node& item : node) out.push_back(item.as<std::string>());
  }
  return out;
}

// Compares the fields the vector names (username, password, email) with an entry.
void ExpectEntry(const YAML::Node& expected, const DockerConfigEntry& entry) {
  ExpectOnlyKeys(expected, {"username", "password", "email"}, "entry");
  if (expected["username"]) {
    EXPECT_EQ(entry.username, Text(expected["username"]));
  }
  if (expected["password"]) {
    EXPECT_EQ(entry.password, Text(expected["password"]));
  }
  if (expected["email"]) {
    EXPECT_EQ(entry.email, Text(expected["email"]));
  }
}

std::string Substitute(std::string path, std::string_view root_dir) {
  const std::pair<std::string_view, std::string_view> kPlaceholders[] = {
      {"<root-dir>", root_dir}, {"<cwd>", kWorkingDir}, {"<HOME>", kHomeDir}};
  for (const auto& [placeholder, value] : kPlaceholders) {
    for (std::size_t at = path.find(placeholder); at != std::string::npos;
         at = path.find(placeholder)) {
      path.replace(at, placeholder.size(), value);
    }
  }
  return path;
}

class DockerConfigVector : public ::testing::TestWithParam<Vector> {
 protected:
  void SetUp() override { testing::CoversRules(GetParam().rules); }
  const YAML::Node& input() const { return GetParam().input; }
  const YAML::Node& expected() const { return GetParam().expected; }

  void DecodeAuthFieldVector();
  void DecodeEntryVector();
  void ParseFileVector();
  void SearchPathVector();
  void PodSecretsVector();
};

// CRED-05: decodeDockerConfigFieldAuth.
void DockerConfigVector::DecodeAuthFieldVector() {
  ExpectOnlyKeys(input(), {"auth"}, "input");
  ExpectOnlyKeys(expected(), {"username", "password", "error"}, "expected");
  auto decoded = DecodeAuthField(Text(input()["auth"]));
  if (expected()["error"]) {
    ASSERT_FALSE(decoded.has_value()) << "decoded as " << decoded->username;
    EXPECT_EQ(decoded.error().message, Text(expected()["error"]));
    return;
  }
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  EXPECT_EQ(decoded->username, Text(expected()["username"]));
  EXPECT_EQ(decoded->password, Text(expected()["password"]));
}

// CRED-05: DockerConfigEntry.UnmarshalJSON.
void DockerConfigVector::DecodeEntryVector() {
  ExpectOnlyKeys(input(), {"json"}, "input");
  auto entry = DecodeDockerConfigEntry(Text(input()["json"]));
  if (expected()["error"]) {
    ExpectOnlyKeys(expected(), {"error"}, "expected");
    ASSERT_FALSE(entry.has_value());
    EXPECT_EQ(entry.error().message, Text(expected()["error"]));
    return;
  }
  ASSERT_TRUE(entry.has_value()) << entry.error().ToString();
  ExpectEntry(expected(), *entry);
}

// CRED-04: one file read in the layout its name implies.
void DockerConfigVector::ParseFileVector() {
  ExpectOnlyKeys(input(), {"file_name", "content"}, "input");
  ExpectOnlyKeys(expected(), {"parsed", "entries", "error"}, "expected");
  const std::string file_name = Text(input()["file_name"]);
  auto parsed =
      ParseDockerConfig(Text(input()["content"]), FormatForFileName(file_name), file_name);
  ASSERT_EQ(parsed.has_value(), expected()["parsed"].as<bool>())
      << (parsed ? "parsed" : parsed.error().ToString());
  if (!parsed) {
    if (expected()["error"]) {
      EXPECT_EQ(parsed.error().message, Text(expected()["error"]));
    }
    return;
  }
  const YAML::Node entries = expected()["entries"];
  ASSERT_TRUE(entries && entries.IsMap());
  EXPECT_EQ(parsed->config.size(), entries.size());
  for (const auto& entry : entries) {
    const std::string key = entry.first.as<std::string>();
    SCOPED_TRACE(key);
    const DockerConfigEntry* found = parsed->config.Find(key);
    ASSERT_NE(found, nullptr);
    ExpectEntry(entry.second, *found);
  }
}

// CRED-02/03: which file of a node's file system the kubelet uses.
void DockerConfigVector::SearchPathVector() {
  ExpectOnlyKeys(input(), {"files", "kubelet_root_dir_default", "kubelet_root_dir"}, "input");
  ExpectOnlyKeys(expected(), {"file_used", "registry_keys"}, "expected");
  KubeletPaths paths;
  paths.root_dir = input()["kubelet_root_dir"] ? Text(input()["kubelet_root_dir"])
                                               : Text(input()["kubelet_root_dir_default"]);
  paths.working_dir = std::string(kWorkingDir);
  paths.home_dir = std::string(kHomeDir);
  MapFileSystem files;
  if (input()["files"]) {
    for (const auto& file : input()["files"]) {
      files.Write(Substitute(file.first.as<std::string>(), paths.root_dir), Text(file.second));
    }
  }
  NodeDockerConfig found = FindNodeDockerConfig(files, paths);
  const YAML::Node want_file = expected()["file_used"];
  if (!want_file || want_file.IsNull()) {
    EXPECT_FALSE(found.file_used.has_value()) << *found.file_used;
  } else {
    EXPECT_EQ(found.file_used.value_or("<none>"), Substitute(Text(want_file), paths.root_dir));
  }
  // The keys of the map the kubelet read; a Go map has no order, so compare them sorted.
  std::vector<std::string> keys;
  for (const DockerConfigItem& item : found.config.items) keys.push_back(item.registry_key);
  std::vector<std::string> want_keys = Strings(expected()["registry_keys"]);
  std::sort(keys.begin(), keys.end());
  std::sort(want_keys.begin(), want_keys.end());
  EXPECT_EQ(keys, want_keys);
}

// CRED-10: MakeDockerKeyring over the pod's secrets.
void DockerConfigVector::PodSecretsVector() {
  ExpectOnlyKeys(input(), {"secrets"}, "input");
  ExpectOnlyKeys(expected(), {"keys", "error"}, "expected");
  std::vector<PullSecret> secrets;
  for (const YAML::Node& node : input()["secrets"]) {
    ExpectOnlyKeys(node, {"name", "namespace", "type", "data"}, "secret");
    PullSecret secret;
    secret.name = Text(node["name"]);
    secret.namespace_name = node["namespace"] ? Text(node["namespace"]) : "default";
    if (node["type"]) secret.type = Text(node["type"]);
    if (node["data"]) {
      for (const auto& item : node["data"]) {
        secret.data[item.first.as<std::string>()] = Text(item.second);  // shown decoded
      }
    }
    secrets.push_back(std::move(secret));
  }
  auto keyring = MakePodSecretKeyring(secrets);
  const YAML::Node want_error = expected()["error"];
  if (want_error && !want_error.IsNull()) {
    ASSERT_FALSE(keyring.has_value()) << "keyring built with keys " << keyring->keyring.size();
    EXPECT_EQ(keyring.error().message, Text(want_error));
    return;
  }
  ASSERT_TRUE(keyring.has_value()) << keyring.error().ToString();
  EXPECT_EQ(keyring->keyring.Index(), Strings(expected()["keys"]));
  for (const auto& item : expected()) {
    const std::string field = item.first.as<std::string>();
    if (!field.starts_with("creds_for_")) continue;
    const std::string key = field.substr(std::string_view("creds_for_").size());
    SCOPED_TRACE(field);
    std::vector<std::string> got;
    if (const std::vector<Credential>* creds = keyring->keyring.CredentialsFor(key)) {
      for (const Credential& credential : *creds) {
        got.push_back(credential.source.secret_name + ":" + credential.username);
      }
    }
    EXPECT_EQ(got, Strings(item.second));
  }
}

TEST_P(DockerConfigVector, Matches) {
  const std::string& kind = GetParam().kind;
  if (kind == "decode_auth_field") {
    DecodeAuthFieldVector();
  } else if (kind == "decode_entry") {
    DecodeEntryVector();
  } else if (kind == "parse_file") {
    ParseFileVector();
  } else if (kind == "search_path") {
    SearchPathVector();
  } else if (kind == "pod_secrets_to_keyring") {
    PodSecretsVector();
  } else {
    FAIL() << "vector kind \"" << kind << "\" is not understood by this test";
  }
}

INSTANTIATE_TEST_SUITE_P(Vectors, DockerConfigVector,
                         ::testing::ValuesIn(testing::VectorsExceptKind(Vectors(),
                                                                        kSecretValidationKind)),
                         testing::VectorRuleAndIdName);

// Every vector of the file runs here, except the CRED-15 ones, which the cluster suite runs.
TEST(DockerConfigVectors, EveryVectorRuns) { testing::ExpectEveryVectorLoaded(Vectors()); }

}  // namespace
}  // namespace pullsim::credentials
