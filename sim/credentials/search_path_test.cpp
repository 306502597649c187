// The node's docker config search (CRED-02, CRED-03) and its cache (CRED-16).
#include "sim/credentials/search_path.h"

#include <gtest/gtest.h>

#include "sim/credentials/node_docker_config.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::credentials {
namespace {

using pullsim::testing::CoversRule;
using pullsim::testing::CoversRules;

const KubeletPaths kPaths{"/var/lib/kubelet", "/srv/kubelet", "/home/kubelet"};

constexpr const char* kConfigA = R"({"auths":{"a.example":{"auth":"YTphYQ=="}}})";
constexpr const char* kConfigB = R"({"auths":{"b.example":{"auth":"YjpiYg=="}}})";
constexpr const char* kDockercfgD = R"({"d.example":{"auth":"ZDpkZA=="}})";

class UnreadableFileSystem final : public NodeFileSystem {
 public:
  Result<std::string> ReadFile(std::string_view path) const override {
    if (path == "/var/lib/kubelet/config.json") {
      return Fail(ErrorCode::kPermissionDenied, "permission denied", std::string(path));
    }
    return files.ReadFile(path);
  }
  MapFileSystem files;
};

TEST(SearchPath, CRED_02_CRED_03_CandidatesInKubeletOrder) {
  CoversRules({"CRED-02", "CRED-03"});
  std::vector<std::string> paths;
  for (const SearchCandidate& candidate : DockerConfigSearchPath(kPaths)) {
    paths.push_back(candidate.path);
  }
  EXPECT_EQ(paths,
            (std::vector<std::string>{"/var/lib/kubelet/config.json", "/srv/kubelet/config.json",
                                      "/home/kubelet/.docker/config.json", "/.docker/config.json",
                                      "/var/lib/kubelet/.dockercfg", "/srv/kubelet/.dockercfg",
                                      "/home/kubelet/.dockercfg", "/.dockercfg"}));
  // Without $HOME, upstream's home entries become relative and land in the working directory.
  KubeletPaths no_home{"/var/lib/kubelet/", "/srv/kubelet", ""};
  std::vector<SearchCandidate> fallback = DockerConfigSearchPath(no_home);
  EXPECT_EQ(fallback[0].path, "/var/lib/kubelet/config.json");
  EXPECT_EQ(fallback[2].path, "/srv/kubelet/.docker/config.json");
  EXPECT_EQ(fallback[6].path, "/srv/kubelet/.dockercfg");
}

TEST(SearchPath, CRED_02_FirstFileThatParsesWinsAndIsNeverMerged) {
  CoversRule("CRED-02");
  MapFileSystem files({{"/var/lib/kubelet/config.json", "{\"auths\": {"},
                       {"/srv/kubelet/config.json", kConfigA},
                       {"/home/kubelet/.docker/config.json", kConfigB}});
  NodeDockerConfig found = FindNodeDockerConfig(files, kPaths);
  ASSERT_TRUE(found.file_used.has_value());
  EXPECT_EQ(*found.file_used, "/srv/kubelet/config.json");
  ASSERT_EQ(found.config.size(), 1u);
  EXPECT_EQ(found.config.items[0].registry_key, "a.example");
  ASSERT_EQ(found.skipped.size(), 1u);
  EXPECT_EQ(found.skipped[0].path, "/var/lib/kubelet/config.json");
  EXPECT_EQ(found.skipped[0].reason.ToString(),
            "/var/lib/kubelet/config.json:1:12: unexpected end of JSON input");
}

TEST(SearchPath, CRED_02_UnreadableFilesAreSkipped) {
  CoversRule("CRED-02");
  UnreadableFileSystem files;
  files.files.Write("/var/lib/kubelet/config.json", kConfigA);
  files.files.Write("/.docker/config.json", kConfigB);
  NodeDockerConfig found = FindNodeDockerConfig(files, kPaths);
  EXPECT_EQ(found.file_used.value_or(""), "/.docker/config.json");
  ASSERT_EQ(found.skipped.size(), 1u);
  EXPECT_EQ(found.skipped[0].reason.code, ErrorCode::kPermissionDenied);
}

TEST(SearchPath, CRED_02_AnEmptyValidConfigJsonStillWins) {
  CoversRule("CRED-02");
  MapFileSystem files(
      {{"/srv/kubelet/config.json", R"({"auths":{}})"}, {"/home/kubelet/.dockercfg", kDockercfgD}});
  NodeDockerConfig found = FindNodeDockerConfig(files, kPaths);
  EXPECT_EQ(found.file_used.value_or(""), "/srv/kubelet/config.json");
  EXPECT_TRUE(found.config.empty());
}

TEST(SearchPath, CRED_03_DockercfgOnlyWithoutUsableConfigJson) {
  CoversRule("CRED-03");
  MapFileSystem files({{"/home/kubelet/.docker/config.json", R"({"auths":{"r":{"auth":"!"}}})"},
                       {"/home/kubelet/.dockercfg", kDockercfgD}});
  NodeDockerConfig found = FindNodeDockerConfig(files, kPaths);
  EXPECT_EQ(found.file_used.value_or(""), "/home/kubelet/.dockercfg");
  EXPECT_EQ(found.format, DockerConfigFormat::kDockercfg);
  ASSERT_EQ(found.config.size(), 1u);
  EXPECT_EQ(found.config.items[0].entry.username, "d");
  EXPECT_FALSE(FindNodeDockerConfig(MapFileSystem(), kPaths).file_used.has_value());
}

TEST(NodeDockerConfigProvider, CRED_16_CachesForFiveMinutes) {
  CoversRule("CRED-16");
  MapFileSystem files({{"/var/lib/kubelet/config.json", kConfigA}});
  VirtualClock clock;
  NodeDockerConfigProvider provider(files, kPaths, clock);
  EXPECT_EQ(provider.MakeKeyring().Index(), std::vector<std::string>{"a.example"});
  files.Write("/var/lib/kubelet/config.json", kConfigB);
  clock.Advance(std::chrono::minutes(5) - std::chrono::seconds(1));
  EXPECT_EQ(provider.MakeKeyring().Index(), std::vector<std::string>{"a.example"});
  EXPECT_EQ(provider.searches(), 1);
  clock.Advance(std::chrono::seconds(1));
  Keyring refreshed = provider.MakeKeyring();
  EXPECT_EQ(refreshed.Index(), std::vector<std::string>{"b.example"});
  EXPECT_EQ(provider.searches(), 2);
  std::vector<KeyedCredential> found = refreshed.Lookup("b.example/x");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].credential.source.ToString(), "node /var/lib/kubelet/config.json");
}

}  // namespace
}  // namespace pullsim::credentials
