#pragma once
// RegistryTransport over HTTP with cpp-httplib, against any registry URL: pullsim's own HTTP
// front, Debian's docker-registry, or a real registry. Keeps one keep-alive connection per host;
// absolute URLs the registry hands out (token realm, upload Location) may name other hosts.
// GET/HEAD redirects (blob storage) are followed, without the Authorization header when the
// redirect leaves the host.
// One transport serves one caller at a time: give each thread its own.

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "sim/oci/registry_transport.h"

namespace httplib {
class Client;
}

namespace pullsim::registry {

struct HttpTransportOptions {
  bool verify_tls = false;  // like skopeo --tls-verify=false: pullsim's certificates self-sign
  int connect_timeout_seconds = 10;
  int read_timeout_seconds = 60;
};

class HttpTransport final : public oci::RegistryTransport {
 public:
  // `base_url`: "http://127.0.0.1:5000" or "https://registry.example:443" (no path).
  // kInvalidArgument for anything else.
  [[nodiscard]] static Result<std::unique_ptr<HttpTransport>> Create(
      std::string base_url, HttpTransportOptions options = {});
  ~HttpTransport() override;

  // kUnavailable when no complete response arrived (refused, reset, truncated, timed out).
  [[nodiscard]] Result<oci::RegistryResponse> RoundTrip(
      const oci::RegistryRequest& request) override;

  [[nodiscard]] const std::string& base_url() const { return base_url_; }

 private:
  HttpTransport(std::string base_url, HttpTransportOptions options);
  httplib::Client& ClientFor(const std::string& origin);

  std::string base_url_;
  HttpTransportOptions options_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<httplib::Client>> clients_;  // by scheme://host:port
};

}  // namespace pullsim::registry
