#pragma once
// The registry over real HTTP (cpp-httplib): 127.0.0.1 and port 0 by default, optional TLS with
// a given or generated certificate. Every request goes to Registry::Serve, so both fronts behave
// the same. Tuned for throughput: a thread pool larger than httplib's default (each keep-alive
// connection holds a thread), long keep-alive, and bodies streamed from the store's shared
// buffers with a content provider instead of being copied into the response.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "sim/core/result.h"
#include "sim/registry/registry.h"
#include "sim/registry/tls_certificate.h"

namespace httplib {
class Server;
}

namespace pullsim::registry {

struct HttpFrontOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port
  bool tls = false;
  // With tls: PEM certificate and key; both empty: a self-signed one is generated for host.
  std::string certificate_pem;
  std::string private_key_pem;
  std::size_t threads = 64;                       // concurrent connections served
  std::size_t keep_alive_max_requests = 100'000;  // per connection
  // An idle keep-alive connection also holds Stop() up to this long (httplib checks for shutdown
  // only between requests).
  int keep_alive_timeout_seconds = 2;
  int read_timeout_seconds = 30;
  std::uint64_t max_request_body = 4ull << 30;  // larger bodies get 413
};

class HttpFront {
 public:
  // Binds and starts serving on a background thread; the socket accepts on return.
  // kUnavailable when the address cannot be bound; kInternal for TLS set-up failures.
  [[nodiscard]] static Result<std::unique_ptr<HttpFront>> Start(Registry& registry,
                                                                HttpFrontOptions options = {});
  ~HttpFront();
  HttpFront(const HttpFront&) = delete;
  HttpFront& operator=(const HttpFront&) = delete;

  // Stops accepting, finishes requests in flight, joins the thread. Idempotent.
  void Stop();

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] const std::string& host() const { return options_.host; }
  // "http://127.0.0.1:41235" (https with TLS).
  [[nodiscard]] std::string base_url() const;
  // "127.0.0.1:41235": what a client puts in an image reference.
  [[nodiscard]] std::string authority() const;
  // The certificate in use (PEM), empty without TLS.
  [[nodiscard]] const std::string& certificate_pem() const { return options_.certificate_pem; }

 private:
  HttpFront(Registry& registry, HttpFrontOptions options);
  void Install();

  Registry& registry_;
  HttpFrontOptions options_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  int listen_socket_ = -1;
  std::atomic<bool> stopped_{false};
  std::atomic<bool> listen_returned_{false};
};

}  // namespace pullsim::registry
