// The node's registry client and registry-backed runtime against the fake registry: the token
// flow and its cache, Basic auth, containerd's Accept list, only missing layers fetched, every
// digest and size verified (nothing kept on a mismatch), and containerd's error texts for the
// kubelet to classify (KUB-06).
#include <functional>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "conformance/use_case_world.h"
#include "sim/node/registry_runtime.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::testing {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::string_view kImage = "registry.test/team/app:1.0";
constexpr std::string_view kRef = "\"registry.test/team/app:1.0\"";

oci::ImageSpec AppSpec(std::vector<oci::BaseLayer> base = {}, std::string repository = "team/app") {
  oci::ImageSpec spec;
  spec.repository = std::move(repository);
  spec.tag = "1.0";
  spec.platforms = {"linux/amd64", "linux/arm64"};
  spec.index = true;
  spec.base_layers = std::move(base);
  spec.layer_sizes = {3000, 2000};
  return spec;
}

// Passes requests to `inner`, keeps them, and lets a test change answers on the way back.
class TamperingTransport final : public oci::RegistryTransport {
 public:
  explicit TamperingTransport(oci::RegistryTransport& inner) : inner_(inner) {}
  Result<oci::RegistryResponse> RoundTrip(const oci::RegistryRequest& request) override {
    requests.push_back(request);
    Result<oci::RegistryResponse> response = inner_.RoundTrip(request);
    if (response && tamper) tamper(request, *response);
    return response;
  }
  std::function<void(const oci::RegistryRequest&, oci::RegistryResponse&)> tamper;
  std::vector<oci::RegistryRequest> requests;

 private:
  oci::RegistryTransport& inner_;
};

node::PullCredential Credential(std::string user, std::string password) {
  node::PullCredential credential;
  credential.username = std::move(user);
  credential.password = std::move(password);
  return credential;
}

class RegistryPull : public ::testing::Test {
 protected:
  void SetUp() override {
    world.AddRegistry("registry.test", PrivateRegistry(registry::AuthMode::kToken,
                                                       {{"ci", "s3cret"}}, {{"**", {"ci"}}}));
    app = world.Push("registry.test", AppSpec());
    inner = std::make_unique<registry::InProcessTransport>(world.Registry("registry.test"), "node",
                                                           "registry.test");
    transport = std::make_unique<TamperingTransport>(*inner);
  }
  std::unique_ptr<node::RegistryRuntime> Runtime(node::RegistryRuntimeOptions options = {}) {
    return std::make_unique<node::RegistryRuntime>(
        store, Platform("linux/amd64"),
        node::RegistryTransports{{"registry.test", transport.get()}}, world.clock, options);
  }
  node::PullAttempt Pull(node::RegistryRuntime& runtime, std::string_view image = kImage) {
    return runtime.PullImage({std::string(image), ""}, &ci);
  }
  const oci::Blob& FirstLayer() const { return app.platforms[0].layers[0]; }

  World world;
  oci::BuiltImage app;
  std::unique_ptr<registry::InProcessTransport> inner;
  std::unique_ptr<TamperingTransport> transport;
  node::ImageStore store;
  node::PullCredential ci = Credential("ci", "s3cret");
};

// Manifests are asked for with containerd's Accept list; an OCI index and a Docker manifest
// list both resolve.
TEST_F(RegistryPull, ARCH_01_AcceptsBothIndexKindsWithContainerdsAcceptList) {
  CoversRules({"ARCH-01", "ARCH-05"});
  oci::ImageSpec docker = AppSpec({}, "team/docker");
  docker.format = oci::ImageFormat::kDocker;
  const oci::BuiltImage list = world.Push("registry.test", docker);
  auto runtime = Runtime();
  for (std::string_view image : {kImage, std::string_view("registry.test/team/docker:1.0")}) {
    SCOPED_TRACE(image);
    node::PullAttempt attempt = Pull(*runtime, image);
    ASSERT_TRUE(attempt.result.has_value()) << attempt.result.error().message;
  }
  EXPECT_EQ(runtime->pulls().back().index_digest, list.root.descriptor.digest.str());
  EXPECT_EQ(runtime->pulls().back().image_ref, list.platforms[0].config.descriptor.digest.str());
  int manifest_requests = 0;
  for (const oci::RegistryRequest& request : transport->requests) {
    if (request.endpoint != oci::RegistryEndpoint::kManifest) continue;
    ++manifest_requests;
    EXPECT_EQ(request.headers.Get("Accept"), node::kManifestAccept);
  }
  EXPECT_EQ(manifest_requests, 4);  // index + platform manifest, twice
}

