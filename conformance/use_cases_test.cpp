// The four use cases of the Kubernetes "Images" page ("Use cases" under "Using a private
// registry"), end to end: manifests applied to the Cluster (admission included), nodes
// (node::Kubelet) pulling from the fake registry through its in-process front, and once through
// its HTTP front. Each case has its positive and negative outcomes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "conformance/use_case_world.h"
#include "sim/node/kubelet_constants.h"
#include "sim/registry/http_front.h"
#include "sim/registry/http_transport.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::testing {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using ::testing::HasSubstr;
using ::testing::StartsWith;

oci::ImageSpec Spec(std::string repository, std::string tag, std::vector<std::string> platforms,
                    bool index = true, std::uint64_t seed = 1) {
  oci::ImageSpec spec;
  spec.repository = std::move(repository);
  spec.tag = std::move(tag);
  spec.platforms = std::move(platforms);
  spec.index = index;
  spec.layer_sizes = {4096, 2048, 1024};
  spec.seed = seed;
  return spec;
}

node::KubeletOptions NodeOn(std::string name, std::string_view platform) {
  node::KubeletOptions options;
  options.node_name = std::move(name);
  options.platform = Platform(platform);
  return options;
}

// The one container pull of a single-container pod.
const node::ContainerPull& OnlyPull(const node::PodPulls& pulls) {
  EXPECT_EQ(pulls.containers.size(), 1u);
  return pulls.containers.front();
}

// ---- Use case 1: public images only -------------------------------------------------------

class PublicImages : public ::testing::Test {
 protected:
  void SetUp() override {
    world.AddRegistry("docker.io");
    nginx = world.Push("docker.io", Spec("library/nginx", "1.25",
                                         {"linux/amd64", "linux/arm64/v8", "linux/arm/v7"}));
    tool = world.Push("docker.io", Spec("team/tool", "1.0", {"linux/amd64"}, true, 2));
    legacy = world.Push("docker.io", Spec("team/legacy", "1.0", {"linux/arm/v7"}, true, 3));
  }
  World world;
  oci::BuiltImage nginx;
  oci::BuiltImage tool;
  oci::BuiltImage legacy;
};

// ARCH-05: each node pulls the index entry of its own platform, anonymously (CRED-13).
TEST_F(PublicImages, ARCH_05_EachNodePullsItsOwnPlatformAnonymously) {
  CoversRules({"ARCH-04", "ARCH-05", "CRED-13", "KUB-01"});
  world.Apply(PodManifest("default", "web", "nginx:1.25"));
  const struct {
    const char* node;
    const char* platform;
    std::size_t entry;
  } kCases[] = {{"amd64-node", "linux/amd64", 0}, {"arm64-node", "linux/arm64", 1}};
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.node);
    auto node = world.AddNode(NodeOn(c.node, c.platform));
    const node::PodPulls pulls = node->EnsurePodImages(world.Pod("default", "web"));
    ASSERT_TRUE(pulls.ok) << OnlyPull(pulls).result.message;
    const node::ContainerPull& pull = OnlyPull(pulls);
    const oci::PlatformImage& expected = nginx.platforms[c.entry];
    EXPECT_EQ(pull.result.image_ref, expected.config.descriptor.digest.str());
    EXPECT_EQ(pull.result.runtime_pulls, std::vector<std::string>{"anonymous"});
    EXPECT_EQ(Reasons(node->events().events()), (std::vector<std::string>{"Pulling", "Pulled"}));

    const node::RuntimePull& record = node->runtime().pulls().back();
    EXPECT_EQ(record.reference, "docker.io/library/nginx:1.25");
    EXPECT_EQ(record.index_digest, nginx.root.descriptor.digest.str());
    EXPECT_EQ(record.manifest_digest, expected.manifest.descriptor.digest.str());
    EXPECT_EQ(record.platform, oci::FormatPlatform(expected.platform));
    EXPECT_EQ(record.layers_fetched, 3);
    for (const node::RegistryExchange& exchange : record.exchanges) {
      EXPECT_EQ(exchange.auth, "") << exchange.url;   // nothing offered
      EXPECT_EQ(exchange.scope, "") << exchange.url;  // no token asked for
      EXPECT_EQ(exchange.status, 200) << exchange.url;
      EXPECT_THAT(exchange.url, StartsWith("https://registry-1.docker.io/v2/"));
    }
    const node::StoredImage* stored = node->store().Resolve("docker.io/library/nginx:1.25");
    ASSERT_NE(stored, nullptr);
    EXPECT_EQ(stored->repo_digests, std::vector<std::string>{"docker.io/library/nginx@" +
                                                             nginx.root.descriptor.digest.str()});
  }
}

