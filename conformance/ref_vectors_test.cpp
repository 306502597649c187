// REF-01..12, POL-01: every vector of fixtures/vectors/ref.yaml against the reference module. The
// vectors are data, loaded at run time; each test records the rule ids its vector names.
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "sim/core/go_quote.h"
#include "sim/reference/pull_policy.h"
#include "sim/reference/reference.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::reference {
namespace {

// The shared file holds 126 vectors (its header: "126 of 172 vectors in this family").
constexpr std::size_t kSharedVectorCount = 126;
constexpr std::string_view kVectorFile = "fixtures/vectors/ref.yaml";

struct RefVector {
  std::string id;
  std::vector<std::string> rules;
  std::string input;
  YAML::Node expected;
  std::string version_notes;
};

void PrintTo(const RefVector& vector, std::ostream* out) { *out << vector.id; }

struct LoadedVectors {
  std::vector<RefVector> vectors;
  std::string error;  // why loading stopped; empty when the whole file loaded
};

// yaml-cpp throws; a broken file becomes an error the count test reports, not a crash.
LoadedVectors LoadVectors() {
  LoadedVectors loaded;
  const std::string path = testing::SourcePath(kVectorFile).string();
  try {
    const YAML::Node root = YAML::LoadFile(path);
    if (!root.IsSequence()) {
      loaded.error = path + ": expected a list of vectors";
      return loaded;
    }
    for (const YAML::Node& node : root) {
      RefVector vector;
      vector.id = node["id"].as<std::string>();
      for (const YAML::Node& rule : node["rules"]) vector.rules.push_back(rule.as<std::string>());
      vector.input = node["input"].as<std::string>();
      vector.expected = node["expected"];
      if (node["version_notes"]) vector.version_notes = node["version_notes"].as<std::string>();
      if (!vector.expected.IsMap()) {
        loaded.error = path + ": vector " + vector.id + " has no expected map";
        return loaded;
      }
      loaded.vectors.push_back(std::move(vector));
    }
  } catch (const YAML::Exception& e) {
    loaded.error = path + ":" + std::to_string(e.mark.line + 1) + ": " + e.what();
  }
  return loaded;
}

const LoadedVectors& Vectors() {
  static const LoadedVectors loaded = LoadVectors();
  return loaded;
}

// "- id:" lines counted as text, apart from the YAML loader, so a loader that drops vectors fails.
std::size_t CountIdLines() {
  std::ifstream in(testing::SourcePath(kVectorFile));
  std::size_t count = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("- id:")) ++count;
  }
  return count;
}

std::string Text(const YAML::Node& node) { return node ? node.as<std::string>() : std::string(); }

YAML::Node Expected(const RefVector& v, std::string_view key) {
  return v.expected[std::string(key)];
}

TEST(RefVectors, REF_01_FileLoadsEveryVector) {
  testing::CoversRules({"REF-01", "REF-02", "REF-03"});
  const LoadedVectors& loaded = Vectors();
  EXPECT_EQ(loaded.error, "");
  EXPECT_GE(loaded.vectors.size(), kSharedVectorCount);
  EXPECT_EQ(loaded.vectors.size(), CountIdLines());
}