// A layer shared with an image already on the node is not fetched again, and is stored once.
TEST_F(RegistryPull, KUB_01_OnlyMissingLayersAreFetched) {
  CoversRules({"KUB-01"});
  const std::vector<oci::BaseLayer> base = {{"debian", 5000}, {"runtime", 4000}};
  const oci::BuiltImage first = world.Push("registry.test", AppSpec(base, "team/one"));
  const oci::BuiltImage second = world.Push("registry.test", AppSpec(base, "team/two"));
  auto runtime = Runtime();
  ASSERT_TRUE(Pull(*runtime, "registry.test/team/one:1.0").result.has_value());
  EXPECT_EQ(runtime->pulls().back().layers_fetched, 4);
  ASSERT_TRUE(Pull(*runtime, "registry.test/team/two:1.0").result.has_value());
  EXPECT_EQ(runtime->pulls().back().layers_fetched, 2);
  EXPECT_EQ(runtime->pulls().back().layers_present, 2);
  EXPECT_EQ(store.layer_count(), 6u);
  std::uint64_t distinct = 0;
  for (const oci::Blob& layer : first.platforms[0].layers) {
    distinct += static_cast<std::uint64_t>(layer.descriptor.size);
  }
  for (std::size_t i = 2; i < second.platforms[0].layers.size(); ++i) {
    distinct += static_cast<std::uint64_t>(second.platforms[0].layers[i].descriptor.size);
  }
  EXPECT_EQ(store.stored_layer_bytes(), distinct);
  // Zero copies in process: the node's layer is the registry's buffer.
  EXPECT_EQ(store.LayerContent(first.platforms[0].layers[0].descriptor.digest.str()).get(),
            first.platforms[0].layers[0].bytes.get());
}

// A layer whose bytes do not hash to its digest fails the pull with containerd's commit error
// (FailedPrecondition), and the node keeps nothing of it.
TEST_F(RegistryPull, KUB_06_LayerDigestMismatchKeepsNothing) {
  CoversRules({"KUB-06"});
  const std::string digest = FirstLayer().descriptor.digest.str();
  transport->tamper = [&](const oci::RegistryRequest& request, oci::RegistryResponse& response) {
    if (request.endpoint != oci::RegistryEndpoint::kBlob || request.reference != digest) return;
    std::string bytes(response.body.view());
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x20);
    response.body = oci::SharedBytes(std::move(bytes));
  };
  auto runtime = Runtime();
  node::PullAttempt attempt = Pull(*runtime);
  ASSERT_FALSE(attempt.result.has_value());
  EXPECT_EQ(attempt.result.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_THAT(attempt.result.error().message,
              StartsWith("rpc error: code = FailedPrecondition desc = failed to pull and unpack "
                         "image " +
                         std::string(kRef) + ": failed commit on ref \"layer-" + digest +
                         "\": unexpected commit digest sha256:"));
  EXPECT_THAT(attempt.result.error().message,
              HasSubstr(", expected " + digest + ": failed precondition"));
  EXPECT_EQ(store.image_count(), 0u);
  EXPECT_EQ(store.layer_count(), 0u);
}

// A blob of the wrong size fails before its digest is even computed.
TEST_F(RegistryPull, KUB_06_LayerSizeMismatchFails) {
  CoversRules({"KUB-06"});
  const oci::Blob& layer = FirstLayer();
  transport->tamper = [&](const oci::RegistryRequest& request, oci::RegistryResponse& response) {
    if (request.reference == layer.descriptor.digest.str()) {
      response.body = response.body.Slice(0, response.body.size() - 1);
    }
  };
  auto runtime = Runtime();
  node::PullAttempt attempt = Pull(*runtime);
  ASSERT_FALSE(attempt.result.has_value());
  EXPECT_THAT(
      attempt.result.error().message,
      HasSubstr("failed commit on ref \"layer-" + layer.descriptor.digest.str() +
                "\": unexpected commit size " + std::to_string(layer.descriptor.size - 1) +
                ", expected " + std::to_string(layer.descriptor.size) + ": failed precondition"));
  EXPECT_EQ(store.image_count(), 0u);
}

