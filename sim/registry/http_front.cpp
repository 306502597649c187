#include "sim/registry/http_front.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>

#include <httplib.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "sim/registry/errors.h"
#include <signal.h>
#include <sys/socket.h>

namespace pullsim::registry {

namespace {

constexpr std::size_t kWriteSlice = 1 << 20;
constexpr std::size_t kCopyBelow = 64 * 1024;

oci::HttpHeaders ToHeaders(const httplib::Headers& headers) {
  oci::HttpHeaders out;
  for (const auto& [name, value] : headers) out.Add(name, value);
  return out;
}

std::string ClientOf(const httplib::Request& req) {
  return req.remote_addr + ":" + std::to_string(req.remote_port);
}

// Writes `served` into httplib's response: headers as given, the body streamed from the shared
// buffer (no copy), throttled to the bandwidth cap, cut short where a fault drops it.
void WriteResponse(ServedResponse served, httplib::Response& res) {
  oci::RegistryResponse& response = served.response;
  res.status = response.status;
  std::string content_type = "application/octet-stream";
  const bool has_body = !response.body.empty() || served.drop_after.has_value();
  for (const oci::HttpHeader& header : response.headers.entries()) {
    if (has_body && oci::EqualsIgnoreCase(header.name, "Content-Length")) continue;
    if (has_body && oci::EqualsIgnoreCase(header.name, "Content-Type")) {
      content_type = header.value;
      continue;
    }
    res.headers.emplace(header.name, header.value);
  }
  if (!has_body) {
    if (!res.has_header("Content-Length")) res.set_header("Content-Length", "0");
    return;
  }
  if (!served.drop_after && served.bandwidth == 0 && response.body.size() <= kCopyBelow) {
    // Small bodies (manifests, small blobs, error documents): one copy is cheaper than the
    // content-provider machinery httplib builds per response (a DataSink with an ostream).
    res.set_content(response.body.data(), response.body.size(), content_type);
    return;
  }
  oci::SharedBytes body = std::move(response.body);
  // A drop with no body still announces one byte, so the client sees the connection cut.
  const std::size_t length = std::max<std::size_t>(body.size(), 1);
  const std::optional<std::uint64_t> drop_after = served.drop_after;
  const std::uint64_t bandwidth = served.bandwidth;
  res.set_content_provider(
      length, content_type,
      [body, drop_after, bandwidth](std::size_t offset, std::size_t want, httplib::DataSink& sink) {
        if (drop_after && offset >= *drop_after) return false;
        std::size_t n = std::min(want, kWriteSlice);
        if (drop_after) n = std::min<std::size_t>(n, *drop_after - offset);
        if (bandwidth > 0) {
          // Twenty slices a second keep the rate smooth.
          n = std::min<std::size_t>(n, std::max<std::uint64_t>(bandwidth / 20, 1));
          std::this_thread::sleep_for(std::chrono::nanoseconds(static_cast<std::int64_t>(
              static_cast<double>(n) * 1e9 / static_cast<double>(bandwidth))));
        }
        if (offset >= body.size()) return false;
        return sink.write(body.data() + offset, std::min(n, body.size() - offset));
      });
}

// PEM text into OpenSSL objects for httplib::SSLServer.
struct TlsObjects {
  X509* cert = nullptr;
  EVP_PKEY* key = nullptr;
  ~TlsObjects() {
    X509_free(cert);
    EVP_PKEY_free(key);
  }
};

bool LoadPem(const std::string& cert_pem, const std::string& key_pem, TlsObjects& out) {
  BIO* cert_bio = BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size()));
  BIO* key_bio = BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size()));
  if (cert_bio != nullptr) out.cert = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr);
  if (key_bio != nullptr) out.key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
  BIO_free(cert_bio);
  BIO_free(key_bio);
  return out.cert != nullptr && out.key != nullptr;
}

}  // namespace

HttpFront::HttpFront(Registry& registry, HttpFrontOptions options)
    : registry_(registry), options_(std::move(options)) {}

