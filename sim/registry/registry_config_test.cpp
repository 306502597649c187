// REGISTRY.yaml: parsing, strict errors with positions, and loading synthetic and layout images.
#include "sim/registry/registry_config.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/oci/image_layout.h"
#include "sim/registry/image_loader.h"
#include "sim/registry/in_process_transport.h"
#include "sim/registry/testing_helpers.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::registry {
namespace {

using namespace pullsim::registry::testing;

constexpr std::string_view kExample = R"(# two tenants and a public area
service: registry.test
auth: token
token_ttl: 10m
users:
  - {name: alice, password: alice-pw}
  - {name: bob, password_hash: "$2b$05$Nw0Q96F17cYSr1Oq8w02HOHXOde60w8attB.3QPBsv2EtPaQg3v6C"}
access:
  - {repositories: "public/**", pull: ["*"], push: [alice]}
  - {repositories: "tenant-a/**", pull: [alice], push: [alice]}
  - {repositories: "tenant-b/**", pull: [bob], push: [bob], delete: []}
images:
  - {repository: public/base, tag: "1.0", platforms: [linux/amd64, linux/arm64], layers: [1KiB, 2048]}
  - {repository: tenant-a/app, tag: v1, format: docker, layers: [512], seed: 7}
rate_limits:
  - {repositories: "public/**", limit: 100, window: 6h}
faults:
  - name: slow-blobs
    match: {repositories: "tenant-b/**", endpoints: [blob], methods: [GET]}
    latency: 200ms
    bandwidth: 1MiB/s
  - {match: {endpoints: manifest}, status: 503, times: 1, after: 2}
)";

TEST(RegistryConfig, ReadsTheDocumentedExample) {
  auto config = ParseRegistryConfig(kExample, "REGISTRY.yaml", ".");
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  const AuthOptions& auth = config->options.auth;
  EXPECT_EQ(auth.mode, AuthMode::kToken);
  EXPECT_EQ(auth.service, "registry.test");
  EXPECT_EQ(auth.token_ttl, std::chrono::minutes(10));
  ASSERT_EQ(auth.users.size(), 2u);
  EXPECT_EQ(auth.users[1].password_hash.substr(0, 4), "$2b$");
  ASSERT_TRUE(auth.policy.has_value());
  EXPECT_TRUE(auth.policy->Allows("", "public/base", Action::kPull));
  EXPECT_FALSE(auth.policy->Allows("bob", "tenant-a/app", Action::kPull));
  EXPECT_TRUE(auth.policy->Allows("alice", "tenant-a/app", Action::kDelete));  // as push
  EXPECT_FALSE(auth.policy->Allows("bob", "tenant-b/app", Action::kDelete));   // said otherwise
  ASSERT_EQ(config->images.size(), 2u);
  ASSERT_TRUE(config->images[0].spec.has_value());
  EXPECT_EQ(config->images[0].spec->layer_sizes, (std::vector<std::int64_t>{1024, 2048}));
  EXPECT_EQ(config->images[1].spec->format, oci::ImageFormat::kDocker);
  ASSERT_EQ(config->options.rate_limits.size(), 1u);
  EXPECT_EQ(config->options.rate_limits[0].window, std::chrono::hours(6));
  ASSERT_EQ(config->options.faults.size(), 2u);
  EXPECT_EQ(config->options.faults[0].bandwidth, 1u << 20);
  EXPECT_EQ(config->options.faults[1].match.endpoints,
            (std::vector<oci::RegistryEndpoint>{oci::RegistryEndpoint::kManifest}));
}

// The example in sim/registry/README.md is a valid REGISTRY.yaml.
TEST(RegistryConfig, ReadmeExampleParses) {
  std::ifstream in(pullsim::testing::SourcePath("sim/registry/README.md"));
  ASSERT_TRUE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const std::size_t section = readme.find("## REGISTRY.yaml");
  ASSERT_NE(section, std::string::npos);
  const std::size_t start = readme.find("```yaml\n", section);
  ASSERT_NE(start, std::string::npos);
  const std::size_t end = readme.find("```\n", start + 8);
  ASSERT_NE(end, std::string::npos);
  auto config = ParseRegistryConfig(readme.substr(start + 8, end - start - 8), "README.md", ".");
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  EXPECT_EQ(config->options.auth.mode, AuthMode::kToken);
  EXPECT_EQ(config->images.size(), 3u);
  EXPECT_EQ(config->options.faults.size(), 3u);
}

TEST(RegistryConfig, EmptyFileIsAnOpenRegistry) {
  auto config = ParseRegistryConfig("", "empty.yaml", ".");
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->options.auth.mode, AuthMode::kNone);
  EXPECT_TRUE(config->images.empty());
}

struct BadConfig {
  const char* yaml;
  const char* where;
  const char* message;
};