// The digest a registry vouches for in Docker-Content-Digest must be the digest of what it sent.
TEST_F(RegistryPull, KUB_06_TagDigestHeaderMustMatchTheBytes) {
  CoversRules({"KUB-06"});
  const std::string lie = "sha256:" + std::string(64, 'e');
  transport->tamper = [&](const oci::RegistryRequest& request, oci::RegistryResponse& response) {
    if (request.endpoint == oci::RegistryEndpoint::kManifest && request.reference == "1.0") {
      response.headers.Set("Docker-Content-Digest", lie);
    }
  };
  auto runtime = Runtime();
  node::PullAttempt attempt = Pull(*runtime);
  ASSERT_FALSE(attempt.result.has_value());
  EXPECT_THAT(attempt.result.error().message,
              HasSubstr("failed commit on ref \"index-" + lie + "\": unexpected commit digest " +
                        app.root.descriptor.digest.str() + ", expected " + lie));
}

// A blob the registry does not have is the fetcher's NotFound.
TEST_F(RegistryPull, KUB_06_MissingBlobIsNotFound) {
  CoversRules({"KUB-06"});
  const std::string digest = FirstLayer().descriptor.digest.str();
  transport->tamper = [&](const oci::RegistryRequest& request, oci::RegistryResponse& response) {
    if (request.reference == digest) {
      response.status = 404;
      response.body = {};
    }
  };
  auto runtime = Runtime();
  node::PullAttempt attempt = Pull(*runtime);
  ASSERT_FALSE(attempt.result.has_value());
  EXPECT_EQ(attempt.result.error().message,
            "rpc error: code = NotFound desc = failed to pull and unpack image " +
                std::string(kRef) +
                ": failed to copy: httpReadSeeker: failed open: content at "
                "https://registry.test/v2/team/app/blobs/" +
                digest + " not found: not found");
}

// A pull by digest stores the digest, not a tag; an unknown digest is NotFound.
TEST_F(RegistryPull, REF_09_PullByDigest) {
  CoversRules({"REF-09", "KUB-06"});
  auto runtime = Runtime();
  const std::string by_digest = "registry.test/team/app@" + app.root.descriptor.digest.str();
  ASSERT_TRUE(Pull(*runtime, by_digest).result.has_value());
  const node::StoredImage* stored = store.Resolve(by_digest);
  ASSERT_NE(stored, nullptr);
  EXPECT_TRUE(stored->repo_tags.empty());
  const std::string unknown = "registry.test/team/app@sha256:" + std::string(64, 'a');
  node::PullAttempt attempt = Pull(*runtime, unknown);
  ASSERT_FALSE(attempt.result.has_value());
  EXPECT_THAT(attempt.result.error().message, HasSubstr(": " + unknown + ": not found"));
}

// A token is reused until it expires on the clock, then fetched again.
TEST_F(RegistryPull, TokenIsCachedUntilItExpires) {
  CoversRules({"CRED-13"});
  auto runtime = Runtime();
  auto token_requests = [&] {
    int count = 0;
    for (const node::RegistryExchange& e : runtime->pulls().back().exchanges) {
      count += e.scope.empty() ? 0 : 1;
    }
    return count;
  };
  ASSERT_TRUE(Pull(*runtime).result.has_value());
  EXPECT_EQ(token_requests(), 1);
  world.clock.Advance(minutes(4));
  ASSERT_TRUE(Pull(*runtime).result.has_value());
  EXPECT_EQ(token_requests(), 0);
  world.clock.Advance(minutes(2));  // past the registry's 5-minute tokens
  ASSERT_TRUE(Pull(*runtime).result.has_value());
  EXPECT_EQ(token_requests(), 1);
  const node::RegistryClient* client = runtime->ClientFor("registry.test");
  EXPECT_EQ(client->tokens_fetched(), 2u);
  EXPECT_EQ(client->tokens_reused(), 1u);
  // Another credential does not get the cached token.
  node::PullCredential other = Credential("ci", "other");
  EXPECT_FALSE(runtime->PullImage({std::string(kImage), ""}, &other).result.has_value());
}

