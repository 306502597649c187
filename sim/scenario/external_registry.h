#pragma once
// A real registry a node reaches over HTTP (`pullsim explain --registry URL`): the node's
// requests go through registry::HttpTransport, and each is written to a request log as the
// registry's own log would show it, so expectations, explain and reports read what the node saw.

#include <memory>
#include <string>

#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/oci/registry_transport.h"
#include "sim/registry/http_transport.h"
#include "sim/registry/request_log.h"

namespace pullsim::scenario {

class ExternalRegistryTransport final : public oci::RegistryTransport {
 public:
  // `log` and `clock` (which stamps the entries) must outlive the transport. `client` names the
  // node in the log. kInvalidArgument for a URL HttpTransport refuses.
  [[nodiscard]] static Result<std::unique_ptr<ExternalRegistryTransport>> Create(
      const std::string& base_url, registry::HttpTransportOptions options,
      registry::RequestLog& log, const Clock& clock, std::string client);

  // The registry's answer, logged; kUnavailable (logged with status 0) when none came.
  [[nodiscard]] Result<oci::RegistryResponse> RoundTrip(
      const oci::RegistryRequest& request) override;

 private:
  ExternalRegistryTransport(std::unique_ptr<registry::HttpTransport> http,
                            registry::RequestLog& log, const Clock& clock, std::string client);

  std::unique_ptr<registry::HttpTransport> http_;
  registry::RequestLog& log_;
  const Clock& clock_;
  std::string client_;
};

// Asks `base_url` for GET /v2/ once. kUnavailable with the address and the transport's error
// when nothing answers; kFailedPrecondition when what answers is no registry (neither 200 nor a
// 401 challenge).
[[nodiscard]] Result<void> CheckRegistryAnswers(const std::string& base_url,
                                                registry::HttpTransportOptions options);

}  // namespace pullsim::scenario