// ARCH-04: an arm64 node accepts an arm/v7 entry when nothing closer exists.
TEST_F(PublicImages, ARCH_04_Arm64NodeFallsBackToArmV7) {
  CoversRules({"ARCH-04", "ARCH-05"});
  world.Apply(PodManifest("default", "old", "team/legacy:1.0"));
  auto node = world.AddNode(NodeOn("arm64-node", "linux/arm64"));
  const node::PodPulls pulls = node->EnsurePodImages(world.Pod("default", "old"));
  ASSERT_TRUE(pulls.ok) << OnlyPull(pulls).result.message;
  EXPECT_EQ(node->runtime().pulls().back().platform, "linux/arm/v7");
}

// ARCH-06: an amd64-only image fails on an arm64 node with containerd's platform error, as
// ErrImagePull and then ImagePullBackOff; an amd64 node runs it.
TEST_F(PublicImages, ARCH_06_Arm64NodeCannotPullAnAmd64OnlyImage) {
  CoversRules({"ARCH-06", "KUB-03", "KUB-04", "KUB-06"});
  world.Apply(PodManifest("default", "tool", "team/tool:1.0"));
  auto arm = world.AddNode(NodeOn("arm64-node", "linux/arm64"));
  const std::string text =
      "rpc error: code = NotFound desc = failed to pull and unpack image "
      "\"docker.io/team/tool:1.0\": no match for platform in manifest: not found";

  const node::PodPulls first = arm->EnsurePodImages(world.Pod("default", "tool"));
  ASSERT_FALSE(first.ok);
  const node::ContainerPull& failed = OnlyPull(first);
  ASSERT_TRUE(failed.waiting.has_value());
  EXPECT_EQ(failed.waiting->reason, "ErrImagePull");
  EXPECT_EQ(failed.waiting->message, text);
  EXPECT_EQ(Reasons(arm->events().events()),
            (std::vector<std::string>{"Pulling", "Failed", "Failed"}));
  EXPECT_EQ(arm->events().events()[1].message, "Failed to pull image \"team/tool:1.0\": " + text);
  EXPECT_EQ(arm->events().events()[2].message, "Error: ErrImagePull");
  EXPECT_EQ(arm->runtime().pulls().back().layers_fetched, 0);  // nothing downloaded
  EXPECT_EQ(arm->store().image_count(), 0u);

  const node::PodPulls again = arm->EnsurePodImages(world.Pod("default", "tool"));
  ASSERT_TRUE(OnlyPull(again).waiting.has_value());
  EXPECT_EQ(OnlyPull(again).waiting->reason, "ImagePullBackOff");

  auto amd = world.AddNode(NodeOn("amd64-node", "linux/amd64"));
  EXPECT_TRUE(amd->EnsurePodImages(world.Pod("default", "tool")).ok);
}

// KUB-06: a tag the registry does not have is containerd's NotFound.
TEST_F(PublicImages, KUB_06_MissingTagIsNotFound) {
  CoversRules({"KUB-06"});
  world.Apply(PodManifest("default", "typo", "nginx:9.9"));
  auto node = world.AddNode(NodeOn("amd64-node", "linux/amd64"));
  const node::ContainerPull pull = OnlyPull(node->EnsurePodImages(world.Pod("default", "typo")));
  ASSERT_TRUE(pull.waiting.has_value());
  EXPECT_EQ(pull.waiting->reason, "ErrImagePull");
  EXPECT_EQ(pull.waiting->message,
            "rpc error: code = NotFound desc = failed to pull and unpack image "
            "\"docker.io/library/nginx:9.9\": failed to resolve reference "
            "\"docker.io/library/nginx:9.9\": docker.io/library/nginx:9.9: not found");
}

