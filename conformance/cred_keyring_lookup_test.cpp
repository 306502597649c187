// CRED-06, CRED-08, CRED-09, CRED-11..13: every vector of fixtures/vectors/keyring_lookup.yaml:
// key normalisation, the index order and lookups, the Docker Hub fallback, and the union of
// pod-secret, node and plugin keyrings with the pull attempts that follow. Vectors are loaded at
// run time; each test records the rule ids its vector names.
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "sim/credentials/keyring.h"
#include "sim/credentials/lookup.h"
#include "sim/testing/covers_rule.h"
#include "sim/testing/vector_file.h"

namespace pullsim::credentials {
namespace {

constexpr std::string_view kVectorFile = "fixtures/vectors/keyring_lookup.yaml";

using testing::Vector;

const testing::VectorFile& Vectors() { return testing::LoadVectorFile(kVectorFile); }

void ExpectOnlyKeys(const YAML::Node& map, const std::set<std::string>& known,
                    std::string_view what) {
  ASSERT_TRUE(map && map.IsMap()) << what << " must be a map";
  for (const auto& entry : map) {
    EXPECT_TRUE(known.contains(entry.first.as<std::string>()))
        << what << " key \"" << entry.first.as<std::string>() << "\" is not understood";
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

// The vectors name sources "node", "plugin", "secret NAMESPACE/NAME" or a bare label such as
// "secretA"; a bare label becomes a secret of that name with no namespace.
CredentialSource SourceFromLabel(const std::string& label) {
  if (label == "node" || label.starts_with("node ")) {
    return CredentialSource::Node(label.size() > 5 ? label.substr(5) : "");
  }
  if (label == "plugin" || label.starts_with("plugin ")) {
    return CredentialSource::Plugin(label.size() > 7 ? label.substr(7) : "");
  }
  if (label.starts_with("secret ") && label.find('/') != std::string::npos) {
    std::string rest = label.substr(7);
    std::size_t slash = rest.find('/');
    return CredentialSource::Secret(rest.substr(0, slash), rest.substr(slash + 1));
  }
  return CredentialSource::Secret("", label);
}

std::string Label(const CredentialSource& source) {
  if (source.kind == CredentialSource::Kind::kSecret && source.secret_namespace.empty()) {
    return source.secret_name;
  }
  return source.ToString();
}

std::vector<std::string> Labels(const std::vector<KeyedCredential>& found) {
  std::vector<std::string> out;
  for (const KeyedCredential& c : found) {
    out.push_back(Label(c.credential.source) + ":" + c.credential.username);
  }
  return out;
}

// Entries are added one by one in the listed order ([source, raw_key, username] triples or
// {source, raw_key, username} maps).
Keyring BuildKeyring(const YAML::Node& entries) {
  Keyring keyring;
  if (!entries || entries.IsNull()) return keyring;
  for (const YAML::Node& entry : entries) {
    std::string source;
    std::string raw_key;
    std::string username;
    if (entry.IsSequence()) {
      EXPECT_EQ(entry.size(), 3u) << "entries are [source, raw_key, username]";
      source = Text(entry[0]);
      raw_key = Text(entry[1]);
      username = Text(entry[2]);
    } else {
      ExpectOnlyKeys(entry, {"source", "raw_key", "username", "password"}, "entry");
      source = Text(entry["source"]);
      raw_key = Text(entry["raw_key"]);
      username = Text(entry["username"]);
    }
    (void)keyring.Add(raw_key, Credential{username, "pw", "", SourceFromLabel(source)});
  }
  return keyring;
}

class KeyringLookupVector : public ::testing::TestWithParam<Vector> {
 protected:
  void SetUp() override { testing::CoversRules(GetParam().rules); }
  const YAML::Node& input() const { return GetParam().input; }
  const YAML::Node& expected() const { return GetParam().expected; }
};

TEST_P(KeyringLookupVector, Matches) {
  const std::string& kind = GetParam().kind;
  if (kind == "key_normalization") {
    // CRED-06
    ExpectOnlyKeys(input(), {"raw_key"}, "input");
    ExpectOnlyKeys(expected(), {"index_key", "error"}, "expected");
    auto key = NormalizeRegistryKey(Text(input()["raw_key"]));
    const YAML::Node want = expected()["index_key"];
    if (!want || want.IsNull()) {
      EXPECT_FALSE(key.has_value()) << "normalised to " << *key;
      return;
    }
    ASSERT_TRUE(key.has_value()) << key.error().message;
    EXPECT_EQ(*key, Text(want));
  } else if (kind == "lookup") {
    // CRED-08/09
    ExpectOnlyKeys(input(), {"keyring_entries", "repository"}, "input");
    ExpectOnlyKeys(expected(), {"index", "found", "credentials_in_order"}, "expected");
    Keyring keyring = BuildKeyring(input()["keyring_entries"]);
    if (expected()["index"]) {
      EXPECT_EQ(keyring.Index(), Strings(expected()["index"]));
    }
    std::vector<KeyedCredential> found = keyring.Lookup(Text(input()["repository"]));
    EXPECT_EQ(!found.empty(), expected()["found"].as<bool>());
    EXPECT_EQ(Labels(found), Strings(expected()["credentials_in_order"]));
  } else if (kind == "is_default_registry_match") {
    // CRED-09
    ExpectOnlyKeys(input(), {"repository"}, "input");
    ExpectOnlyKeys(expected(), {"default_registry"}, "expected");
    EXPECT_EQ(IsDefaultRegistryMatch(Text(input()["repository"])),
              expected()["default_registry"].as<bool>());
  } else if (kind == "union_lookup") {
    // CRED-11..13
    ExpectOnlyKeys(input(), {"pod_secret_keyring", "node_keyring", "plugin_keyring", "repository"},
                   "input");
    ExpectOnlyKeys(expected(), {"credentials_in_order", "pull_attempts", "anonymous_attempt"},
                   "expected");
    Keyring pod = BuildKeyring(input()["pod_secret_keyring"]);
    Keyring node = BuildKeyring(input()["node_keyring"]);
    Keyring plugins = BuildKeyring(input()["plugin_keyring"]);
    const std::string repository = Text(input()["repository"]);
    std::vector<KeyedCredential> found = LookupUnion({&pod, &node, &plugins}, repository);
    EXPECT_EQ(Labels(found), Strings(expected()["credentials_in_order"]));
    // CRED-13: one pull per credential, or exactly one anonymous pull when there is none.
    PullCredentials pull{repository, found};
    std::size_t attempts = pull.anonymous() ? 1 : pull.credentials.size();
    if (expected()["pull_attempts"]) {
      EXPECT_EQ(attempts, expected()["pull_attempts"].as<std::size_t>());
    }
    if (expected()["anonymous_attempt"]) {
      EXPECT_EQ(pull.anonymous(), expected()["anonymous_attempt"].as<bool>());
    }
  } else {
    FAIL() << "vector kind \"" << kind << "\" is not understood by this test";
  }
}

INSTANTIATE_TEST_SUITE_P(Vectors, KeyringLookupVector, ::testing::ValuesIn(Vectors().vectors),
                         testing::VectorRuleAndIdName);

TEST(KeyringLookupVectors, EveryVectorRuns) { testing::ExpectEveryVectorLoaded(Vectors()); }

}  // namespace
}  // namespace pullsim::credentials