constexpr BadConfig kBadConfigs[] = {
    {"servce: x\n", "r.yaml:1:1 servce", "unknown key \"servce\""},
    {"auth: ldap\n", "r.yaml:1:7 auth", "expected \"none\", \"basic\" or \"token\""},
    {"auth: basic\nusers:\n  - {name: a}\n", "r.yaml:3:5 users[0]", "exactly one of"},
    {"users:\n  - {name: a, password: b}\n", "r.yaml:2:3 users", "need \"auth: basic\""},
    {"auth: basic\nusers: [{name: a, password: b}]\naccess:\n  - {repositories: \"x/**\", pull: "
     "[zed]}\n",
     "r.yaml:4:5 access[0]", "unknown user \"zed\""},
    {"access:\n  - {repositories: \"X/**\"}\n", "r.yaml:2:20 access[0].repositories",
     "cannot occur in a repository name"},
    {"images:\n  - {repository: App}\n", "r.yaml:2:18 images[0].repository", "uppercase"},
    {"images:\n  - {repository: app, layers: [1XB]}\n", "r.yaml:2:32 images[0].layers[0]",
     "is not a size"},
    {"images:\n  - {repository: app, layout: dir, seed: 1}\n", "r.yaml:2:42 images[0].seed",
     "not with \"layout\""},
    {"faults:\n  - {latency: soon}\n", "r.yaml:2:15 faults[0].latency", "invalid duration"},
    {"faults:\n  - {match: {endpoints: [blobs]}}\n", "r.yaml:2:26 faults[0].match.endpoints[0]",
     "unknown endpoint \"blobs\""},
    {"faults:\n  - {status: 200}\n", "r.yaml:2:14 faults[0].status", "400..599"},
    {"rate_limits:\n  - {window: 1h}\n", "r.yaml:2:5 rate_limits[0]", "missing \"limit\""},
    {"images: {repository: app}\n", "r.yaml:1:9 images", "expected a list"},
    {"auth: [unclosed\n", "r.yaml:2:1", "malformed YAML"},
};

TEST(RegistryConfig, ErrorsNameFileLineColumnAndField) {
  for (const BadConfig& bad : kBadConfigs) {
    SCOPED_TRACE(bad.yaml);
    auto config = ParseRegistryConfig(bad.yaml, "r.yaml", ".");
    ASSERT_FALSE(config.has_value());
    EXPECT_EQ(config.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(config.error().where, bad.where) << config.error().ToString();
    EXPECT_NE(config.error().message.find(bad.message), std::string::npos)
        << config.error().message;
  }
}

TEST(RegistryConfig, LoadsSyntheticImagesIntoTheRegistry) {
  auto config = ParseRegistryConfig(kExample, "REGISTRY.yaml", ".");
  ASSERT_TRUE(config.has_value());
  VirtualClock clock;
  Registry registry(clock);  // open registry: only the content matters here
  ASSERT_TRUE(LoadImages(registry, config->images).has_value());
  InProcessTransport transport(registry);
  auto index =
      Send(transport, Request(HttpMethod::kGet, RegistryEndpoint::kManifest, "public/base", "1.0"));
  ASSERT_EQ(index.status, 200);
  EXPECT_EQ(index.headers.Get("Content-Type"), kOciIndex);
  auto doc = nlohmann::json::parse(index.body.view());
  ASSERT_EQ(doc["manifests"].size(), 2u);
  for (const auto& entry : doc["manifests"]) {
    auto child = Send(transport, Request(HttpMethod::kGet, RegistryEndpoint::kManifest,
                                         "public/base", entry["digest"].get<std::string>()));
    EXPECT_EQ(child.status, 200);
    auto manifest = nlohmann::json::parse(child.body.view());
    for (const auto& layer : manifest["layers"]) {
      EXPECT_EQ(Send(transport, Request(HttpMethod::kHead, RegistryEndpoint::kBlob, "public/base",
                                        layer["digest"].get<std::string>()))
                    .status,
                200);
    }
  }
  auto docker =
      Send(transport, Request(HttpMethod::kGet, RegistryEndpoint::kManifest, "tenant-a/app", "v1"));
  EXPECT_EQ(docker.headers.Get("Content-Type"),
            "application/vnd.docker.distribution.manifest.v2+json");
}

TEST(RegistryConfig, LoadsImagesFromAnOciLayout) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("pullsim-registry-layout-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  oci::ImageBuilder builder;
  oci::ImageSpec spec;
  spec.repository = "layout/app";
  spec.tag = "2.0";
  spec.platforms = {"linux/amd64", "linux/arm64"};
  spec.layer_sizes = {4096};
  auto built = builder.Build(spec);
  ASSERT_TRUE(built.has_value());
  oci::ImageLayout layout;
  oci::AddImage(layout, *built);
  ASSERT_TRUE(oci::WriteImageLayout(dir, layout).has_value());

  auto config = ParseRegistryConfig(
      "images:\n  - {repository: mirror/app, layout: " + dir.filename().string() + "}\n", "r.yaml",
      dir.parent_path());
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  VirtualClock clock;
  Registry registry(clock);
  auto loaded = LoadImages(registry, config->images);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().ToString();
  InProcessTransport transport(registry);
  auto index =
      Send(transport, Request(HttpMethod::kGet, RegistryEndpoint::kManifest, "mirror/app", "2.0"));
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.headers.Get("Docker-Content-Digest"), built->root.descriptor.digest.str());

  auto missing = ParseRegistryConfig("images:\n  - {repository: x, layout: nowhere}\n", "r.yaml",
                                     dir.parent_path());
  ASSERT_TRUE(missing.has_value());
  auto failed = LoadImages(registry, missing->images);
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().where, "r.yaml:2:5 images[0]");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace pullsim::registry