// CRED-13: a refused credential is not followed by an anonymous try of the runtime's own.
TEST_F(RegistryPull, CRED_13_NoAnonymousRetryAfterARefusedCredential) {
  CoversRules({"CRED-13"});
  world.AddRegistry("open.test", PrivateRegistry(registry::AuthMode::kToken, {{"ci", "s3cret"}},
                                                 {{"**", {"*"}}}));
  world.Push("open.test", AppSpec());
  registry::InProcessTransport open(world.Registry("open.test"), "node", "open.test");
  node::RegistryRuntime runtime(store, Platform("linux/amd64"), {{"open.test", &open}},
                                world.clock);
  node::PullCredential wrong = Credential("ci", "wrong");
  node::PullAttempt attempt = runtime.PullImage({"open.test/team/app:1.0", ""}, &wrong);
  ASSERT_FALSE(attempt.result.has_value());
  for (const node::RegistryExchange& e : runtime.pulls().back().exchanges) {
    EXPECT_THAT(e.url, ::testing::Not(HasSubstr("/manifests/"))) << "a manifest was fetched";
  }
  EXPECT_TRUE(runtime.PullImage({"open.test/team/app:1.0", ""}, nullptr).result.has_value());
}

// Basic auth: the credential is sent; none, a wrong one and one without the right each fail as
// containerd reports them.
TEST_F(RegistryPull, KUB_06_BasicAuthOutcomes) {
  CoversRules({"KUB-06", "CRED-13"});
  world.AddRegistry("basic.test", PrivateRegistry(registry::AuthMode::kBasic,
                                                  {{"u", "p"}, {"v", "q"}}, {{"**", {"u"}}}));
  world.Push("basic.test", AppSpec());
  registry::InProcessTransport basic(world.Registry("basic.test"), "node", "basic.test");
  node::RegistryRuntime runtime(store, Platform("linux/amd64"), {{"basic.test", &basic}},
                                world.clock);
  const std::string image = "basic.test/team/app:1.0";
  const std::string prefix = "failed to pull and unpack image \"" + image +
                             "\": failed to resolve reference \"" + image + "\": ";
  auto pull = [&](const node::PullCredential* credential) {
    return runtime.PullImage({image, ""}, credential);
  };
  const node::PullCredential u = Credential("u", "p");
  ASSERT_TRUE(pull(&u).result.has_value());
  EXPECT_EQ(runtime.pulls().back().exchanges.back().auth, "basic u");

  node::PullAttempt anonymous = pull(nullptr);
  ASSERT_FALSE(anonymous.result.has_value());
  EXPECT_EQ(anonymous.result.error().message,
            prefix +
                "pull access denied, repository does not exist or may require "
                "authorization: authorization failed: no basic auth credentials");

  const node::PullCredential wrong = Credential("u", "nope");
  node::PullAttempt refused = pull(&wrong);
  ASSERT_FALSE(refused.result.has_value());
  EXPECT_EQ(refused.result.error().message,
            prefix +
                "unexpected status from GET request to "
                "https://basic.test/v2/team/app/manifests/1.0: 401 Unauthorized");

  const node::PullCredential v = Credential("v", "q");
  node::PullAttempt forbidden = pull(&v);
  ASSERT_FALSE(forbidden.result.has_value());
  EXPECT_EQ(forbidden.result.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(forbidden.result.error().message,
            prefix +
                "unexpected status from GET request to "
                "https://basic.test/v2/team/app/manifests/1.0: 403 Forbidden");
}

// KUB-06: a pull rate limit answers 429, an ErrImagePull.
TEST(RegistryPullLimits, KUB_06_RateLimitIsTooManyRequests) {
  CoversRules({"KUB-06"});
  World world;
  registry::RegistryOptions options;
  // One pull is two manifest GETs (the index, then the node's manifest).
  options.rate_limits.push_back({*registry::RepositoryGlob::Parse("**"), 2, std::chrono::hours(6)});
  world.AddRegistry("registry.test", std::move(options));
  world.Push("registry.test", AppSpec());
  world.Apply(PodManifest("default", "web", std::string(kImage), "Always"));
  node::KubeletOptions node_options;
  auto node = world.AddNode(node_options);
  ASSERT_TRUE(node->EnsurePodImages(world.Pod("default", "web")).ok);
  const node::ContainerPull pull =
      node->EnsurePodImages(world.Pod("default", "web")).containers.front();
  ASSERT_TRUE(pull.waiting.has_value());
  EXPECT_EQ(pull.waiting->reason, "ErrImagePull");
  EXPECT_EQ(pull.waiting->message,
            "failed to pull and unpack image " + std::string(kRef) +
                ": failed to resolve reference " + std::string(kRef) +
                ": unexpected status from GET request to "
                "https://registry.test/v2/team/app/manifests/1.0: 429 Too Many Requests");
}

// KUB-06: 5xx answers, dropped connections and unknown hosts are RegistryUnavailable.
TEST(RegistryPullFaults, KUB_06_UnreachableRegistriesAreRegistryUnavailable) {
  CoversRules({"KUB-06", "KUB-04"});
  World world;
  registry::RegistryOptions options;
  registry::Fault outage;
  outage.name = "outage";
  outage.match.endpoints = {oci::RegistryEndpoint::kManifest};
  outage.match.repositories = *registry::RepositoryGlob::Parse("team/down");
  outage.status = 503;
  outage.code = "UNAVAILABLE";
  registry::Fault drop;
  drop.name = "drop";
  drop.match.endpoints = {oci::RegistryEndpoint::kBlob};
  drop.match.repositories = *registry::RepositoryGlob::Parse("team/flaky");
  drop.drop = true;
  options.faults = {outage, drop};
  world.AddRegistry("registry.test", std::move(options));
  world.Push("registry.test", AppSpec({}, "team/down"));
  world.Push("registry.test", AppSpec({}, "team/flaky"));
  auto node = world.AddNode(node::KubeletOptions{});

  const struct {
    const char* image;
    const char* detail;
  } kCases[] = {
      {"registry.test/team/down:1.0",
       "failed to resolve reference \"registry.test/team/down:1.0\": unexpected status from GET "
       "request to https://registry.test/v2/team/down/manifests/1.0: 503 Service Unavailable"},
      {"registry.test/team/flaky:1.0",
       "failed to copy: httpReadSeeker: failed open: failed to do request: Get "
       "\"https://registry.test/v2/team/flaky/blobs/sha256:"},
      {"nowhere.test/team/app:1.0",
       "failed to resolve reference \"nowhere.test/team/app:1.0\": failed to do request: Get "
       "\"https://nowhere.test/v2/team/app/manifests/1.0\": dial tcp: lookup nowhere.test: no "
       "such host"},
  };
  int index = 0;
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.image);
    const std::string name = "pod" + std::to_string(index++);
    world.Apply(PodManifest("default", name, c.image));
    const node::ContainerPull pull =
        node->EnsurePodImages(world.Pod("default", name)).containers.front();
    ASSERT_TRUE(pull.waiting.has_value());
    EXPECT_EQ(pull.waiting->reason, "RegistryUnavailable");
    EXPECT_THAT(pull.waiting->message,
                StartsWith("image pull failed for " + std::string(c.image) +
                           " because the registry is unavailable: failed to pull and unpack "
                           "image \"" +
                           c.image + "\": " + c.detail));
  }
}

