#include "sim/node/registry_client.h"

#include <map>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/oci/digest.h"
#include "sim/oci/media_type.h"
#include "sim/testing/covers_rule.h"

namespace pullsim::node {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Answers by request target ("/v2/app/manifests/1.0"); anything else is a 404. Hostile answers
// are what these tests are about, so no real registry is involved.
class ScriptedTransport final : public oci::RegistryTransport {
 public:
  Result<oci::RegistryResponse> RoundTrip(const oci::RegistryRequest& request) override {
    const std::string target = oci::RequestTarget(request);
    targets.push_back(target);
    auto it = answers.find(target);
    if (it == answers.end()) return oci::RegistryResponse{404, {}, {}, {}};
    if (!it->second) return Fail(ErrorCode::kUnavailable, "connection reset by peer");
    oci::RegistryResponse response = *it->second;
    if (stream_bodies && request.body_sink && response.ok()) {
      // As the HTTP transport does: the body in two pieces through the sink, none kept.
      const std::string_view body = response.body.view();
      const std::size_t half = body.size() / 2;
      if (!request.body_sink(body.substr(0, half)) || !request.body_sink(body.substr(half))) {
        return Fail(ErrorCode::kUnavailable, "canceled");
      }
      response.streamed_bytes = body.size();
      response.body = {};
    }
    return response;
  }
  void Answer(std::string target, int status, std::string body, std::string content_type = {}) {
    oci::RegistryResponse response;
    response.status = status;
    if (!content_type.empty()) response.headers.Set("Content-Type", std::move(content_type));
    response.body = oci::SharedBytes(std::move(body));
    answers[std::move(target)] = std::move(response);
  }
  std::map<std::string, std::optional<oci::RegistryResponse>> answers;
  std::vector<std::string> targets;
  bool stream_bodies = false;
};

class RegistryClientTest : public ::testing::Test {
 protected:
  Result<PulledContent> Pull(std::string_view reference = "1.0") {
    session = PullSession{};
    session.reference = "registry.test/app:1.0";
    session.repository = "app";
    return client.Pull(session, reference, matcher, [](std::string_view) { return false; });
  }
  // A manifest with one layer, and its blobs, served by the script.
  std::string ServeImage() {
    const std::string config = R"({"architecture":"amd64","os":"linux"})";
    const std::string layer = "layer bytes";
    const std::string manifest =
        R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
        R"("config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":")" +
        oci::Digest::Sha256Of(config).str() + R"(","size":)" + std::to_string(config.size()) +
        R"(},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":")" +
        oci::Digest::Sha256Of(layer).str() + R"(","size":)" + std::to_string(layer.size()) + "}]}";
    transport.Answer("/v2/", 200, "{}");
    transport.Answer("/v2/app/blobs/" + oci::Digest::Sha256Of(config).str(), 200, config);
    transport.Answer("/v2/app/blobs/" + oci::Digest::Sha256Of(layer).str(), 200, layer);
    return manifest;
  }

  ScriptedTransport transport;
  VirtualClock clock;
  RegistryClient client{transport, "registry.test", clock};
  oci::PlatformMatcher matcher = oci::PlatformMatcher::Only({"linux", "amd64", "", "", {}, {}});
  PullSession session;
};

TEST_F(RegistryClientTest, PullsAManifestWithoutContentTypeByItsMediaType) {
  transport.Answer("/v2/app/manifests/1.0", 200, ServeImage());
  Result<PulledContent> pulled = Pull();
  ASSERT_TRUE(pulled.has_value()) << pulled.error().message;
  EXPECT_EQ(pulled->root.media_type, oci::media_type::kOciManifest);
  EXPECT_FALSE(pulled->index.has_value());
  EXPECT_EQ(pulled->layers.size(), 1u);
  EXPECT_EQ(pulled->blob_bytes, 37u + 11u);
  EXPECT_EQ(session.exchanges.front().url, "https://registry.test/v2/");
}

