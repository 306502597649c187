// CRED-07: every vector of fixtures/vectors/keyring_match.yaml: does a keyring key match a
// repository (URLsMatch), and is an unparsable key dropped. Each vector is checked through
// UrlsMatch and through a keyring holding just that key. Vectors are loaded at run time; each
// test records the rule ids its vector names.
#include <algorithm>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "sim/credentials/keyring.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::credentials {
namespace {

constexpr std::string_view kVectorFile = "fixtures/vectors/keyring_match.yaml";

struct Vector {
  std::string id;
  std::vector<std::string> rules;
  YAML::Node input;
  YAML::Node expected;
  std::string load_error;
};

void PrintTo(const Vector& vector, std::ostream* out) { *out << vector.id; }

std::vector<Vector> LoadVectors() {
  const std::string path = testing::SourcePath(kVectorFile).string();
  std::vector<Vector> vectors;
  try {
    for (const YAML::Node& node : YAML::LoadFile(path)) {
      Vector vector;
      vector.id = node["id"].as<std::string>();
      for (const YAML::Node& rule : node["rules"]) vector.rules.push_back(rule.as<std::string>());
      vector.input = node["input"];
      vector.expected = node["expected"];
      vectors.push_back(std::move(vector));
    }
  } catch (const YAML::Exception& e) {
    Vector broken;
    broken.id = "load_error";
    broken.load_error = path + ":" + std::to_string(e.mark.line + 1) + ": " + e.what();
    return {broken};
  }
  return vectors;
}

void ExpectOnlyKeys(const YAML::Node& map, const std::set<std::string>& known,
                    std::string_view what) {
  ASSERT_TRUE(map && map.IsMap()) << what << " must be a map";
  for (const auto& entry : map) {
    EXPECT_TRUE(known.contains(entry.first.as<std::string>()))
        << what << " key \"" << entry.first.as<std::string>() << "\" is not understood";
  }
}

class KeyringMatchVector : public ::testing::TestWithParam<Vector> {
 protected:
  void SetUp() override {
    ASSERT_EQ(GetParam().load_error, "");
    testing::CoversRules(GetParam().rules);
  }
};

TEST_P(KeyringMatchVector, Matches) {
  const YAML::Node& input = GetParam().input;
  const YAML::Node& expected = GetParam().expected;
  ExpectOnlyKeys(input, {"key", "repository"}, "input");
  ExpectOnlyKeys(expected, {"match", "key_parse_error"}, "expected");
  const auto key = input["key"].as<std::string>();
  const auto repository = input["repository"].as<std::string>();
  const bool want_match = expected["match"].as<bool>();
  const bool want_parse_error =
      expected["key_parse_error"] && expected["key_parse_error"].as<bool>();

  // URLsMatchStr(key, repository); an error (unparsable key or bad glob) is "no match".
  auto matched = UrlsMatch(key, repository);
  EXPECT_EQ(matched.value_or(false), want_match)
      << (matched ? "" : "error: " + matched.error().message);

  // A key that is not a URL is dropped when the keyring is built (BasicDockerKeyring.Add).
  auto normalised = NormalizeRegistryKey(key);
  EXPECT_EQ(!normalised.has_value(), want_parse_error)
      << (normalised ? "normalised to " + *normalised : normalised.error().message);
  Keyring keyring;
  auto added = keyring.Add(key, Credential{"user", "pw", "", CredentialSource::Node("")});
  EXPECT_EQ(added.has_value(), !want_parse_error);
  if (!normalised || *normalised != key) return;
  // The same answer through a keyring holding only this key; the Docker Hub fallback may add
  // an answer for an "index.docker.io" key (CRED-09), never take one away.
  bool fallback = key == kDefaultRegistryKey && IsDefaultRegistryMatch(repository);
  EXPECT_EQ(!keyring.Lookup(repository).empty(), want_match || fallback);
}

std::string VectorName(const ::testing::TestParamInfo<Vector>& param) {
  std::string name = param.param.rules.empty() ? "" : param.param.rules.front() + "_";
  name += param.param.id;
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
      '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Vectors, KeyringMatchVector, ::testing::ValuesIn(LoadVectors()),
                         VectorName);

TEST(KeyringMatchVectors, EveryVectorRuns) {
  std::ifstream in(testing::SourcePath(kVectorFile));
  std::size_t ids = 0;
  for (std::string line; std::getline(in, line);) ids += line.starts_with("- id:") ? 1 : 0;
  EXPECT_GT(ids, 0u);
  EXPECT_EQ(LoadVectors().size(), ids);
}

}  // namespace
}  // namespace pullsim::credentials
