// The HTTP front and the HTTP transport on loopback: the same API as in-process, plus what only
// a wire shows (TLS, truncated bodies, huge headers, unknown methods, dropped connections).
#include "sim/registry/http_front.h"

#include <atomic>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "sim/registry/http_transport.h"
#include "sim/registry/testing_helpers.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace pullsim::registry {
namespace {

using namespace pullsim::registry::testing;

// Sends raw bytes to 127.0.0.1:port and returns everything read until the server closes or a
// second passes.
std::string RawExchange(int port, const std::string& bytes, bool close_write = false) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "connect failed";
  }
  timeval timeout{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  if (close_write) ::shutdown(fd, SHUT_WR);
  std::string answer;
  char buffer[4096];
  while (true) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return answer;
}

class HttpFrontTest : public ::testing::Test {
 protected:
  void SetUp() override { StartFront({}); }

  void StartFront(HttpFrontOptions options, RegistryOptions registry_options = {}) {
    front_.reset();
    registry_ = std::make_unique<Registry>(clock_, std::move(registry_options));
    auto front = HttpFront::Start(*registry_, std::move(options));
    ASSERT_TRUE(front.has_value()) << front.error().ToString();
    front_ = std::move(*front);
    auto transport = HttpTransport::Create(front_->base_url());
    ASSERT_TRUE(transport.has_value());
    transport_ = std::move(*transport);
  }

  SystemClock clock_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<HttpFront> front_;
  std::unique_ptr<HttpTransport> transport_;
};

TEST_F(HttpFrontTest, PushesAndPullsOverLoopback) {
  EXPECT_EQ(front_->host(), "127.0.0.1");
  EXPECT_GT(front_->port(), 0);
  const Image image = MakeImage("http", "amd64", 3 << 20);
  PushImage(*transport_, "team/app", image, "1.0");
  auto manifest =
      Send(*transport_, Request(HttpMethod::kGet, RegistryEndpoint::kManifest, "team/app", "1.0"));
  EXPECT_EQ(manifest.status, 200);
  EXPECT_EQ(manifest.body.view(), image.manifest.bytes);
  EXPECT_EQ(manifest.headers.Get("Content-Type"), kOciManifest);
  EXPECT_EQ(manifest.headers.Get("Docker-Content-Digest"), image.manifest.digest.str());
  auto layer = Send(*transport_, Request(HttpMethod::kGet, RegistryEndpoint::kBlob, "team/app",
                                         image.layers[0].digest.str()));
  EXPECT_EQ(layer.status, 200);
  EXPECT_TRUE(layer.body.view() == image.layers[0].bytes);
  auto head = Send(*transport_, Request(HttpMethod::kHead, RegistryEndpoint::kBlob, "team/app",
                                        image.layers[0].digest.str()));
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.headers.Get("Content-Length"), std::to_string(3 << 20));
  auto entries = registry_->log().Entries();
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.back().client.rfind("127.0.0.1:", 0), 0u);
}

TEST_F(HttpFrontTest, RangeIsAppliedOnce) {
  const Blob blob = MakeBlob("0123456789");
  ASSERT_EQ(PushBlob(*transport_, "app", blob).status, 201);
  auto request = Request(HttpMethod::kGet, RegistryEndpoint::kBlob, "app", blob.digest.str());
  request.headers.Set("Range", "bytes=3-5");
  auto response = Send(*transport_, request);
  EXPECT_EQ(response.status, 206);
  EXPECT_EQ(response.body.view(), "345");
  EXPECT_EQ(response.headers.Get("Content-Range"), "bytes 3-5/10");
}

