// The strict reader's building blocks: YAML 1.2 core-schema typing, suggestions, field paths.
#include "sim/scenario/internal/reader.h"

#include <array>

#include <gtest/gtest.h>

namespace pullsim::scenario::internal {
namespace {

struct ScalarCase {
  const char* yaml;
  ScalarType type;
};

constexpr ScalarCase kScalars[] = {
    {"x: ~", ScalarType::kNull},
    {"x: null", ScalarType::kNull},
    {"x:", ScalarType::kNull},
    {"x: true", ScalarType::kBool},
    {"x: False", ScalarType::kBool},
    {"x: yes", ScalarType::kString},  // YAML 1.1 only
    {"x: on", ScalarType::kString},
    {"x: 5", ScalarType::kInt},
    {"x: -12", ScalarType::kInt},
    {"x: 0x1F", ScalarType::kInt},
    {"x: 0o17", ScalarType::kInt},
    {"x: 1.35", ScalarType::kFloat},
    {"x: 1e3", ScalarType::kFloat},
    {"x: .inf", ScalarType::kFloat},
    {"x: \"5\"", ScalarType::kString},
    {"x: '5'", ScalarType::kString},
    {"x: !!str 5", ScalarType::kString},
    {"x: !!int \"5\"", ScalarType::kInt},
    {"x: 5s", ScalarType::kString},
    {"x: 1.2.3", ScalarType::kString},
    {"x: !thing y", ScalarType::kUnsupported},
    {"x: |\n  true\n", ScalarType::kString},
};

TEST(ClassifyScalar, FollowsTheCoreSchema) {
  for (const ScalarCase& c : kScalars) {
    SCOPED_TRACE(c.yaml);
    YAML::Node node = YAML::Load(c.yaml);
    EXPECT_EQ(ClassifyScalar(node["x"]), c.type);
  }
}

TEST(Suggest, FindsLikelyTypos) {
  constexpr std::array<std::string_view, 4> kKeys = {"registryPullQPS", "registryBurst", "platform",
                                                     "description"};
  EXPECT_EQ(Suggest("registryPullQps", kKeys), "registryPullQPS");    // case
  EXPECT_EQ(Suggest("registry_pull_qps", kKeys), "registryPullQPS");  // snake_case
  EXPECT_EQ(Suggest("platfrom", kKeys), "platform");                  // transposition
  EXPECT_EQ(Suggest("descripton", kKeys), "description");             // deletion
  EXPECT_EQ(Suggest("colour", kKeys), "");
  EXPECT_EQ(Suggest("burst", kKeys), "");  // too far from registryBurst to guess
  EXPECT_EQ(Suggest("x", {}), "");
}

TEST(FieldPath, QuotesKeysThatAreNotIdentifiers) {
  EXPECT_EQ(JoinPath("", "nodes"), "nodes");
  EXPECT_EQ(JoinPath(IndexPath("nodes", 0), "kubelet"), "nodes[0].kubelet");
  EXPECT_EQ(JoinPath("auth", "registry.test"), "auth[\"registry.test\"]");
  EXPECT_EQ(JoinPath("files", "a \"b\""), "files[\"a \\\"b\\\"\"]");
}

TEST(Diagnostics, CountsWhatTheCapLeavesOut) {
  Diagnostics sink(2);
  for (int i = 0; i < 5; ++i) sink.Add(Diagnostic{});
  EXPECT_TRUE(sink.full());
  EXPECT_EQ(sink.count(), 5u);
  LoadError error = sink.Take();
  EXPECT_EQ(error.diagnostics.size(), 2u);
  EXPECT_EQ(error.omitted, 3u);
}

}  // namespace
}  // namespace pullsim::scenario::internal
