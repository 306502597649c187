#pragma once
// RegistryTransport by plain calls into a Registry: no sockets, no copies of blob bytes (request
// and response bodies share their buffers with the content store). The default in scenarios.

#include <string>

#include "sim/oci/registry_transport.h"
#include "sim/registry/registry.h"

namespace pullsim::registry {

class InProcessTransport final : public oci::RegistryTransport {
 public:
  // `client` names the caller in the request log (a node name); `host` forms the base URL the
  // registry announces ("http://<host>"), e.g. the token realm.
  InProcessTransport(Registry& registry, std::string client = "in-process",
                     std::string host = "registry.test");

  // kUnavailable when an injected fault drops the connection.
  [[nodiscard]] Result<oci::RegistryResponse> RoundTrip(
      const oci::RegistryRequest& request) override;

 private:
  Registry& registry_;
  std::string client_;
  std::string base_url_;
};

}  // namespace pullsim::registry