// ---- Use case 2: a private registry every node may read (node docker config) -------------

class PrivateRegistryNodeConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    world.AddRegistry("registry.test", PrivateRegistry(registry::AuthMode::kToken,
                                                       {{"ci", "s3cret"}}, {{"**", {"ci"}}}));
    app = world.Push("registry.test", Spec("team/app", "1.0", {"linux/amd64", "linux/arm64"}));
    world.Apply(PodManifest("default", "web", "registry.test/team/app:1.0"));
  }
  std::unique_ptr<node::Kubelet> NodeWithConfig(std::string path, std::string password) {
    return world.AddNode(NodeOn("node", "linux/amd64"),
                         {{std::move(path), DockerConfig("registry.test", "ci", password)}});
  }
  World world;
  oci::BuiltImage app;
};

// CRED-02: config.json in the kubelet's root dir authenticates the pull through the token flow.
TEST_F(PrivateRegistryNodeConfig, CRED_02_RootDirConfigAuthenticatesThePull) {
  CoversRules({"CRED-01", "CRED-02", "CRED-13"});
  auto node = NodeWithConfig("/var/lib/kubelet/config.json", "s3cret");
  const node::PodPulls pulls = node->EnsurePodImages(world.Pod("default", "web"));
  ASSERT_TRUE(pulls.ok) << OnlyPull(pulls).result.message;
  const node::ContainerPull& pull = OnlyPull(pulls);
  EXPECT_EQ(pull.result.runtime_pulls,
            std::vector<std::string>{"node /var/lib/kubelet/config.json"});
  ASSERT_TRUE(pull.result.credential_used.has_value());
  EXPECT_EQ(pull.result.credential_used->username, "ci");

  const std::vector<node::RegistryExchange>& exchanges = node->runtime().pulls().back().exchanges;
  ASSERT_GE(exchanges.size(), 3u);
  EXPECT_EQ(exchanges[0].url, "https://registry.test/v2/");  // the ping
  EXPECT_EQ(exchanges[0].status, 401);
  EXPECT_THAT(exchanges[0].challenge, StartsWith("Bearer realm=\"http://registry.test/token\""));
  EXPECT_EQ(exchanges[1].method, "POST");  // the OAuth2 password grant
  EXPECT_EQ(exchanges[1].scope, "repository:team/app:pull");
  EXPECT_EQ(exchanges[1].status, 200);
  for (std::size_t i = 2; i < exchanges.size(); ++i) {
    EXPECT_EQ(exchanges[i].auth, "bearer");
    EXPECT_EQ(exchanges[i].status, 200) << exchanges[i].url;
  }
  // Every request after the token carried ci's token (the ping went out without one).
  EXPECT_EQ(world.Registry("registry.test").log().Count([](const registry::RequestLogEntry& e) {
    return e.identity == "ci" && e.endpoint != oci::RegistryEndpoint::kToken;
  }),
            exchanges.size() - 2);
}

// CRED-02: $HOME/.docker/config.json is the third place searched.
TEST_F(PrivateRegistryNodeConfig, CRED_02_HomeDockerConfigIsFoundToo) {
  CoversRules({"CRED-02"});
  auto node = NodeWithConfig("/root/.docker/config.json", "s3cret");
  const node::PodPulls pulls = node->EnsurePodImages(world.Pod("default", "web"));
  ASSERT_TRUE(pulls.ok) << OnlyPull(pulls).result.message;
  EXPECT_EQ(OnlyPull(pulls).result.runtime_pulls,
            std::vector<std::string>{"node /root/.docker/config.json"});
}