TEST_F(HttpFrontTest, EmptyBlobAndErrorBodiesTravel) {
  const Blob empty = MakeBlob("");
  ASSERT_EQ(PushBlob(*transport_, "app", empty).status, 201);
  auto got = Send(*transport_,
                  Request(HttpMethod::kGet, RegistryEndpoint::kBlob, "app", empty.digest.str()));
  EXPECT_EQ(got.status, 200);
  EXPECT_TRUE(got.body.empty());
  auto missing =
      Send(*transport_, Request(HttpMethod::kGet, RegistryEndpoint::kManifest, "app", "nope"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(FirstErrorCode(missing), "MANIFEST_UNKNOWN");
}

TEST_F(HttpFrontTest, TruncatedUploadStoresNothing) {
  auto start = Send(*transport_, Request(HttpMethod::kPost, RegistryEndpoint::kUploadStart, "app"));
  ASSERT_EQ(start.status, 202);
  const std::string location(*start.headers.Get("Location"));
  const Blob blob = MakeBlob(std::string(1000, 't'));
  const std::string head = "PUT " + location + "?digest=" + blob.digest.str() +
                           " HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                           "Content-Length: 1000\r\n\r\n";
  const std::string answer = RawExchange(front_->port(), head + blob.bytes.substr(0, 400), true);
  EXPECT_EQ(answer.find("201"), std::string::npos) << answer;
  EXPECT_FALSE(registry_->store().FindBlob(blob.digest));
}

TEST_F(HttpFrontTest, HugeHeadersAndUnknownMethodsAreRefused) {
  const std::string huge =
      "GET /v2/ HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n";
  const std::string big_answer = RawExchange(front_->port(), huge);
  EXPECT_EQ(big_answer.rfind("HTTP/1.1 400", 0), 0u) << big_answer.substr(0, 200);
  EXPECT_NE(big_answer.find("UNSUPPORTED"), std::string::npos);

  const std::string unknown = RawExchange(front_->port(), "BREW /v2/ HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(unknown.rfind("HTTP/1.1 400", 0), 0u) << unknown.substr(0, 200);

  const std::string trace =
      RawExchange(front_->port(), "TRACE /v2/app/manifests/1 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(trace.rfind("HTTP/1.1 405", 0), 0u) << trace.substr(0, 200);
  EXPECT_NE(trace.find("UNSUPPORTED"), std::string::npos);

  const std::string dots =
      RawExchange(front_->port(), "GET /v2/a/../../etc/manifests/1 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(dots.rfind("HTTP/1.1 400", 0), 0u) << dots.substr(0, 200);
  EXPECT_NE(dots.find("NAME_INVALID"), std::string::npos);
}

TEST_F(HttpFrontTest, DroppedConnectionReachesTheClientAsUnavailable) {
  RegistryOptions options;
  Fault drop;
  drop.match.endpoints = {RegistryEndpoint::kBlob};
  drop.match.methods = {"GET"};
  drop.drop = true;
  drop.drop_after_bytes = 100;
  options.faults = {drop};
  StartFront({}, std::move(options));
  const Blob blob = MakeBlob(std::string(10000, 'd'));
  ASSERT_EQ(PushBlob(*transport_, "app", blob).status, 201);
  auto response = transport_->RoundTrip(
      Request(HttpMethod::kGet, RegistryEndpoint::kBlob, "app", blob.digest.str()));
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
}

TEST_F(HttpFrontTest, ServesTlsWithAGeneratedCertificate) {
  HttpFrontOptions options;
  options.tls = true;
  StartFront(std::move(options));
  EXPECT_EQ(front_->base_url().rfind("https://127.0.0.1:", 0), 0u);
  EXPECT_NE(front_->certificate_pem().find("BEGIN CERTIFICATE"), std::string::npos);
  auto ping = Send(*transport_, Request(HttpMethod::kGet, RegistryEndpoint::kPing));
  EXPECT_EQ(ping.status, 200);
  PushImage(*transport_, "secure/app", MakeImage("tls"), "1");
}

TEST_F(HttpFrontTest, TokenRealmUsesTheAddressTheClientUsed) {
  RegistryOptions options;
  options.auth.mode = AuthMode::kToken;
  options.auth.users = {{"alice", "pw", ""}};
  StartFront({}, std::move(options));
  auto challenge = Send(*transport_, Request(HttpMethod::kGet, RegistryEndpoint::kPing));
  EXPECT_EQ(challenge.status, 401);
  auto parsed = oci::ParseAuthChallenges(*challenge.headers.Get("WWW-Authenticate"));
  ASSERT_TRUE(parsed.has_value());
  const std::string realm = (*parsed)[0].params.at("realm");
  EXPECT_EQ(realm, front_->base_url() + "/token");
  oci::RegistryRequest token;
  token.endpoint = RegistryEndpoint::kToken;
  token.url = realm;
  token.query = {{"service", "pullsim"}};
  token.headers.Set("Authorization", "Basic YWxpY2U6cHc=");  // alice:pw
  auto answer = Send(*transport_, token);
  ASSERT_EQ(answer.status, 200);
  const std::string value = nlohmann::json::parse(answer.body.view())["token"];
  auto ping = Request(HttpMethod::kGet, RegistryEndpoint::kPing);
  ping.headers.Set("Authorization", "Bearer " + value);
  EXPECT_EQ(Send(*transport_, ping).status, 200);
}

// A real registry's blob GET answers 307 to storage on another host; the transport follows it
// and leaves the registry's credentials behind.
TEST_F(HttpFrontTest, TransportStreamsSuccessfulBodiesIntoTheSinkAndKeepsErrorBodies) {
  const std::string blob(3 << 20, 'b');  // many reads
  const oci::Digest digest = registry_->PutBlob("team/app", oci::SharedBytes(blob));
  std::string received;
  oci::RegistryRequest request;
  request.endpoint = RegistryEndpoint::kBlob;
  request.repository = "team/app";
  request.reference = digest.str();
  request.body_sink = [&](std::string_view piece) {
    received.append(piece);
    return true;
  };
  auto response = transport_->RoundTrip(request);
  ASSERT_TRUE(response.has_value()) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(response->body.empty());
  EXPECT_EQ(response->streamed_bytes, blob.size());
  EXPECT_TRUE(received == blob);

  // An error body is not content: it stays in the response, parsed.
  received.clear();
  request.reference = oci::Digest::Sha256Of("absent").str();
  response = transport_->RoundTrip(request);
  ASSERT_TRUE(response.has_value()) << response.error().message;
  EXPECT_EQ(response->status, 404);
  EXPECT_TRUE(received.empty());
  EXPECT_EQ(response->streamed_bytes, 0u);
  ASSERT_FALSE(response->errors.empty());
  EXPECT_EQ(response->errors[0].code, "BLOB_UNKNOWN");

  // A sink that refuses ends the transfer as a failed request.
  request.reference = digest.str();
  request.body_sink = [](std::string_view) { return false; };
  EXPECT_FALSE(transport_->RoundTrip(request).has_value());
}

TEST(HttpTransport, FollowsRedirectsWithoutLeakingCredentials) {
  httplib::Server storage;
  std::atomic<bool> saw_authorization{false};
  storage.Get("/bucket/blob", [&](const httplib::Request& req, httplib::Response& res) {
    saw_authorization = req.has_header("Authorization");
    res.set_content("blob bytes", "application/octet-stream");
  });
  const int storage_port = storage.bind_to_any_port("127.0.0.1");
  std::thread storage_thread([&] { storage.listen_after_bind(); });
  httplib::Server registry;
  registry.Get(".*", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 307;
    res.set_header("Location", "http://127.0.0.1:" + std::to_string(storage_port) + "/bucket/blob");
  });
  const int registry_port = registry.bind_to_any_port("127.0.0.1");
  std::thread registry_thread([&] { registry.listen_after_bind(); });

  auto transport = HttpTransport::Create("http://127.0.0.1:" + std::to_string(registry_port));
  ASSERT_TRUE(transport.has_value());
  auto request = Request(HttpMethod::kGet, RegistryEndpoint::kBlob, "app",
                         MakeBlob("blob bytes").digest.str());
  request.headers.Set("Authorization", "Bearer secret");
  auto response = (*transport)->RoundTrip(request);
  ASSERT_TRUE(response.has_value()) << response.error().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body.view(), "blob bytes");
  EXPECT_FALSE(saw_authorization.load());
  while (!storage.is_running() || !registry.is_running()) std::this_thread::yield();
  storage.stop();
  registry.stop();
  storage_thread.join();
  registry_thread.join();
}

TEST(HttpTransport, RejectsMalformedUrlsAndReportsRefusedConnections) {
  EXPECT_FALSE(HttpTransport::Create("ftp://x").has_value());
  EXPECT_FALSE(HttpTransport::Create("http://host/path").has_value());
  EXPECT_FALSE(HttpTransport::Create("http://").has_value());
  auto transport = HttpTransport::Create("http://127.0.0.1:1");
  ASSERT_TRUE(transport.has_value());
  auto response = (*transport)->RoundTrip(Request(HttpMethod::kGet, RegistryEndpoint::kPing));
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
}

TEST(HttpFront, ReportsAnAddressInUse) {
  SystemClock clock;
  Registry registry(clock);
  auto first = HttpFront::Start(registry);
  ASSERT_TRUE(first.has_value());
  HttpFrontOptions options;
  options.port = (*first)->port();
  auto second = HttpFront::Start(registry, options);
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace pullsim::registry
