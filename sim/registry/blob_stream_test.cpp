// The HTTP transport's own blob reader (internal/blob_stream.h): large bodies byte-exact into the
// sink, error bodies parsed as before, and servers that lie, stall or send garbage end in a clear
// error, never a hang.
#include "sim/registry/internal/blob_stream.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include <gtest/gtest.h>

#include "sim/registry/http_front.h"
#include "sim/registry/http_transport.h"
#include "sim/registry/testing_helpers.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace pullsim::registry {
namespace {

using namespace pullsim::registry::testing;

// A loopback server that answers every connection with `respond(fd)` after reading the request
// head; counts the requests it saw.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::function<void(int fd, const std::atomic<bool>& stop)> respond)
      : respond_(std::move(respond)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof addr;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 8) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &length) != 0) {
      ADD_FAILURE() << "scripted server could not listen";
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~ScriptedServer() {
    stop_ = true;
    thread_.join();
    ::close(listen_fd_);
  }
  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] int requests() const { return requests_; }
  [[nodiscard]] std::string last_request() const {
    std::lock_guard lock(mu_);
    return last_request_;
  }

 private:
  void Serve() {
    while (!stop_) {
      pollfd waiting{.fd = listen_fd_, .events = POLLIN, .revents = 0};
      if (::poll(&waiting, 1, 50) <= 0) continue;
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      std::string head;
      char buffer[4096];
      while (head.find("\r\n\r\n") == std::string::npos) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        head.append(buffer, static_cast<std::size_t>(n));
      }
      {
        std::lock_guard lock(mu_);
        last_request_ = head;
      }
      ++requests_;
      respond_(fd, stop_);
      ::close(fd);
    }
  }

  std::function<void(int, const std::atomic<bool>&)> respond_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  mutable std::mutex mu_;
  std::string last_request_;
  std::thread thread_;
};

void SendAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Holds the connection open without sending, until the test ends.
void Stall(const std::atomic<bool>& stop) {
  while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

oci::RegistryRequest BlobRequest(const std::string& digest, std::string& received) {
  oci::RegistryRequest request;
  request.endpoint = oci::RegistryEndpoint::kBlob;
  request.repository = "team/app";
  request.reference = digest;
  request.headers.Add("Authorization", "Bearer secret");
  request.body_sink = [&received](std::string_view piece) {
    received.append(piece);
    return true;
  };
  return request;
}

std::unique_ptr<HttpTransport> TransportTo(const std::string& url, int read_timeout_seconds = 60) {
  auto transport = HttpTransport::Create(
      url, HttpTransportOptions{.verify_tls = false,
                                .connect_timeout_seconds = 5,
                                .read_timeout_seconds = read_timeout_seconds});
  EXPECT_TRUE(transport.has_value());
  return transport ? std::move(*transport) : nullptr;
}

const std::string kDigest = oci::Digest::Sha256Of("x").str();

TEST(BlobStream, LargeBlobFromTheHttpFrontArrivesByteExactThroughTheSink) {
  SystemClock clock;
  Registry registry(clock, {});
  auto front = HttpFront::Start(registry, {});
  ASSERT_TRUE(front.has_value()) << front.error().ToString();
  std::string blob(9 << 20, '\0');
  for (std::size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<char>((i * 131) >> 7);
  const oci::Digest digest = registry.PutBlob("team/app", oci::SharedBytes(blob));

  // The reader itself: a complete response, every byte through the sink, none kept.
  std::string received;
  oci::RegistryRequest request = BlobRequest(digest.str(), received);
  auto direct = internal::StreamBlobGet((*front)->base_url(), oci::RequestTarget(request),
                                        request.headers, request.body_sink, {});
  ASSERT_TRUE(direct.has_value()) << direct.error().message;
  EXPECT_EQ(direct->outcome, internal::BlobStreamResponse::Outcome::kComplete);
  EXPECT_EQ(direct->status, 200);
  EXPECT_EQ(direct->streamed_bytes, blob.size());
  EXPECT_TRUE(direct->body.empty());
  EXPECT_TRUE(received == blob);

  // Through the transport, twice (one connection per blob; nothing left over between them).
  auto transport = TransportTo((*front)->base_url());
  for (int round = 0; round < 2; ++round) {
    received.clear();
    auto response = transport->RoundTrip(request);
    ASSERT_TRUE(response.has_value()) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->headers.Get("Docker-Content-Digest"), digest.str());
    EXPECT_EQ(response->streamed_bytes, blob.size());
    EXPECT_TRUE(response->body.empty());
    EXPECT_TRUE(received == blob);
  }

  // 404 from the real front: parsed as before, nothing in the sink.
  received.clear();
  request.reference = oci::Digest::Sha256Of("absent").str();
  auto missing = transport->RoundTrip(request);
  ASSERT_TRUE(missing.has_value()) << missing.error().message;
  EXPECT_EQ(missing->status, 404);
  EXPECT_TRUE(received.empty());
  ASSERT_FALSE(missing->errors.empty());
  EXPECT_EQ(missing->errors[0].code, "BLOB_UNKNOWN");
}

TEST(BlobStream, SendsTheTransportsHeaders) {
  ScriptedServer server([](int fd, const std::atomic<bool>&) {
    SendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  });
  auto transport = TransportTo(server.url());
  std::string received;
  oci::RegistryRequest request = BlobRequest(kDigest, received);
  request.headers.Add("Accept", "application/octet-stream");
  auto response = transport->RoundTrip(request);
  ASSERT_TRUE(response.has_value()) << response.error().message;
  EXPECT_EQ(received, "ok");
  const std::string head = server.last_request();
  EXPECT_EQ(head.rfind("GET /v2/team/app/blobs/" + kDigest + " HTTP/1.1\r\n", 0), 0u) << head;
  EXPECT_NE(head.find("\r\nHost: 127.0.0.1:"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\nAuthorization: Bearer secret\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\nAccept: application/octet-stream\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\nUser-Agent: "), std::string::npos) << head;
}

TEST(BlobStream, FollowsRedirectsToStorageWithoutTheCredentials) {
  ScriptedServer storage([](int fd, const std::atomic<bool>&) {
    SendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nblob bytes");
  });
  ScriptedServer registry([&](int fd, const std::atomic<bool>&) {
    SendAll(fd, "HTTP/1.1 307 Temporary Redirect\r\nLocation: " + storage.url() +
                    "/bucket/blob?sig=1\r\nContent-Length: 0\r\n\r\n");
  });
  auto transport = TransportTo(registry.url());
  std::string received;
  auto response = transport->RoundTrip(BlobRequest(kDigest, received));
  ASSERT_TRUE(response.has_value()) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(received, "blob bytes");
  EXPECT_NE(registry.last_request().find("Authorization: Bearer secret"), std::string::npos);
  const std::string storage_head = storage.last_request();
  EXPECT_EQ(storage_head.rfind("GET /bucket/blob?sig=1 HTTP/1.1\r\n", 0), 0u) << storage_head;
  EXPECT_EQ(storage_head.find("Authorization"), std::string::npos) << storage_head;
}

TEST(BlobStream, HeaderValuesCannotSmuggleLines) {
  ScriptedServer server([](int fd, const std::atomic<bool>&) {
    SendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  });
  auto transport = TransportTo(server.url());
  std::string received;
  oci::RegistryRequest request = BlobRequest(kDigest, received);
  request.headers.Set("Authorization", "Bearer t\r\nX-Injected: 1");
  auto response = transport->RoundTrip(request);
  ASSERT_FALSE(response.has_value());
  EXPECT_NE(response.error().message.find("request header \"Authorization\""), std::string::npos)
      << response.error().message;
  EXPECT_EQ(server.requests(), 0);
}

TEST(BlobStream, ConnectionClosedMidBodyIsAnError) {
  ScriptedServer server([](int fd, const std::atomic<bool>&) {
    SendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n" + std::string(1000, 'x'));
  });
  auto transport = TransportTo(server.url());
  std::string received;
  auto response = transport->RoundTrip(BlobRequest(kDigest, received));
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(response.error().message.find("connection closed after 1000 of 1000000 body bytes"),
            std::string::npos)
      << response.error().message;
}

TEST(BlobStream, UnauthorizedChallengeIsParsedFromOneRequest) {
  const std::string body =
      R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})";
  ScriptedServer server([&](int fd, const std::atomic<bool>&) {
    SendAll(fd,
            "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"http://t/token\""
            "\r\nContent-Type: application/json\r\nContent-Length: " +
                std::to_string(body.size()) + "\r\n\r\n" + body);
  });
  auto transport = TransportTo(server.url());
  std::string received;
  auto response = transport->RoundTrip(BlobRequest(kDigest, received));
  ASSERT_TRUE(response.has_value()) << response.error().message;
  EXPECT_EQ(response->status, 401);
  EXPECT_EQ(response->headers.Get("WWW-Authenticate"), "Bearer realm=\"http://t/token\"");
  ASSERT_EQ(response->errors.size(), 1u);
  EXPECT_EQ(response->errors[0].code, "UNAUTHORIZED");
  EXPECT_EQ(response->streamed_bytes, 0u);
  EXPECT_TRUE(received.empty());
  EXPECT_EQ(server.requests(), 1);  // the registry's request log sees what the client sent
}

TEST(BlobStream, GarbageStatusLineIsAClearError) {
  ScriptedServer server(
      [](int fd, const std::atomic<bool>&) { SendAll(fd, "SSH-2.0-OpenSSH_9.2\r\n\r\n"); });
  auto transport = TransportTo(server.url());
  std::string received;
  auto response = transport->RoundTrip(BlobRequest(kDigest, received));
  ASSERT_FALSE(response.has_value());
  EXPECT_NE(response.error().message.find("malformed status line \"SSH-2.0-OpenSSH_9.2\""),
            std::string::npos)
      << response.error().message;
}

TEST(BlobStream, GarbageHeaderLineIsAClearError) {
  ScriptedServer server([](int fd, const std::atomic<bool>&) {
    SendAll(fd, std::string("HTTP/1.1 200 OK\r\nno colon here\r\nContent-Length: 1\r\n\r\nx"));
  });
  auto transport = TransportTo(server.url());
  std::string received;
  auto response = transport->RoundTrip(BlobRequest(kDigest, received));
  ASSERT_FALSE(response.has_value());
  EXPECT_NE(response.error().message.find("malformed response header line \"no colon here\""),
            std::string::npos)
      << response.error().message;
  EXPECT_TRUE(received.empty());
}

TEST(BlobStream, BadOrConflictingContentLengthIsAClearError) {
  for (const std::string lengths : {"Content-Length: -1\r\n", "Content-Length: 12abc\r\n",
                                    "Content-Length: 99999999999999999999999\r\n",
                                    "Content-Length: 1\r\nContent-Length: 2\r\n"}) {
    ScriptedServer server([&](int fd, const std::atomic<bool>&) {
      SendAll(fd, "HTTP/1.1 200 OK\r\n" + lengths + "\r\nxx");
    });
    auto transport = TransportTo(server.url());
    std::string received;
    auto response = transport->RoundTrip(BlobRequest(kDigest, received));
    ASSERT_FALSE(response.has_value()) << lengths;
    EXPECT_NE(response.error().message.find("invalid Content-Length"), std::string::npos)
        << response.error().message;
  }
}

TEST(BlobStream, HugeHeadersAreRefusedWithoutReadingForever) {
  ScriptedServer server([](int fd, const std::atomic<bool>& stop) {
    SendAll(fd, "HTTP/1.1 200 OK\r\nX-Pad: " + std::string(200 * 1024, 'p'));
    Stall(stop);  // never ends the headers
  });
  auto transport = TransportTo(server.url());
  std::string received;
  const auto start = std::chrono::steady_clock::now();
  auto response = transport->RoundTrip(BlobRequest(kDigest, received));
  ASSERT_FALSE(response.has_value());
  EXPECT_NE(response.error().message.find("response headers exceed 65536 bytes"), std::string::npos)
      << response.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(BlobStream, StalledBodyEndsAtTheReadTimeout) {
  ScriptedServer server([](int fd, const std::atomic<bool>& stop) {
    SendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc");
    Stall(stop);
  });
  auto transport = TransportTo(server.url(), /*read_timeout_seconds=*/1);
  std::string received;
  const auto start = std::chrono::steady_clock::now();
  auto response = transport->RoundTrip(BlobRequest(kDigest, received));
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(response.error().message.find("read timeout"), std::string::npos)
      << response.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(BlobStream, ResponsesWithoutContentLengthGoThroughTheGeneralClient) {
  // Chunked: handed to cpp-httplib, which decodes it.
  ScriptedServer chunked([](int fd, const std::atomic<bool>&) {
    SendAll(
        fd,
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  });
  auto transport = TransportTo(chunked.url());
  std::string received;
  auto response = transport->RoundTrip(BlobRequest(kDigest, received));
  ASSERT_TRUE(response.has_value()) << response.error().message;
  EXPECT_EQ(received, "abcde");
  EXPECT_EQ(response->streamed_bytes, 5u);

  // No length and the connection held open: the general client's read timeout ends it.
  ScriptedServer unbounded([](int fd, const std::atomic<bool>& stop) {
    SendAll(fd, "HTTP/1.1 200 OK\r\n\r\nsome bytes");
    Stall(stop);
  });
  transport = TransportTo(unbounded.url(), /*read_timeout_seconds=*/1);
  const auto start = std::chrono::steady_clock::now();
  received.clear();
  response = transport->RoundTrip(BlobRequest(kDigest, received));
  EXPECT_FALSE(response.has_value());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(8));
}

TEST(BlobStream, SilentServerAndRefusedConnectionAreUnavailable) {
  ScriptedServer silent([](int, const std::atomic<bool>&) {});  // closes without a word
  auto transport = TransportTo(silent.url());
  std::string received;
  auto response = transport->RoundTrip(BlobRequest(kDigest, received));
  ASSERT_FALSE(response.has_value());
  EXPECT_NE(response.error().message.find("connection closed before a response"), std::string::npos)
      << response.error().message;

  transport = TransportTo("http://127.0.0.1:1");
  response = transport->RoundTrip(BlobRequest(kDigest, received));
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(response.error().message.find("connect 127.0.0.1:1"), std::string::npos)
      << response.error().message;
}

}  // namespace
}  // namespace pullsim::registry
