#pragma once
// Matches a request path to a Distribution API endpoint (distribution-spec v1.1 "Endpoints"):
// /v2/, /v2/<name>/manifests/<reference>, /v2/<name>/blobs/<digest>, /v2/<name>/blobs/uploads/
// [<session>], /v2/<name>/tags/list, /v2/<name>/referrers/<digest>, /v2/_catalog, and /token.

#include <string>
#include <string_view>
#include <variant>

#include "sim/oci/registry_transport.h"

namespace pullsim::registry {

struct Route {
  oci::RegistryEndpoint endpoint = oci::RegistryEndpoint::kPing;
  std::string repository;
  std::string reference;
};

// The route of `path` (percent-decoded, no query) for `method`, or the error response:
// 404 for paths that are no endpoint, 400 NAME_INVALID for a malformed repository name,
// 400 DIGEST_INVALID for a malformed digest, 405 UNSUPPORTED for a method the endpoint lacks.
[[nodiscard]] std::variant<Route, oci::RegistryResponse> MatchRoute(std::string_view method,
                                                                    std::string_view path);

// The response to a path that is no endpoint: 404 with a spec error body (code NOT_FOUND is not
// a spec code, so distribution's plain "404 page not found" is mirrored in the message).
[[nodiscard]] oci::RegistryResponse NotFoundResponse();

}  // namespace pullsim::registry