HttpFront::~HttpFront() { Stop(); }

std::string HttpFront::authority() const {
  const bool ipv6 = options_.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + options_.host + "]" : options_.host) + ":" + std::to_string(port_);
}

std::string HttpFront::base_url() const {
  return std::string(options_.tls ? "https://" : "http://") + authority();
}

Result<std::unique_ptr<HttpFront>> HttpFront::Start(Registry& registry, HttpFrontOptions options) {
  // cpp-httplib 0.11 writes without MSG_NOSIGNAL: a client closing its end mid-response would
  // raise SIGPIPE and end the process. Once per process, the signal is ignored instead (writes
  // then fail with EPIPE and only that connection ends).
  static std::once_flag ignore_sigpipe;
  std::call_once(ignore_sigpipe, [] { ::signal(SIGPIPE, SIG_IGN); });
  std::unique_ptr<HttpFront> front(new HttpFront(registry, std::move(options)));
  HttpFrontOptions& o = front->options_;
  if (o.tls) {
    if (o.certificate_pem.empty() != o.private_key_pem.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "TLS needs both a certificate and its private key, or neither (to generate)");
    }
    if (o.certificate_pem.empty()) {
      std::vector<std::string> hosts = {o.host};
      if (o.host != "localhost") hosts.emplace_back("localhost");
      auto generated = GenerateSelfSignedCertificate(hosts);
      if (!generated) return std::unexpected(generated.error());
      o.certificate_pem = std::move(generated->certificate_pem);
      o.private_key_pem = std::move(generated->private_key_pem);
    }
    TlsObjects tls;
    if (!LoadPem(o.certificate_pem, o.private_key_pem, tls)) {
      return Fail(ErrorCode::kInvalidArgument, "TLS certificate or key is not valid PEM");
    }
    auto server = std::make_unique<httplib::SSLServer>(tls.cert, tls.key);
    if (!server->is_valid()) {
      return Fail(ErrorCode::kInternal, "TLS server set-up failed (certificate and key match?)");
    }
    front->server_ = std::move(server);
  } else {
    front->server_ = std::make_unique<httplib::Server>();
  }
  front->Install();
  const int port = o.port == 0 ? front->server_->bind_to_any_port(o.host)
                               : (front->server_->bind_to_port(o.host, o.port) ? o.port : -1);
  if (port < 0) {
    return Fail(ErrorCode::kUnavailable,
                "cannot listen on " + o.host + ":" + std::to_string(o.port) +
                    " (address in use, or not an address of this machine)");
  }
  front->port_ = port;
  // httplib listens with a backlog of 5, so a burst of connections (16 benchmark clients) sees
  // SYNs dropped and retried a second later; Linux lets listen() be called again to raise it.
  if (front->listen_socket_ >= 0) ::listen(front->listen_socket_, SOMAXCONN);
  httplib::Server* server = front->server_.get();
  std::atomic<bool>* returned = &front->listen_returned_;
  front->thread_ = std::thread([server, returned] {
    server->listen_after_bind();
    returned->store(true);
  });
  return front;
}

void HttpFront::Stop() {
  if (stopped_.exchange(true)) return;
  if (server_ && thread_.joinable()) {
    // httplib's stop() does nothing until the listening loop has marked itself running; a
    // front stopped right after Start() must wait for that instant or accept() never returns.
    while (!server_->is_running() && !listen_returned_.load()) std::this_thread::yield();
    server_->stop();
  }
  if (thread_.joinable()) thread_.join();
}