// KUB-08: wrong credentials fail as ErrImagePull, then ImagePullBackOff until the back-off
// passes; a corrected file counts once the node's cached copy expires (CRED-16).
TEST_F(PrivateRegistryNodeConfig, KUB_08_WrongCredentialsGiveErrImagePullThenBackOff) {
  CoversRules({"KUB-04", "KUB-06", "KUB-07", "KUB-08", "CRED-16"});
  auto node = NodeWithConfig("/var/lib/kubelet/config.json", "wrong");
  const cluster::Pod& pod = world.Pod("default", "web");

  const node::ContainerPull first = OnlyPull(node->EnsurePodImages(pod));
  ASSERT_TRUE(first.waiting.has_value());
  EXPECT_EQ(first.waiting->reason, "ErrImagePull");
  EXPECT_THAT(first.waiting->message,
              StartsWith("failed to pull and unpack image \"registry.test/team/app:1.0\": "
                         "failed to resolve reference \"registry.test/team/app:1.0\": "
                         "failed to authorize: failed to fetch oauth token: unexpected status "
                         "from GET request to http://registry.test/token?"));
  EXPECT_THAT(first.waiting->message, HasSubstr(": 401 Unauthorized"));

  const node::ContainerPull second = OnlyPull(node->EnsurePodImages(pod));
  ASSERT_TRUE(second.waiting.has_value());
  EXPECT_EQ(second.waiting->reason, "ImagePullBackOff");
  EXPECT_EQ(second.waiting->message,
            "Back-off pulling image \"registry.test/team/app:1.0\": "
            "ErrImagePull: " +
                first.waiting->message);

  world.clock.Advance(seconds(11));
  const node::ContainerPull third = OnlyPull(node->EnsurePodImages(pod));
  ASSERT_TRUE(third.waiting.has_value());
  EXPECT_EQ(third.waiting->reason, "ErrImagePull");

  ASSERT_TRUE(node->files()
                  .WriteAtomic("/var/lib/kubelet/config.json",
                               DockerConfig("registry.test", "ci", "s3cret"))
                  .has_value());
  world.clock.Advance(minutes(6));
  EXPECT_TRUE(node->EnsurePodImages(pod).ok);
}

// CRED-13: without any credential the node makes one anonymous pull, which the registry refuses.
TEST_F(PrivateRegistryNodeConfig, CRED_13_NoConfigMeansOneAnonymousPullThatIsDenied) {
  CoversRules({"CRED-13", "KUB-06"});
  auto node = world.AddNode(NodeOn("node", "linux/amd64"));
  const node::ContainerPull pull = OnlyPull(node->EnsurePodImages(world.Pod("default", "web")));
  EXPECT_EQ(pull.result.runtime_pulls, std::vector<std::string>{"anonymous"});
  ASSERT_TRUE(pull.waiting.has_value());
  EXPECT_EQ(pull.waiting->reason, "ErrImagePull");
  EXPECT_EQ(pull.waiting->message,
            "failed to pull and unpack image \"registry.test/team/app:1.0\": failed to resolve "
            "reference \"registry.test/team/app:1.0\": pull access denied, repository does not "
            "exist or may require authorization: server message: insufficient_scope: "
            "authorization failed");
}

// The same use case through the registry's HTTP front: real sockets, the token realm on the
// front's own address.
TEST(PrivateRegistryOverHttp, CRED_02_NodeConfigPullsThroughTheHttpFront) {
  CoversRules({"CRED-02", "CRED-13", "KUB-08"});
  World world;
  registry::Registry& registry = world.AddRegistry(
      "http", PrivateRegistry(registry::AuthMode::kToken, {{"ci", "s3cret"}}, {{"**", {"ci"}}}));
  const oci::BuiltImage app = world.Push("http", Spec("team/app", "1.0", {"linux/amd64"}));
  Result<std::unique_ptr<registry::HttpFront>> front = registry::HttpFront::Start(registry);
  ASSERT_TRUE(front.has_value()) << front.error().ToString();
  const std::string host = (*front)->authority();
  Result<std::unique_ptr<registry::HttpTransport>> good =
      registry::HttpTransport::Create((*front)->base_url());
  Result<std::unique_ptr<registry::HttpTransport>> bad =
      registry::HttpTransport::Create((*front)->base_url());
  ASSERT_TRUE(good.has_value() && bad.has_value());
  world.Apply(PodManifest("default", "web", host + "/team/app:1.0"));
  const cluster::Pod& pod = world.Pod("default", "web");

  auto node = world.AddNode(NodeOn("node-a", "linux/amd64"),
                            {{"/var/lib/kubelet/config.json", DockerConfig(host, "ci", "s3cret")}},
                            {{host, good->get()}});
  const node::PodPulls pulls = node->EnsurePodImages(pod);
  ASSERT_TRUE(pulls.ok) << OnlyPull(pulls).result.message;
  EXPECT_EQ(OnlyPull(pulls).result.image_ref, app.platforms[0].config.descriptor.digest.str());
  EXPECT_EQ(node->store().layer_count(), 3u);
  const node::RuntimePull& record = node->runtime().pulls().back();
  EXPECT_EQ(record.exchanges.front().url, "http://" + host + "/v2/");
  EXPECT_EQ(record.exchanges[1].url, "http://" + host + "/token");
  EXPECT_GT(registry.log().Count([](const registry::RequestLogEntry& e) {
    return e.identity == "ci" && e.client.starts_with("127.0.0.1:");
  }),
            0u);

  auto wrong = world.AddNode(NodeOn("node-b", "linux/amd64"),
                             {{"/var/lib/kubelet/config.json", DockerConfig(host, "ci", "nope")}},
                             {{host, bad->get()}});
  const node::ContainerPull failed = OnlyPull(wrong->EnsurePodImages(pod));
  ASSERT_TRUE(failed.waiting.has_value());
  EXPECT_EQ(failed.waiting->reason, "ErrImagePull");
  EXPECT_THAT(failed.waiting->message, HasSubstr("failed to fetch oauth token"));
  EXPECT_EQ(OnlyPull(wrong->EnsurePodImages(pod)).waiting->reason, "ImagePullBackOff");
  // Close the clients' keep-alive connections first, so the front stops at once.
  node.reset();
  wrong.reset();
  good->reset();
  bad->reset();
  (*front)->Stop();
}