// CRED-13: the kubelet tries each matching credential in order; the first that works wins, and
// when all fail the errors are aggregated.
TEST(RegistryPullCredentials, CRED_13_EachCredentialInOrderFirstSuccessWins) {
  CoversRules({"CRED-13", "CRED-10"});
  World world;
  world.AddRegistry("registry.test", PrivateRegistry(registry::AuthMode::kBasic, {{"ci", "s3cret"}},
                                                     {{"**", {"ci"}}}));
  world.Push("registry.test", AppSpec());
  world.Apply(PullSecretManifest("default", "stale", "registry.test", "ci", "old"));
  world.Apply(PullSecretManifest("default", "fresh", "registry.test", "ci", "s3cret"));
  world.Apply(PullSecretManifest("default", "stale2", "registry.test", "ci", "older"));
  world.Apply(PodManifest("default", "ok", std::string(kImage), "", {"stale", "fresh"}));
  world.Apply(PodManifest("default", "bad", std::string(kImage), "", {"stale", "stale2"}));
  auto node = world.AddNode(node::KubeletOptions{});

  const node::PodPulls ok = node->EnsurePodImages(world.Pod("default", "ok"));
  ASSERT_TRUE(ok.ok) << ok.containers.front().result.message;
  EXPECT_EQ(ok.containers.front().result.runtime_pulls,
            (std::vector<std::string>{"secret default/stale", "secret default/fresh"}));
  EXPECT_EQ(ok.containers.front().result.credential_used->source, "secret default/fresh");

  node->store() = node::ImageStore();  // forget the image
  const node::ContainerPull bad =
      node->EnsurePodImages(world.Pod("default", "bad")).containers.front();
  ASSERT_TRUE(bad.waiting.has_value());
  // Both attempts fail with the same text: one message, not a list.
  EXPECT_EQ(bad.result.runtime_pulls,
            (std::vector<std::string>{"secret default/stale", "secret default/stale2"}));
  EXPECT_THAT(bad.waiting->message, StartsWith("failed to pull and unpack image"));
  EXPECT_THAT(bad.waiting->message, HasSubstr("401 Unauthorized"));
}

