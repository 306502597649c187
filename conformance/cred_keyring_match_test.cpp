// CRED-07: every vector of fixtures/vectors/keyring_match.yaml: does a keyring key match a
// repository (URLsMatch), and is an unparsable key dropped. Each vector is checked through
// UrlsMatch and through a keyring holding just that key. Vectors are loaded at run time; each
// test records the rule ids its vector names.
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "sim/credentials/keyring.h"
#include "sim/testing/covers_rule.h"
#include "sim/testing/vector_file.h"

namespace pullsim::credentials {
namespace {

constexpr std::string_view kVectorFile = "fixtures/vectors/keyring_match.yaml";

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

class KeyringMatchVector : public ::testing::TestWithParam<Vector> {
 protected:
  void SetUp() override { testing::CoversRules(GetParam().rules); }
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

INSTANTIATE_TEST_SUITE_P(Vectors, KeyringMatchVector, ::testing::ValuesIn(Vectors().vectors),
                         testing::VectorRuleAndIdName);

TEST(KeyringMatchVectors, EveryVectorRuns) { testing::ExpectEveryVectorLoaded(Vectors()); }

}  // namespace
}  // namespace pullsim::credentials