// ---- Use case 3: strict access with AlwaysPullImages --------------------------------------

class AlwaysPullImages : public ::testing::Test {
 protected:
  void Start(bool always_pull_images) {
    cluster::ClusterOptions options;
    options.always_pull_images = always_pull_images;
    world = std::make_unique<World>(options);
    world->AddRegistry("registry.test", PrivateRegistry(registry::AuthMode::kToken, {{"app", "pw"}},
                                                        {{"**", {"app"}}}));
    image = world->Push("registry.test", Spec("team/private", "1.0", {"linux/amd64"}));
    world->Apply(PullSecretManifest("default", "regcred", "registry.test", "app", "pw"));
    node = world->AddNode(NodeOn("node", "linux/amd64"));
    // Someone pulled the image onto the node before (a preloaded image, no KEP-2535 record).
    node::PullCredential credential;
    credential.username = "app";
    credential.password = "pw";
    node::PullAttempt preload =
        node->runtime().PullImage({"registry.test/team/private:1.0", ""}, &credential);
    ASSERT_TRUE(preload.result.has_value()) << preload.result.error().message;
  }
  std::unique_ptr<World> world;
  std::unique_ptr<node::Kubelet> node;
  oci::BuiltImage image;
};

// ADM-01: the plugin rewrites IfNotPresent to Always, so a pod without credentials cannot use
// the cached private image: its forced pull is refused.
TEST_F(AlwaysPullImages, ADM_01_ForcedPullFailsWithoutCredentials) {
  CoversRules({"ADM-01", "KUB-02", "CRED-13"});
  Start(true);
  world->Apply(PodManifest("default", "sneaky", "registry.test/team/private:1.0", "IfNotPresent"));
  const cluster::Pod& pod = world->Pod("default", "sneaky");
  EXPECT_EQ(pod.spec.containers[0].image_pull_policy, "Always");
  const node::ContainerPull pull = OnlyPull(node->EnsurePodImages(pod));
  EXPECT_TRUE(pull.result.pull_requested);
  ASSERT_TRUE(pull.waiting.has_value());
  EXPECT_EQ(pull.waiting->reason, "ErrImagePull");
  EXPECT_THAT(pull.waiting->message, HasSubstr("pull access denied"));
  EXPECT_NE(node->store().Resolve("registry.test/team/private:1.0"), nullptr);  // still cached
}