TEST_F(RegistryClientTest, MalformedManifestIsAnErrorNamingIt) {
  ServeImage();
  transport.Answer("/v2/app/manifests/1.0", 200, "{\"schemaVersion\":2,",
                   std::string(oci::media_type::kOciManifest));
  Result<PulledContent> pulled = Pull();
  ASSERT_FALSE(pulled.has_value());
  EXPECT_EQ(pulled.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(pulled.error().message, StartsWith("failed to unmarshal manifest sha256:"));
}

TEST_F(RegistryClientTest, UnknownMediaTypeIsRefused) {
  transport.Answer("/v2/app/manifests/1.0", 200, "hello", "text/plain");
  Result<PulledContent> pulled = Pull();
  ASSERT_FALSE(pulled.has_value());
  EXPECT_THAT(pulled.error().message, HasSubstr("is neither an image manifest nor an index"));
}

TEST_F(RegistryClientTest, ARCH_06_EmptyIndexHasNoMatchForThePlatform) {
  testing::CoversRule("ARCH-06");
  transport.Answer("/v2/app/manifests/1.0", 200,
                   R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",)"
                   R"("manifests":[]})",
                   std::string(oci::media_type::kOciIndex));
  Result<PulledContent> pulled = Pull();
  ASSERT_FALSE(pulled.has_value());
  EXPECT_EQ(pulled.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(pulled.error().message, "no match for platform in manifest: not found");
}

TEST_F(RegistryClientTest, TokenAnswerWithoutATokenIsAnError) {
  transport.Answer("/v2/", 401, "");
  transport.answers["/v2/"]->headers.Set(
      "WWW-Authenticate", R"(Bearer realm="https://auth.test/token",service="registry.test")");
  transport.Answer("/token?scope=repository:app:pull&service=registry.test", 200, "[1,2");
  Result<PulledContent> pulled = Pull();
  ASSERT_FALSE(pulled.has_value());
  EXPECT_EQ(pulled.error().message,
            "failed to resolve reference \"registry.test/app:1.0\": failed to authorize: failed "
            "to fetch anonymous token: token response from https://auth.test/token has no token "
            "or access_token");
}

TEST_F(RegistryClientTest, DroppedConnectionIsUnavailable) {
  transport.Answer("/v2/", 200, "{}");
  transport.answers["/v2/app/manifests/1.0"] = std::nullopt;
  Result<PulledContent> pulled = Pull();
  ASSERT_FALSE(pulled.has_value());
  EXPECT_EQ(pulled.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(pulled.error().message,
            "failed to resolve reference \"registry.test/app:1.0\": failed to do request: Get "
            "\"https://registry.test/v2/app/manifests/1.0\": connection reset by peer");
}

TEST_F(RegistryClientTest, LayersNotKeptAreVerifiedAsTheyStreamIn) {
  transport.Answer("/v2/app/manifests/1.0", 200, ServeImage());
  transport.stream_bodies = true;
  RegistryClient streaming(transport, "registry.test", clock,
                           {.scheme = "", .keep_layer_bytes = false});
  session.reference = "registry.test/app:1.0";
  session.repository = "app";
  Result<PulledContent> pulled =
      streaming.Pull(session, "1.0", matcher, [](std::string_view) { return false; });
  ASSERT_TRUE(pulled.has_value()) << pulled.error().message;
  ASSERT_EQ(pulled->layers.size(), 1u);
  EXPECT_TRUE(pulled->layers[0].fetched);
  EXPECT_TRUE(pulled->layers[0].bytes.empty());
  EXPECT_EQ(pulled->layers[0].size, 11u);
  EXPECT_EQ(pulled->blob_bytes, 37u + 11u);
  EXPECT_EQ(session.exchanges.back().bytes, 11u);
}

TEST_F(RegistryClientTest, StreamedLayerOfWrongContentOrSizeIsRefused) {
  const std::string manifest = ServeImage();
  transport.Answer("/v2/app/manifests/1.0", 200, manifest);
  transport.stream_bodies = true;
  RegistryClient streaming(transport, "registry.test", clock,
                           {.scheme = "", .keep_layer_bytes = false});
  const std::string layer_target = "/v2/app/blobs/" + oci::Digest::Sha256Of("layer bytes").str();
  for (const auto& [body, expected] :
       {std::pair<std::string, std::string>{"LAYER BYTES", "unexpected commit digest sha256:"},
        std::pair<std::string, std::string>{"layer bytes!", "unexpected commit size 12"}}) {
    SCOPED_TRACE(body);
    transport.Answer(layer_target, 200, body);
    session = PullSession{};
    session.reference = "registry.test/app:1.0";
    session.repository = "app";
    Result<PulledContent> pulled =
        streaming.Pull(session, "1.0", matcher, [](std::string_view) { return false; });
    ASSERT_FALSE(pulled.has_value());
    EXPECT_EQ(pulled.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_THAT(pulled.error().message, HasSubstr(expected));
  }
}

TEST(HttpStatusText, SpellsStatusesAsGoDoes) {
  EXPECT_EQ(HttpStatusText(401), "401 Unauthorized");
  EXPECT_EQ(HttpStatusText(429), "429 Too Many Requests");
  EXPECT_EQ(HttpStatusText(599), "599 ");
}

}  // namespace
}  // namespace pullsim::node
