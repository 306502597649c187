// Real clients against the HTTP front (label interop): skopeo copies a multi-arch image in and
// out with Basic auth and with bearer tokens (plain HTTP and TLS), skopeo inspect reads
// manifests, and wrong credentials fail with the very message skopeo prints against Debian's
// docker-registry.
#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/oci/image_builder.h"
#include "sim/oci/image_layout.h"
#include "sim/registry/http_front.h"
#include "sim/registry/registry.h"
#include "sim/registry/testing_processes.h"

namespace pullsim::registry {
namespace {

using namespace pullsim::registry::testing;

constexpr const char* kSkopeo = "/usr/bin/skopeo";
constexpr std::string_view kAliceHash =
    "$2b$05$WHRr47kT5CXlxDINpiwv8eqsnUG2NQGm/7kByIMrMK5fAq6BFY9j.";  // alice-pw

RegistryOptions AuthOptionsFor(AuthMode mode) {
  RegistryOptions options;
  options.auth.mode = mode;
  options.auth.realm = "basic-realm";
  options.auth.service = "pullsim-skopeo";
  options.auth.users = {{"alice", "alice-pw", ""}};
  return options;
}

// skopeo's fatal message without the logrus frame: `msg="..."` unquoted.
std::string FatalMessage(const std::string& output) {
  std::smatch match;
  static const std::regex kMsg(R"re(msg="((?:[^"\\]|\\.)*)")re");
  std::string last;
  for (auto it = std::sregex_iterator(output.begin(), output.end(), kMsg);
       it != std::sregex_iterator(); ++it) {
    last = (*it)[1].str();
  }
  return last.empty() ? output : last;
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

class SkopeoInterop : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!IsExecutable(kSkopeo)) GTEST_SKIP() << "skopeo is not installed";
    oci::ImageSpec spec;
    spec.repository = "team/app";
    spec.tag = "1.0";
    spec.platforms = {"linux/amd64", "linux/arm64", "linux/arm/v7"};
    spec.base_layers = {{"base", 8192}};
    spec.layer_sizes = {64 * 1024, 300 * 1024};
    auto built = builder_.Build(spec);
    ASSERT_TRUE(built.has_value()) << built.error().ToString();
    image_ = *built;
    oci::ImageLayout layout;
    oci::AddImage(layout, image_);
    ASSERT_TRUE(oci::WriteImageLayout(dir_.path() / "source", layout).has_value());
  }

  void StartFront(RegistryOptions options, bool tls = false) {
    registry_ = std::make_unique<Registry>(clock_, std::move(options));
    HttpFrontOptions front_options;
    front_options.tls = tls;
    auto front = HttpFront::Start(*registry_, front_options);
    ASSERT_TRUE(front.has_value()) << front.error().ToString();
    front_ = std::move(*front);
  }

  ProcessResult Skopeo(std::vector<std::string> args) {
    args.insert(args.begin(), kSkopeo);
    return RunProcess(args, dir_.path());
  }

  // skopeo copy --all from the OCI layout into the front, then out into a new layout; checks
  // that the index and every blob survived the round trip.
  void RoundTrip(const std::string& creds) {
    const std::string ref = "docker://" + front_->authority() + "/team/app:1.0";
    auto push =
        Skopeo({"copy", "--all", "--insecure-policy", "--dest-tls-verify=false", "--dest-creds",
                creds, "oci:" + (dir_.path() / "source").string() + ":1.0", ref});
    ASSERT_EQ(push.exit_code, 0) << push.output;
    auto stored = registry_->store().GetManifest("team/app", "1.0");
    ASSERT_NE(stored, nullptr);
    EXPECT_EQ(stored->digest, image_.root.descriptor.digest);
    EXPECT_EQ(stored->manifests.size(), 3u);

    auto pull =
        Skopeo({"copy", "--all", "--insecure-policy", "--src-tls-verify=false", "--src-creds",
                creds, ref, "oci:" + (dir_.path() / "copy").string() + ":1.0"});
    ASSERT_EQ(pull.exit_code, 0) << pull.output;
    auto copied = oci::ReadImageLayout(dir_.path() / "copy");
    ASSERT_TRUE(copied.has_value()) << copied.error().ToString();
    const oci::Descriptor* root = copied->Find("1.0");
    ASSERT_NE(root, nullptr);
    EXPECT_EQ(root->digest, image_.root.descriptor.digest);
    for (const oci::Blob& blob : image_.AllBlobs()) {
      EXPECT_NE(copied->Bytes(blob.descriptor.digest), nullptr) << blob.descriptor.digest.str();
    }
  }

  SystemClock clock_;
  TempDir dir_{"pullsim-skopeo"};
  oci::ImageBuilder builder_;
  oci::BuiltImage image_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<HttpFront> front_;
};

TEST_F(SkopeoInterop, CopyAllRoundTripWithBasicAuth) {
  StartFront(AuthOptionsFor(AuthMode::kBasic));
  RoundTrip("alice:alice-pw");
}

TEST_F(SkopeoInterop, CopyAllRoundTripWithBearerTokens) {
  StartFront(AuthOptionsFor(AuthMode::kToken));
  RoundTrip("alice:alice-pw");
  const auto entries = registry_->log().Entries();
  EXPECT_GT(std::count_if(entries.begin(), entries.end(),
                          [](const RequestLogEntry& e) {
                            return e.endpoint == oci::RegistryEndpoint::kToken && e.status == 200;
                          }),
            0);
  EXPECT_GT(std::count_if(entries.begin(), entries.end(),
                          [](const RequestLogEntry& e) { return e.identity == "alice"; }),
            0);
}

TEST_F(SkopeoInterop, CopyAllRoundTripWithTokensOverTls) {
  StartFront(AuthOptionsFor(AuthMode::kToken), /*tls=*/true);
  RoundTrip("alice:alice-pw");
}

TEST_F(SkopeoInterop, InspectReadsManifests) {
  StartFront({});
  RoundTrip("anyone:anything");  // an open registry ignores credentials it does not need
  const std::string ref = "docker://" + front_->authority() + "/team/app:1.0";
  auto raw = Skopeo({"inspect", "--raw", "--tls-verify=false", ref});
  ASSERT_EQ(raw.exit_code, 0) << raw.output;
  EXPECT_EQ(raw.output, *image_.root.bytes);
  auto amd = Skopeo({"inspect", "--tls-verify=false", ref});
  ASSERT_EQ(amd.exit_code, 0) << amd.output;
  auto amd_json = nlohmann::json::parse(amd.output, nullptr, false);
  ASSERT_FALSE(amd_json.is_discarded()) << amd.output;
  EXPECT_EQ(amd_json["Digest"], image_.root.descriptor.digest.str());
  EXPECT_EQ(amd_json["Architecture"], "amd64");
  EXPECT_EQ(amd_json["RepoTags"], nlohmann::json::array({"1.0"}));
  auto arm = Skopeo({"--override-arch", "arm64", "inspect", "--tls-verify=false", ref});
  ASSERT_EQ(arm.exit_code, 0) << arm.output;
  EXPECT_EQ(nlohmann::json::parse(arm.output)["Architecture"], "arm64");
  auto config = Skopeo({"inspect", "--config", "--raw", "--tls-verify=false", ref});
  ASSERT_EQ(config.exit_code, 0) << config.output;
  EXPECT_EQ(config.output, *image_.platforms[0].config.bytes);
}

// The message skopeo prints for wrong credentials is the same against pullsim (auth: basic)
// and against docker-registry (htpasswd), for reading and for pushing.
TEST_F(SkopeoInterop, WrongCredentialsFailAsAgainstDockerRegistry) {
  DockerRegistryProcess docker;
  auto started = docker.Start(dir_.path() / "docker-registry", "basic",
                              "alice:" + std::string(kAliceHash) + "\n");
  if (!started) GTEST_SKIP() << started.error().ToString();
  StartFront(AuthOptionsFor(AuthMode::kBasic));
  const std::string source = "oci:" + (dir_.path() / "source").string() + ":1.0";
  for (const std::string& authority : {docker.authority(), front_->authority()}) {
    auto push =
        Skopeo({"copy", "--all", "--insecure-policy", "--dest-tls-verify=false", "--dest-creds",
                "alice:alice-pw", source, "docker://" + authority + "/team/app:1.0"});
    ASSERT_EQ(push.exit_code, 0) << authority << "\n" << push.output;
  }
  const std::vector<std::vector<std::string>> cases = {
      {"inspect", "--tls-verify=false", "--creds", "alice:wrong", "docker://HOST/team/app:1.0"},
      {"inspect", "--tls-verify=false", "--creds", "mallory:alice-pw",
       "docker://HOST/team/app:1.0"},
      {"inspect", "--tls-verify=false", "docker://HOST/team/app:1.0"},
      {"copy", "--all", "--insecure-policy", "--dest-tls-verify=false", "--dest-creds",
       "alice:wrong", source, "docker://HOST/team/other:1.0"},
  };
  for (const auto& args : cases) {
    std::vector<std::string> on_docker;
    std::vector<std::string> on_pullsim;
    for (const std::string& a : args) {
      on_docker.push_back(Replace(a, "HOST", docker.authority()));
      on_pullsim.push_back(Replace(a, "HOST", front_->authority()));
    }
    auto expected = Skopeo(on_docker);
    auto actual = Skopeo(on_pullsim);
    std::string command;
    for (const std::string& a : args) command += " " + a;
    SCOPED_TRACE("skopeo" + command);
    EXPECT_NE(expected.exit_code, 0);
    EXPECT_EQ(actual.exit_code, expected.exit_code);
    const std::string want = Replace(FatalMessage(expected.output), docker.authority(), "HOST");
    const std::string got = Replace(FatalMessage(actual.output), front_->authority(), "HOST");
    EXPECT_EQ(got, want);
    EXPECT_NE(got.find("unauthorized: authentication required"), std::string::npos) << got;
  }
}

// With tokens the failure comes from the token endpoint, worded by skopeo as for Docker Hub.
TEST_F(SkopeoInterop, WrongCredentialsWithTokensFailAtTheTokenEndpoint) {
  StartFront(AuthOptionsFor(AuthMode::kToken));
  auto result = Skopeo({"inspect", "--tls-verify=false", "--creds", "alice:wrong",
                        "docker://" + front_->authority() + "/team/app:1.0"});
  EXPECT_NE(result.exit_code, 0);
  const std::string message = FatalMessage(result.output);
  EXPECT_NE(message.find("unable to retrieve auth token: invalid username/password"),
            std::string::npos)
      << message;
}

}  // namespace
}  // namespace pullsim::registry
