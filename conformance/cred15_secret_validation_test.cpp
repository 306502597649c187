// CRED-15: the secret_api_validation vectors of fixtures/vectors/docker_config.yaml (the other
// vectors of that file belong to the credentials suite). Each secret is written as a manifest
// (data base64-encoded, as kubectl sends it), read by the manifest loader, validated, and created
// through a cluster. Vectors are loaded at run time; each test records its vector's rule ids.
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "sim/cluster/cluster.h"
#include "sim/cluster/defaults.h"
#include "sim/cluster/manifest.h"
#include "sim/cluster/validation.h"
#include "sim/credentials/aggregate_error.h"
#include "sim/testing/covers_rule.h"
#include "sim/testing/vector_file.h"

namespace pullsim::cluster {
namespace {

constexpr std::string_view kVectorFile = "fixtures/vectors/docker_config.yaml";
constexpr std::string_view kKind = "secret_api_validation";
// The shared file holds three secret_api_validation vectors.
constexpr size_t kSharedVectorCount = 3;
constexpr std::string_view kSecretName = "vector-secret";

using testing::Vector;

const testing::VectorFile& Vectors() { return testing::LoadVectorFile(kVectorFile); }

// The other vectors of the file belong to the credentials suite.
std::vector<Vector> SecretVectors() { return testing::VectorsOfKind(Vectors(), kKind); }

std::string Text(const YAML::Node& node) { return node ? node.as<std::string>() : std::string(); }

std::vector<std::string> Strings(const YAML::Node& node) {
  std::vector<std::string> values;
  if (node) {
    for (const YAML::Node& item : node) values.push_back(item.as<std::string>());
  }
  return values;
}

// Standard base64, as kubectl encodes a secret's data (written here so the test does not lean
// on the decoder it checks).
std::string Base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    unsigned bits = 0;
    const size_t n = std::min<size_t>(3, bytes.size() - i);
    for (size_t k = 0; k < 3; ++k) {
      bits = (bits << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0U);
    }
    out += kAlphabet[(bits >> 18) & 63];
    out += kAlphabet[(bits >> 12) & 63];
    out += n > 1 ? kAlphabet[(bits >> 6) & 63] : '=';
    out += n > 2 ? kAlphabet[bits & 63] : '=';
  }
  return out;
}

class SecretValidationVector : public ::testing::TestWithParam<Vector> {
 protected:
  void SetUp() override { testing::CoversRules(GetParam().rules); }
};

TEST(SecretValidationVectors, CRED_15_FileLoadsEveryVector) {
  testing::CoversRules({"CRED-15"});
  testing::ExpectEveryVectorLoaded(Vectors());
  EXPECT_GE(SecretVectors().size(), kSharedVectorCount);
}

TEST_P(SecretValidationVector, CRED_15_Vector) {
  const Vector& vector = GetParam();
  const YAML::Node secret_input = vector.input["secret"];
  ASSERT_TRUE(secret_input.IsMap());
  const std::set<std::string> known = {"type", "data", "stringData", "name", "immutable"};
  for (auto it = secret_input.begin(); it != secret_input.end(); ++it) {
    EXPECT_TRUE(known.contains(it->first.as<std::string>()))
        << "input.secret key \"" << it->first.as<std::string>() << "\" is not understood";
  }
  for (auto it = vector.expected.begin(); it != vector.expected.end(); ++it) {
    EXPECT_EQ(it->first.as<std::string>(), "errors") << "expected key is not understood";
  }

  // The manifest kubectl would send: data values base64-encoded.
  YAML::Node manifest;
  manifest["apiVersion"] = "v1";
  manifest["kind"] = "Secret";
  manifest["metadata"]["name"] =
      secret_input["name"] ? Text(secret_input["name"]) : std::string(kSecretName);
  manifest["metadata"]["namespace"] = "default";
  if (secret_input["type"]) manifest["type"] = Text(secret_input["type"]);
  if (secret_input["immutable"]) manifest["immutable"] = secret_input["immutable"].as<bool>();
  manifest["data"] = YAML::Node(YAML::NodeType::Map);
  if (const YAML::Node data = secret_input["data"]) {
    for (auto it = data.begin(); it != data.end(); ++it) {
      manifest["data"][it->first.as<std::string>()] = Base64(it->second.as<std::string>());
    }
  }
  if (const YAML::Node string_data = secret_input["stringData"]) {
    for (auto it = string_data.begin(); it != string_data.end(); ++it) {
      manifest["stringData"][it->first.as<std::string>()] = it->second.as<std::string>();
    }
  }
  Result<Object> parsed = ParseObject(manifest, vector.id);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  if (const YAML::Node data = secret_input["data"]) {
    // The loader decodes what was encoded.
    for (auto it = data.begin(); it != data.end(); ++it) {
      EXPECT_EQ(std::get<Secret>(*parsed).data.at(it->first.as<std::string>()),
                it->second.as<std::string>());
    }
  }

  const std::vector<std::string> want = Strings(vector.expected["errors"]);
  Object defaulted = *parsed;
  DefaultObject(defaulted);
  EXPECT_EQ(ErrorStrings(ValidateSecret(std::get<Secret>(defaulted))), want);

  Cluster cluster;
  const Result<ApplyOutcome> created = cluster.Create(*parsed);
  EXPECT_EQ(created.has_value(), want.empty());
  if (!created) {
    EXPECT_EQ(created.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(created.error().message, "Secret \"" + MetaOf(*parsed).name + "\" is invalid: " +
                                           credentials::AggregateErrorText(want));
  }
}

INSTANTIATE_TEST_SUITE_P(DockerConfigYaml, SecretValidationVector,
                         ::testing::ValuesIn(SecretVectors()), testing::VectorIdAndRulesName);

}  // namespace
}  // namespace pullsim::cluster