void HttpFront::Install() {
  httplib::Server& server = *server_;
  const std::size_t threads = std::max<std::size_t>(options_.threads, 1);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_keep_alive_max_count(options_.keep_alive_max_requests);
  server.set_keep_alive_timeout(options_.keep_alive_timeout_seconds);
  server.set_read_timeout(options_.read_timeout_seconds);
  server.set_write_timeout(options_.read_timeout_seconds);
  server.set_payload_max_length(static_cast<std::size_t>(options_.max_request_body));
  server.set_tcp_nodelay(true);
  // httplib's default also sets SO_REUSEPORT, which lets a second server bind a port in use and
  // steal half its connections; SO_REUSEADDR alone still allows quick restarts.
  server.set_socket_options([this](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_socket_ = sock;
  });

  const std::string scheme = options_.tls ? "https://" : "http://";
  auto serve = [this, scheme](const httplib::Request& req, httplib::Response& res,
                              oci::SharedBytes body) {
    // The registry answers Range itself (identically for both fronts); httplib must not apply
    // the range a second time. The Request is process_request's own non-const local.
    const_cast<httplib::Request&>(req).ranges.clear();
    const std::string host = req.get_header_value("Host");
    ServerRequest request{
        req.method,      req.target,    ToHeaders(req.headers),
        std::move(body), ClientOf(req), scheme + (host.empty() ? authority() : host)};
    WriteResponse(registry_.Serve(request), res);
  };

  // Requests without a body are served before httplib's regex routing.
  server.set_pre_routing_handler([serve](const httplib::Request& req, httplib::Response& res) {
    if (req.method == "POST" || req.method == "PUT" || req.method == "PATCH") {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    serve(req, res, {});
    return httplib::Server::HandlerResponse::Handled;
  });
  // Bodies are read straight into the buffer the store will keep.
  const std::uint64_t max_body = options_.max_request_body;
  auto with_body = [serve, max_body](const httplib::Request& req, httplib::Response& res,
                                     const httplib::ContentReader& reader) {
    std::string body;
    if (req.has_header("Content-Length")) {
      const auto declared = req.get_header_value<std::uint64_t>("Content-Length");
      if (declared <= max_body) body.reserve(static_cast<std::size_t>(declared));
    }
    const bool complete = reader([&](const char* data, std::size_t size) {
      if (body.size() + size > max_body) return false;
      body.append(data, size);
      return true;
    });
    if (!complete) {
      // Truncated or oversized: nothing reaches the registry, nothing is stored.
      res.status = 400;
      res.set_content(oci::FormatErrorBody({{"BLOB_UPLOAD_INVALID",
                                             "request body incomplete or larger than " +
                                                 std::to_string(max_body) + " bytes",
                                             {}}}),
                      "application/json");
      return;
    }
    serve(req, res, oci::SharedBytes(std::move(body)));
  };
  auto without_body = [serve](const httplib::Request& req, httplib::Response& res) {
    serve(req, res, {});
  };
  server.Post(".*", with_body);
  server.Put(".*", with_body);
  server.Patch(".*", with_body);
  server.Post(".*", without_body);
  server.Put(".*", without_body);
  server.Patch(".*", without_body);

  // Errors httplib raises itself (malformed request line, unknown method, oversized headers or
  // URI, payload too large) get a spec error body and a log entry.
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const httplib::Request& req, httplib::Response& res) {
        if (res.has_header("Docker-Distribution-API-Version") || !res.body.empty()) {
          return httplib::Server::HandlerResponse::Unhandled;  // the registry's own answer
        }
        const std::string message = res.status == 413   ? "request body too large"
                                    : res.status == 414 ? "request URI too long"
                                    : res.status == 416 ? "malformed Range header"
                                                        : "malformed or unsupported HTTP request";
        res.set_content(oci::FormatErrorBody({{"UNSUPPORTED", message, {}}}), "application/json");
        res.set_header("Docker-Distribution-API-Version", "registry/2.0");
        RequestLogEntry entry;
        entry.time = registry_.clock().Now();
        entry.client = ClientOf(req);
        entry.identity = "anonymous";
        entry.method = req.method;
        entry.path = req.target;
        entry.status = res.status;
        entry.error_code = "UNSUPPORTED";
        registry_.log().Record(std::move(entry));
        return httplib::Server::HandlerResponse::Handled;
      }));
}

}  // namespace pullsim::registry
