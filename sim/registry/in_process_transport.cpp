#include "sim/registry/in_process_transport.h"

namespace pullsim::registry {

InProcessTransport::InProcessTransport(Registry& registry, std::string client, std::string host)
    : registry_(registry), client_(std::move(client)), base_url_("http://" + std::move(host)) {}

Result<oci::RegistryResponse> InProcessTransport::RoundTrip(const oci::RegistryRequest& request) {
  ServerRequest server_request{std::string(oci::HttpMethodName(request.method)),
                               oci::RequestTarget(request),
                               request.headers,
                               request.body,
                               client_,
                               base_url_};
  ServedResponse served = registry_.Serve(server_request);
  // A bandwidth cap spends the transfer time on the registry's clock.
  if (served.bandwidth > 0 && !served.response.body.empty()) {
    const auto nanos =
        static_cast<std::int64_t>(static_cast<long double>(served.response.body.size()) * 1e9L /
                                  static_cast<long double>(served.bandwidth));
    registry_.Wait(Duration(nanos));
  }
  if (served.drop_after) {
    return Fail(ErrorCode::kUnavailable, std::string(oci::HttpMethodName(request.method)) + " " +
                                             server_request.target +
                                             ": connection dropped by the registry after " +
                                             std::to_string(*served.drop_after) + " body bytes");
  }
  return std::move(served.response);
}

}  // namespace pullsim::registry