// ADM-01: with the pod's secret the forced pull succeeds, and resolves the tag again without
// downloading layers the node has (KUB-02).
TEST_F(AlwaysPullImages, ADM_01_ForcedPullWithCredentialsSucceeds) {
  CoversRules({"ADM-01", "KUB-02", "CRED-10"});
  Start(true);
  world->Apply(PodManifest("default", "owner", "registry.test/team/private:1.0", "IfNotPresent",
                           {"regcred"}));
  const node::PodPulls pulls = node->EnsurePodImages(world->Pod("default", "owner"));
  ASSERT_TRUE(pulls.ok) << OnlyPull(pulls).result.message;
  EXPECT_EQ(OnlyPull(pulls).result.runtime_pulls,
            std::vector<std::string>{"secret default/regcred"});
  const node::RuntimePull& record = node->runtime().pulls().back();
  EXPECT_EQ(record.layers_fetched, 0);
  EXPECT_EQ(record.layers_present, 3);
}

// KUB-02: without the plugin the same pod without credentials runs the cached image.
TEST_F(AlwaysPullImages, KUB_02_WithoutThePluginTheCachedImageIsUsed) {
  CoversRules({"KUB-02", "KEP2535-03"});
  Start(false);
  world->Apply(PodManifest("default", "sneaky", "registry.test/team/private:1.0", "IfNotPresent"));
  const node::PodPulls pulls = node->EnsurePodImages(world->Pod("default", "sneaky"));
  ASSERT_TRUE(pulls.ok);
  EXPECT_FALSE(OnlyPull(pulls).result.pull_requested);
  EXPECT_THAT(OnlyPull(pulls).result.message, HasSubstr("already present on machine"));
}

// ---- Use case 4: multi-tenant, per-namespace secrets --------------------------------------

class MultiTenant : public ::testing::Test {
 protected:
  void SetUp() override {
    world.AddRegistry("a.registry.test", PrivateRegistry(registry::AuthMode::kToken,
                                                         {{"alice", "a-pw"}}, {{"**", {"alice"}}}));
    world.AddRegistry("b.registry.test", PrivateRegistry(registry::AuthMode::kToken,
                                                         {{"bob", "b-pw"}}, {{"**", {"bob"}}}));
    world.Push("a.registry.test", Spec("team-a/app", "1.0", {"linux/amd64"}, true, 10));
    world.Push("b.registry.test", Spec("team-b/app", "1.0", {"linux/amd64"}, true, 11));
    world.Apply(
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: tenant-a}\n---\n"
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: tenant-b}\n");
    world.Apply(
        PullSecretManifest("tenant-a", "tenant-a-pull", "a.registry.test", "alice", "a-pw"));
    world.Apply(PullSecretManifest("tenant-b", "tenant-b-pull", "b.registry.test", "bob", "b-pw"));
    world.Apply(PodManifest("tenant-a", "web", kImageA, "IfNotPresent", {"tenant-a-pull"}));
  }
  static constexpr std::string_view kImageA = "a.registry.test/team-a/app:1.0";
  World world;
};

// CRED-10: each tenant pulls its own image with its own namespace's secret.
TEST_F(MultiTenant, CRED_10_EachTenantPullsWithItsNamespaceSecret) {
  CoversRules({"CRED-10", "CRED-11", "ADM-08"});
  world.Apply(PodManifest("tenant-b", "web", "b.registry.test/team-b/app:1.0", "IfNotPresent",
                          {"tenant-b-pull"}));
  auto node = world.AddNode(NodeOn("node", "linux/amd64"));
  const node::PodPulls a = node->EnsurePodImages(world.Pod("tenant-a", "web"));
  const node::PodPulls b = node->EnsurePodImages(world.Pod("tenant-b", "web"));
  ASSERT_TRUE(a.ok) << OnlyPull(a).result.message;
  ASSERT_TRUE(b.ok) << OnlyPull(b).result.message;
  EXPECT_EQ(OnlyPull(a).result.runtime_pulls,
            std::vector<std::string>{"secret tenant-a/tenant-a-pull"});
  EXPECT_EQ(OnlyPull(b).result.runtime_pulls,
            std::vector<std::string>{"secret tenant-b/tenant-b-pull"});
}

