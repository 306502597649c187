#pragma once
// One request while Registry serves it; shared by registry*.cpp.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/registry/registry.h"

namespace pullsim::registry {

struct Registry::Context {
  const ServerRequest& request;
  std::string method;  // as sent
  std::string path;    // percent-decoded
  oci::QueryParameters query;
  Route route;
  std::string identity;  // user name; empty: anonymous (or not yet known)
  bool head = false;     // HEAD: answer as GET, without the body

  // The first value of query parameter `name`, or nullopt.
  [[nodiscard]] std::optional<std::string> Query(std::string_view name) const {
    for (const auto& [key, value] : query) {
      if (key == name) return value;
    }
    return std::nullopt;
  }
};

namespace internal {

// Scope helpers: "repository:<name>:<actions>".
inline Scope RepositoryScope(std::string name, std::vector<std::string> actions) {
  return Scope{"repository", std::move(name), std::move(actions)};
}

// 201/202/204 responses carry no body; the spec shows Content-Length: 0.
inline oci::RegistryResponse EmptyResponse(int status) {
  oci::RegistryResponse response;
  response.status = status;
  response.headers.Set("Content-Length", "0");
  return response;
}

// "127.0.0.1:40312" → "127.0.0.1": rate limits key anonymous clients by address, not by their
// ephemeral port.
inline std::string ClientAddress(std::string_view client) {
  const std::size_t colon = client.rfind(':');
  if (colon == std::string_view::npos || client.find(']') != std::string_view::npos) {
    return std::string(client);
  }
  return std::string(client.substr(0, colon));
}

}  // namespace internal
}  // namespace pullsim::registry
