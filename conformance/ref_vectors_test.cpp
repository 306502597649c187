// REF-01..12, POL-01: every vector of fixtures/vectors/ref.yaml against the reference module. The
// vectors are data, loaded at run time; each test records the rule ids its vector names.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "sim/core/go_quote.h"
#include "sim/reference/pull_policy.h"
#include "sim/reference/reference.h"
#include "sim/testing/covers_rule.h"
#include "sim/testing/vector_file.h"

namespace pullsim::reference {
namespace {

// The shared file holds 126 vectors (its header: "126 of 172 vectors in this family").
constexpr std::size_t kSharedVectorCount = 126;
constexpr std::string_view kVectorFile = "fixtures/vectors/ref.yaml";

using testing::Vector;

const testing::VectorFile& Vectors() { return testing::LoadVectorFile(kVectorFile); }

std::string Text(const YAML::Node& node) { return node ? node.as<std::string>() : std::string(); }

// A ref vector's input is the reference text itself.
std::string Input(const Vector& v) { return v.input.as<std::string>(); }

YAML::Node Expected(const Vector& v, std::string_view key) { return v.expected[std::string(key)]; }

TEST(RefVectors, REF_01_FileLoadsEveryVector) {
  testing::CoversRules({"REF-01", "REF-02", "REF-03"});
  const testing::VectorFile& file = Vectors();
  testing::ExpectEveryVectorLoaded(file, kSharedVectorCount);
  for (const Vector& vector : file.vectors) {
    EXPECT_TRUE(vector.input.IsScalar() && vector.expected.IsMap())
        << file.path << ":" << vector.line << ": vector " << vector.id
        << " needs a reference as input and an expected map";
  }
}

// REF-02/03/08: ParseNormalizedNamed, its parts and its familiar forms, or its exact error.
void CheckParseNormalizedNamed(const Vector& v) {
  const YAML::Node want = Expected(v, "parse_normalized_named");
  ASSERT_TRUE(want.IsMap());
  const Result<Reference> got = ParseNormalizedNamed(Input(v));
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
void CheckParseDockerRef(const Vector& v) {
  const YAML::Node want = Expected(v, "parse_normalized_named")["parse_docker_ref"];
  const Result<Reference> got = ParseDockerRef(Input(v));
  if (!want) {
    EXPECT_FALSE(got.has_value()) << "parsed as " << got->String();
    return;
  }
  ASSERT_TRUE(got.has_value()) << got.error().message;
  EXPECT_EQ(got->String(), Text(want));
}

// REF-07: ParseNamed is "ok" only for canonical input.
void CheckParseNamed(const Vector& v) {
  const YAML::Node want = Expected(v, "parse_named");
  const Result<Reference> got = ParseNamed(Input(v));
  if (want.IsScalar()) {
    ASSERT_EQ(Text(want), "ok");
    EXPECT_TRUE(got.has_value()) << got.error().message;
    if (got) {
      EXPECT_EQ(got->String(), Input(v));
    }
    return;
  }
  ASSERT_FALSE(got.has_value()) << "parsed as " << got->String();
  EXPECT_EQ(got.error().message, Text(want["error"]));
}

// REF-07: the raw grammar, no normalisation.
void CheckParse(const Vector& v) {
  const YAML::Node want = Expected(v, "parse");
  ASSERT_TRUE(want.IsMap());
  const Result<Reference> got = Parse(Input(v));
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
void CheckParseImageName(const Vector& v) {
  const YAML::Node want = Expected(v, "kubelet")["parse_image_name"];
  ASSERT_TRUE(want.IsMap());
  const Result<ImageName> got = ParseImageName(Input(v));
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
void CheckCriImage(const Vector& v) {
  const YAML::Node kubelet = Expected(v, "kubelet");
  const Result<std::string> got = ApplyDefaultImageTag(Input(v));
  if (kubelet["cri_image"]) {
    ASSERT_TRUE(got.has_value()) << got.error().message;
    EXPECT_EQ(*got, Text(kubelet["cri_image"]));
    return;
  }
  ASSERT_FALSE(got.has_value()) << "became " << *got;
  EXPECT_EQ(got.error().message, Text(kubelet["parse_image_name"]["error"]));
  if (const YAML::Node event = kubelet["kubelet_invalid_image_event"]) {
    EXPECT_EQ(Text(event["message"]), "Failed to apply default image tag " + GoQuote(Input(v)) +
                                          ": " + got.error().message);
  }
  if (kubelet["waiting_reason"]) {
    EXPECT_EQ(Text(kubelet["waiting_reason"]), "InvalidImageName");
  }
}

// POL-01: the policy defaulting assigns when imagePullPolicy is empty.
void CheckDefaultPullPolicy(const Vector& v) {
  const YAML::Node want = Expected(v, "kubelet")["default_pull_policy"];
  ASSERT_TRUE(want.IsScalar());
  EXPECT_EQ(PullPolicyName(DefaultPullPolicy(Input(v))), Text(want));
}

class RefVectorTest : public ::testing::TestWithParam<Vector> {};

// One vector through every entry point it has an expectation for; SCOPED_TRACE names the one
// that failed. One test per vector, not per entry point, keeps ctest to ~130 processes.
TEST_P(RefVectorTest, REF_01_MatchesUpstream) {
  const Vector& vector = GetParam();
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
  for (const Vector& vector : Vectors().vectors) {
    if (Text(vector.entry["version_notes"]).find("255") == std::string::npos) continue;
    SCOPED_TRACE(vector.id);
    ++checked;
    const Result<Reference> got = ParseNormalizedNamed(Input(vector));
    ASSERT_TRUE(got.has_value()) << got.error().message;
    EXPECT_LE(got->path.size(), 255u);
    EXPECT_GT(got->Name().size(), 255u);
  }
  EXPECT_GE(checked, 1);
}

INSTANTIATE_TEST_SUITE_P(RefYaml, RefVectorTest, ::testing::ValuesIn(Vectors().vectors),
                         testing::VectorIdName);

}  // namespace
}  // namespace pullsim::reference