// CRED-14: tenant B cannot use tenant A's secret (a reference resolves in B's own namespace),
// and B's own secret does not open A's registry.
TEST_F(MultiTenant, CRED_14_TenantBCannotPullTenantAsImage) {
  CoversRules({"CRED-14", "CRED-13", "ADM-08"});
  world.Apply(PodManifest("tenant-b", "steal", kImageA, "IfNotPresent",
                          {"tenant-a-pull", "tenant-b-pull"}));
  auto node = world.AddNode(NodeOn("node", "linux/amd64"));
  const node::PodPulls pulls = node->EnsurePodImages(world.Pod("tenant-b", "steal"));
  ASSERT_FALSE(pulls.ok);
  EXPECT_EQ(pulls.missing_secrets_warning,
            "Unable to retrieve some image pull secrets (tenant-a-pull); attempting to pull the "
            "image may not succeed.");
  const node::ContainerPull& pull = OnlyPull(pulls);
  EXPECT_EQ(pull.result.runtime_pulls, std::vector<std::string>{"anonymous"});
  ASSERT_TRUE(pull.waiting.has_value());
  EXPECT_EQ(pull.waiting->reason, "ErrImagePull");
  EXPECT_THAT(pull.waiting->message, HasSubstr("insufficient_scope"));
  EXPECT_EQ(node->events().events().front().reason, "FailedToRetrieveImagePullSecret");
}

// KEP2535-01: with the gate off, tenant B runs tenant A's cached private image (the old hole).
TEST_F(MultiTenant, KEP2535_01_GateOffTenantBRunsTenantAsCachedImage) {
  CoversRules({"KEP2535-01", "KUB-02"});
  node::KubeletOptions options = NodeOn("node", "linux/amd64");
  options.settings.ensure_secret_pulled_images = false;
  auto node = world.AddNode(options);
  ASSERT_TRUE(node->EnsurePodImages(world.Pod("tenant-a", "web")).ok);
  world.Apply(PodManifest("tenant-b", "steal", kImageA, "IfNotPresent"));
  const std::size_t pulls_before = node->runtime().pulls().size();
  const node::PodPulls pulls = node->EnsurePodImages(world.Pod("tenant-b", "steal"));
  ASSERT_TRUE(pulls.ok);
  EXPECT_EQ(OnlyPull(pulls).result.message,
            "Container image \"" + std::string(kImageA) + "\" already present on machine");
  EXPECT_EQ(node->runtime().pulls().size(), pulls_before);  // the registry was never asked
}

// KEP2535-04: with the gate on (NeverVerifyPreloadedImages), B must prove access by pulling,
// and fails; A, whose secret pulled the image, uses the cached copy.
TEST_F(MultiTenant, KEP2535_04_GateOnTenantBMustPullAndIsDenied) {
  CoversRules({"KEP2535-01", "KEP2535-03", "KEP2535-04", "KEP2535-05"});
  auto node = world.AddNode(NodeOn("node", "linux/amd64"));
  const node::PodPulls a = node->EnsurePodImages(world.Pod("tenant-a", "web"));
  ASSERT_TRUE(a.ok);
  Result<std::optional<node::ImagePulledRecord>> record =
      node->pull_manager().GetPulledRecord(OnlyPull(a).result.image_ref);
  ASSERT_TRUE(record.has_value() && record->has_value());

  world.Apply(PodManifest("tenant-b", "steal", kImageA, "IfNotPresent"));
  const node::ContainerPull stolen =
      OnlyPull(node->EnsurePodImages(world.Pod("tenant-b", "steal")));
  EXPECT_TRUE(stolen.result.pull_requested);
  ASSERT_TRUE(stolen.waiting.has_value());
  EXPECT_EQ(stolen.waiting->reason, "ErrImagePull");
  EXPECT_THAT(stolen.waiting->message, HasSubstr("pull access denied"));

  world.Apply(PodManifest("tenant-a", "web2", kImageA, "IfNotPresent", {"tenant-a-pull"}));
  const node::PodPulls again = node->EnsurePodImages(world.Pod("tenant-a", "web2"));
  ASSERT_TRUE(again.ok);
  EXPECT_FALSE(OnlyPull(again).result.pull_requested);
  EXPECT_EQ(OnlyPull(again).result.message,
            "Container image \"" + std::string(kImageA) +
                "\" already present on machine and can be accessed by the pod");
}

}  // namespace
}  // namespace pullsim::testing
