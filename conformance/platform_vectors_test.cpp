// ARCH-02..06: every vector of fixtures/vectors/platform.yaml against the oci module. The vectors
// are data, loaded at run time; each test records the rule ids its vector names. Where the two
// containerd/platforms releases differ the vector gives both answers and both are checked; where
// it gives one, it must hold under both releases.
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "sim/oci/platform.h"
#include "sim/oci/platform_matcher.h"
#include "sim/testing/covers_rule.h"
#include "sim/testing/vector_file.h"

namespace pullsim::oci {
namespace {

// The shared file's header: "subset: shared (62 of 85 vectors in this family)".
constexpr std::size_t kSharedVectorCount = 62;
constexpr std::string_view kVectorFile = "fixtures/vectors/platform.yaml";

using testing::Vector;

const testing::VectorFile& Vectors() { return testing::LoadVectorFile(kVectorFile); }

std::string Text(const YAML::Node& node) { return node ? node.as<std::string>() : std::string(); }

// The answer each release must give: the per-release maps when present, else one answer for both.
struct ReleaseAnswer {
  PlatformsRelease release;
  YAML::Node expected;
};

std::vector<ReleaseAnswer> Answers(const YAML::Node& expected) {
  const YAML::Node v021 = expected["containerd_platforms_v0_2_1"];
  const YAML::Node rc1 = expected["containerd_platforms_v1_0_0_rc1"];
  if (v021 || rc1) {
    std::vector<ReleaseAnswer> out;
    if (v021) out.push_back({PlatformsRelease::kV0_2_1, v021});
    if (rc1) out.push_back({PlatformsRelease::kV1_0_0_rc1, rc1});
    return out;
  }
  return {{PlatformsRelease::kV0_2_1, expected}, {PlatformsRelease::kV1_0_0_rc1, expected}};
}

// The vectors were derived on linux/amd64: the host fills lone components and empty OS fields.
PlatformOptions OptionsFor(PlatformsRelease release) {
  PlatformOptions options;
  options.release = release;
  options.host = HostPlatform{"linux", "amd64", ""};
  return options;
}

class PlatformVectorTest : public ::testing::TestWithParam<Vector> {
 protected:
  void SetUp() override { testing::CoversRules(vector().rules); }
  const Vector& vector() const { return GetParam(); }
};

using SelectVectorTest = PlatformVectorTest;
using ParseNormalizeVectorTest = PlatformVectorTest;
using ParseVectorTest = PlatformVectorTest;

TEST(PlatformVectors, ARCH_02_FileLoadsEveryVector) {
  testing::CoversRules({"ARCH-02", "ARCH-03", "ARCH-04", "ARCH-05", "ARCH-06"});
  const testing::VectorFile& file = Vectors();
  testing::ExpectEveryVectorLoaded(file, kSharedVectorCount);
  std::size_t known_kinds = 0;
  for (const Vector& vector : file.vectors) {
    if (vector.kind == "select_manifest" || vector.kind == "parse_normalize" ||
        vector.kind == "parse") {
      ++known_kinds;
    } else {
      ADD_FAILURE() << vector.id << ": unknown vector kind \"" << vector.kind << "\"";
    }
    EXPECT_TRUE(vector.input.IsMap() && vector.expected.IsMap())
        << file.path << ":" << vector.line << ": vector " << vector.id
        << " needs input and expected maps";
  }
  EXPECT_EQ(known_kinds, file.vectors.size());
}

// ARCH-04/05/06: Only(node) + FilterPlatforms + LimitManifests(1) picks the expected entry, or
// fails with containerd's error.
TEST_P(SelectVectorTest, ARCH_04_SelectsManifestForNode) {
  auto node = SplitPlatform(Text(vector().input["node_platform"]));
  ASSERT_TRUE(node.has_value()) << node.error().ToString();
  std::vector<std::optional<Platform>> entries;
  std::vector<std::string> entry_texts;
  for (const YAML::Node& entry : vector().input["index_entries"]) {
    if (entry.IsNull()) {
      entries.emplace_back();
      entry_texts.emplace_back();
      continue;
    }
    auto platform = SplitPlatform(entry.as<std::string>());
    ASSERT_TRUE(platform.has_value()) << platform.error().ToString();
    entries.emplace_back(std::move(*platform));
    entry_texts.push_back(entry.as<std::string>());
  }
  for (const ReleaseAnswer& answer : Answers(vector().expected)) {
    SCOPED_TRACE(std::string("containerd/platforms ") +
                 std::string(PlatformsReleaseName(answer.release)));
    const PlatformMatcher matcher = PlatformMatcher::Only(*node, OptionsFor(answer.release));
    const Result<std::size_t> chosen = SelectPlatform(entries, matcher);
    if (answer.expected["error"]) {
      ASSERT_FALSE(chosen.has_value()) << "chose entry " << *chosen;
      EXPECT_EQ(chosen.error().code, ErrorCode::kNotFound);
      EXPECT_EQ(chosen.error().message, Text(answer.expected["error"]));
      continue;
    }
    ASSERT_TRUE(chosen.has_value()) << chosen.error().ToString();
    EXPECT_EQ(*chosen, answer.expected["chosen_index"].as<std::size_t>());
    const YAML::Node want_platform = answer.expected["chosen_platform"];
    ASSERT_LT(*chosen, entries.size());
    if (want_platform.IsNull()) {
      EXPECT_FALSE(entries[*chosen].has_value());
    } else {
      EXPECT_EQ(entry_texts[*chosen], want_platform.as<std::string>());
    }
  }
}

void ExpectPlatform(const Platform& got, const YAML::Node& want, std::string_view what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(got.os, Text(want["os"]));
  EXPECT_EQ(got.architecture, Text(want["architecture"]));
  EXPECT_EQ(got.variant, Text(want["variant"]));
}

// One release's answer for Parse(specifier): its exact error, or success with whichever of the
// parsed platform, its normalisation and its Format the vector gives.
void CheckParse(const std::string& specifier, const ReleaseAnswer& answer) {
  SCOPED_TRACE(std::string("containerd/platforms ") +
               std::string(PlatformsReleaseName(answer.release)));
  const PlatformOptions options = OptionsFor(answer.release);
  const Result<Platform> parsed = ParsePlatform(specifier, options);
  const YAML::Node& want = answer.expected;
  if (want["parse_error"]) {
    ASSERT_FALSE(parsed.has_value()) << "parsed as " << FormatPlatform(*parsed);
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(parsed.error().message, Text(want["parse_error"]));
    return;
  }
  ASSERT_TRUE(want["parsed"] || want["normalized"] || want["format"] || want["ok"])
      << "the vector expects neither an error nor a result";
  if (want["ok"]) {
    ASSERT_TRUE(want["ok"].as<bool>()) << "ok: false without a parse_error";
  }
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  if (want["parsed"]) {
    ExpectPlatform(*parsed, want["parsed"], "parsed");
  }
  if (want["normalized"]) {
    ExpectPlatform(NormalizePlatform(*parsed, options), want["normalized"], "normalized");
  }
  if (want["format"]) {
    EXPECT_EQ(FormatPlatform(*parsed), Text(want["format"]));
  }
}

// ARCH-02/03: Parse, then Normalize and Format of the parsed platform, or Parse's exact error.
TEST_P(ParseNormalizeVectorTest, ARCH_02_ParsesAndNormalizes) {
  const std::string specifier = Text(vector().input["specifier"]);
  for (const ReleaseAnswer& answer : Answers(vector().expected)) CheckParse(specifier, answer);
}

// ARCH-03: Parse accepts the specifier or fails with upstream's exact message.
TEST_P(ParseVectorTest, ARCH_03_ParsesSpecifier) {
  const std::string specifier = Text(vector().input["specifier"]);
  for (const ReleaseAnswer& answer : Answers(vector().expected)) CheckParse(specifier, answer);
}

INSTANTIATE_TEST_SUITE_P(Platform, SelectVectorTest,
                         ::testing::ValuesIn(testing::VectorsOfKind(Vectors(), "select_manifest")),
                         testing::VectorIdName);
INSTANTIATE_TEST_SUITE_P(Platform, ParseNormalizeVectorTest,
                         ::testing::ValuesIn(testing::VectorsOfKind(Vectors(), "parse_normalize")),
                         testing::VectorIdName);
INSTANTIATE_TEST_SUITE_P(Platform, ParseVectorTest,
                         ::testing::ValuesIn(testing::VectorsOfKind(Vectors(), "parse")),
                         testing::VectorIdName);

}  // namespace
}  // namespace pullsim::oci