// REF-02/03/08: ParseNormalizedNamed, its parts and its familiar forms, or its exact error.
void CheckParseNormalizedNamed(const RefVector& v) {
  const YAML::Node want = Expected(v, "parse_normalized_named");
  ASSERT_TRUE(want.IsMap());
  const Result<Reference> got = ParseNormalizedNamed(v.input);
  if (want["error"]) {
    ASSERT_FALSE(got.has_value()) << "parsed as " << got->String();
    EXPECT_EQ(got.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(got.error().message, Text(want["error"]));
    return;
  }
  ASSERT_TRUE(got.has_value()) << got.error().message;
  EXPECT_EQ(got->Name(), Text(want["name"]));
  EXPECT_EQ(got->String(), Text(want["string"]));
  EXPECT_EQ(got->domain, Text(want["domain"]));
  EXPECT_EQ(got->path, Text(want["path"]));
  EXPECT_EQ(got->tag, Text(want["tag"]));  // absent key: no tag
  EXPECT_EQ(got->digest, Text(want["digest"]));
  EXPECT_EQ(got->FamiliarName(), Text(want["familiar_name"]));
  EXPECT_EQ(got->FamiliarString(), Text(want["familiar_string"]));
}

// REF-09: containerd's ParseDockerRef, given for every vector that normalises.
void CheckParseDockerRef(const RefVector& v) {
  const YAML::Node want = Expected(v, "parse_normalized_named")["parse_docker_ref"];
  const Result<Reference> got = ParseDockerRef(v.input);
  if (!want) {
    EXPECT_FALSE(got.has_value()) << "parsed as " << got->String();
    return;
  }
  ASSERT_TRUE(got.has_value()) << got.error().message;
  EXPECT_EQ(got->String(), Text(want));
}

// REF-07: ParseNamed is "ok" only for canonical input.
void CheckParseNamed(const RefVector& v) {
  const YAML::Node want = Expected(v, "parse_named");
  const Result<Reference> got = ParseNamed(v.input);
  if (want.IsScalar()) {
    ASSERT_EQ(Text(want), "ok");
    EXPECT_TRUE(got.has_value()) << got.error().message;
    if (got) {
      EXPECT_EQ(got->String(), v.input);
    }
    return;
  }
  ASSERT_FALSE(got.has_value()) << "parsed as " << got->String();
  EXPECT_EQ(got.error().message, Text(want["error"]));
}

// REF-07: the raw grammar, no normalisation.
void CheckParse(const RefVector& v) {
  const YAML::Node want = Expected(v, "parse");
  ASSERT_TRUE(want.IsMap());
  const Result<Reference> got = Parse(v.input);
  if (want["error"]) {
    ASSERT_FALSE(got.has_value()) << "parsed as " << got->String();
    EXPECT_EQ(got.error().message, Text(want["error"]));
    return;
  }
  ASSERT_TRUE(got.has_value()) << got.error().message;
  EXPECT_EQ(got->String(), Text(want["string"]));
  EXPECT_EQ(got->domain, Text(want["domain"]));
}

// REF-10: the kubelet's repository, tag and digest, or its wrapped error.
void CheckParseImageName(const RefVector& v) {
  const YAML::Node want = Expected(v, "kubelet")["parse_image_name"];
  ASSERT_TRUE(want.IsMap());
  const Result<ImageName> got = ParseImageName(v.input);
  if (want["error"]) {
    ASSERT_FALSE(got.has_value()) << "parsed as " << got->repository;
    EXPECT_EQ(got.error().message, Text(want["error"]));
    return;
  }
  ASSERT_TRUE(got.has_value()) << got.error().message;
  EXPECT_EQ(got->repository, Text(want["repo"]));
  EXPECT_EQ(got->tag, Text(want["tag"]));
  EXPECT_EQ(got->digest, Text(want["digest"]));
}

// REF-11: the string handed to the runtime; an image that does not parse has none, and the
// kubelet's InspectFailed event quotes the image and the same error.
void CheckCriImage(const RefVector& v) {
  const YAML::Node kubelet = Expected(v, "kubelet");
  const Result<std::string> got = ApplyDefaultImageTag(v.input);
  if (kubelet["cri_image"]) {
    ASSERT_TRUE(got.has_value()) << got.error().message;
    EXPECT_EQ(*got, Text(kubelet["cri_image"]));
    return;
  }
  ASSERT_FALSE(got.has_value()) << "became " << *got;
  EXPECT_EQ(got.error().message, Text(kubelet["parse_image_name"]["error"]));
  if (const YAML::Node event = kubelet["kubelet_invalid_image_event"]) {
    EXPECT_EQ(Text(event["message"]),
              "Failed to apply default image tag " + GoQuote(v.input) + ": " + got.error().message);
  }
  if (kubelet["waiting_reason"]) {
    EXPECT_EQ(Text(kubelet["waiting_reason"]), "InvalidImageName");
  }
}

// POL-01: the policy defaulting assigns when imagePullPolicy is empty.
void CheckDefaultPullPolicy(const RefVector& v) {
  const YAML::Node want = Expected(v, "kubelet")["default_pull_policy"];
  ASSERT_TRUE(want.IsScalar());
  EXPECT_EQ(PullPolicyName(DefaultPullPolicy(v.input)), Text(want));
}

class RefVectorTest : public ::testing::TestWithParam<RefVector> {};

// One vector through every entry point it has an expectation for; SCOPED_TRACE names the one
// that failed. One test per vector, not per entry point, keeps ctest to ~130 processes.
TEST_P(RefVectorTest, REF_01_MatchesUpstream) {
  const RefVector& vector = GetParam();
  testing::CoversRules(vector.rules);
  {
    SCOPED_TRACE("REF-02 ParseNormalizedNamed");
    CheckParseNormalizedNamed(vector);
  }
  {
    SCOPED_TRACE("REF-09 ParseDockerRef");
    CheckParseDockerRef(vector);
  }
  {
    SCOPED_TRACE("REF-07 ParseNamed");
    CheckParseNamed(vector);
  }
  {
    SCOPED_TRACE("REF-07 Parse");
    CheckParse(vector);
  }
  {
    SCOPED_TRACE("REF-10 ParseImageName");
    CheckParseImageName(vector);
  }
  {
    SCOPED_TRACE("REF-11 CriImage");
    CheckCriImage(vector);
  }
  {
    SCOPED_TRACE("POL-01 DefaultPullPolicy");
    CheckDefaultPullPolicy(vector);
  }
}

// REF-04/REF-12: vectors whose notes say older parsers counted the domain in the 255 limit parse
// here because only the path counts, and would not under the old rule.
TEST(RefVectors, REF_12_VersionNotesOnTheLengthLimit) {
  testing::CoversRules({"REF-04", "REF-12"});
  int checked = 0;
  for (const RefVector& vector : Vectors().vectors) {
    if (vector.version_notes.find("255") == std::string::npos) continue;
    SCOPED_TRACE(vector.id);
    ++checked;
    const Result<Reference> got = ParseNormalizedNamed(vector.input);
    ASSERT_TRUE(got.has_value()) << got.error().message;
    EXPECT_LE(got->path.size(), 255u);
    EXPECT_GT(got->Name().size(), 255u);
  }
  EXPECT_GE(checked, 1);
}

std::string VectorName(const ::testing::TestParamInfo<RefVector>& param) {
  std::string name = param.param.id;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(RefYaml, RefVectorTest, ::testing::ValuesIn(Vectors().vectors),
                         VectorName);

}  // namespace
}  // namespace pullsim::reference