// Registry-side delays (fault latency spent on the wire clock) add to the pull's duration.
TEST(RegistryPullTiming, KUB_01_RegistryLatencyCountsInThePullDuration) {
  CoversRules({"KUB-01"});
  World world;
  VirtualClock wire;
  registry::RegistryOptions options;
  options.wait = [&wire](Duration d) { wire.Advance(d); };
  registry::Fault slow;
  slow.name = "slow";
  slow.match.repositories = *registry::RepositoryGlob::Parse("team/slow");
  slow.match.endpoints = {oci::RegistryEndpoint::kManifest};
  slow.latency = seconds(2);
  options.faults = {slow};
  world.AddRegistry("registry.test", std::move(options));
  world.Push("registry.test", AppSpec({}, "team/slow"));
  world.Push("registry.test", AppSpec({}, "team/fast"));
  registry::InProcessTransport transport(world.Registry("registry.test"), "node", "registry.test");
  node::RegistryRuntimeOptions runtime_options;
  runtime_options.wire_clock = &wire;
  node::ImageStore slow_store;
  node::ImageStore fast_store;
  node::RegistryRuntime slow_runtime(slow_store, Platform("linux/amd64"),
                                     {{"registry.test", &transport}}, world.clock, runtime_options);
  node::RegistryRuntime fast_runtime(fast_store, Platform("linux/amd64"),
                                     {{"registry.test", &transport}}, world.clock, runtime_options);
  node::PullAttempt slowly = slow_runtime.PullImage({"registry.test/team/slow:1.0", ""}, nullptr);
  node::PullAttempt quickly = fast_runtime.PullImage({"registry.test/team/fast:1.0", ""}, nullptr);
  ASSERT_TRUE(slowly.result.has_value() && quickly.result.has_value());
  // Two manifest requests (index, platform manifest) of equal size in both repositories.
  EXPECT_EQ(slowly.duration - quickly.duration, seconds(4));
  const node::RuntimePull& record = fast_runtime.pulls().back();
  const Duration expected =
      std::chrono::milliseconds(5) * static_cast<int>(record.exchanges.size()) +
      std::chrono::duration_cast<Duration>(std::chrono::duration<double>(
          static_cast<double>(record.bytes_received) / (100.0 * 1024 * 1024)));
  EXPECT_EQ(quickly.duration, expected);
}

}  // namespace
}  // namespace pullsim::testing
