#include "sim/registry/route.h"

#include <algorithm>
#include <array>
#include <vector>

#include "sim/oci/digest.h"
#include "sim/registry/errors.h"
#include "sim/registry/names.h"

namespace pullsim::registry {

oci::RegistryResponse NotFoundResponse() {
  oci::RegistryResponse response;
  response.status = 404;
  response.headers.Set("Content-Type", "text/plain; charset=utf-8");
  response.body = oci::SharedBytes(std::string("404 page not found\n"));
  return response;
}

namespace {

using oci::RegistryEndpoint;

std::vector<std::string_view> AllowedMethods(RegistryEndpoint endpoint) {
  switch (endpoint) {
    case RegistryEndpoint::kPing:
    case RegistryEndpoint::kTags:
    case RegistryEndpoint::kReferrers:
    case RegistryEndpoint::kCatalog:
      return {"GET", "HEAD"};
    case RegistryEndpoint::kManifest:
      return {"GET", "HEAD", "PUT", "DELETE"};
    case RegistryEndpoint::kBlob:
      return {"GET", "HEAD", "DELETE"};
    case RegistryEndpoint::kUploadStart:
      return {"POST"};
    case RegistryEndpoint::kUploadSession:
      return {"GET", "PATCH", "PUT", "DELETE"};
    case RegistryEndpoint::kToken:
      return {"GET", "POST"};
  }
  return {};
}

std::variant<Route, oci::RegistryResponse> Checked(std::string_view method, Route route) {
  const auto allowed = AllowedMethods(route.endpoint);
  if (std::find(allowed.begin(), allowed.end(), method) == allowed.end()) {
    std::string allow;
    for (std::string_view m : allowed) {
      if (!allow.empty()) allow += ", ";
      allow += m;
    }
    oci::RegistryResponse response = ErrorResponse(
        SpecError::kUnsupported, "method " + std::string(method) + " is not allowed here");
    response.headers.Set("Allow", allow);
    return response;
  }
  if (!route.repository.empty()) {
    if (auto ok = CheckRepositoryName(route.repository); !ok) {
      return ErrorResponse(SpecError::kNameInvalid, ok.error().message);
    }
  }
  const bool needs_digest = route.endpoint == RegistryEndpoint::kBlob ||
                            route.endpoint == RegistryEndpoint::kReferrers ||
                            (route.endpoint == RegistryEndpoint::kManifest &&
                             route.reference.find(':') != std::string::npos);
  if (needs_digest) {
    if (auto digest = oci::Digest::Parse(route.reference); !digest) {
      return ErrorResponse(SpecError::kDigestInvalid, digest.error().message);
    }
  } else if (route.endpoint == RegistryEndpoint::kManifest) {
    if (auto ok = CheckTag(route.reference); !ok) {
      if (method == "PUT") return ErrorResponse(SpecError::kManifestInvalid, ok.error().message);
      return ErrorResponse(SpecError::kManifestUnknown, ok.error().message);
    }
  }
  return route;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

std::variant<Route, oci::RegistryResponse> MatchRoute(std::string_view method,
                                                      std::string_view path) {
  if (path == "/token") return Checked(method, Route{RegistryEndpoint::kToken, {}, {}});
  if (path == "/v2" || path == "/v2/")
    return Checked(method, Route{RegistryEndpoint::kPing, {}, {}});
  if (path.substr(0, 4) != "/v2/") return NotFoundResponse();
  std::string_view rest = path.substr(4);
  if (rest == "_catalog") return Checked(method, Route{RegistryEndpoint::kCatalog, {}, {}});

  if (EndsWith(rest, "/tags/list")) {
    return Checked(
        method, Route{RegistryEndpoint::kTags, std::string(rest.substr(0, rest.size() - 10)), {}});
  }
  // Uploads: <name>/blobs/uploads[/][<session>]
  static constexpr std::string_view kUploads = "/blobs/uploads";
  if (const std::size_t at = rest.rfind(kUploads); at != std::string_view::npos && at > 0) {
    std::string_view after = rest.substr(at + kUploads.size());
    const std::string name(rest.substr(0, at));
    if (after.empty() || after == "/") {
      return Checked(method, Route{RegistryEndpoint::kUploadStart, name, {}});
    }
    if (after.front() == '/' && after.find('/', 1) == std::string_view::npos) {
      return Checked(method,
                     Route{RegistryEndpoint::kUploadSession, name, std::string(after.substr(1))});
    }
  }
  // <name>/(manifests|blobs|referrers)/<reference>
  const std::size_t last_slash = rest.rfind('/');
  if (last_slash == std::string_view::npos || last_slash == 0) return NotFoundResponse();
  const std::string_view reference = rest.substr(last_slash + 1);
  const std::string_view head = rest.substr(0, last_slash);
  const std::size_t kind_slash = head.rfind('/');
  if (kind_slash == std::string_view::npos || kind_slash == 0) return NotFoundResponse();
  const std::string_view kind = head.substr(kind_slash + 1);
  const std::string name(head.substr(0, kind_slash));
  if (reference.empty()) return NotFoundResponse();
  static constexpr std::array<std::pair<std::string_view, RegistryEndpoint>, 3> kKinds = {{
      {"manifests", RegistryEndpoint::kManifest},
      {"blobs", RegistryEndpoint::kBlob},
      {"referrers", RegistryEndpoint::kReferrers},
  }};
  for (const auto& [word, endpoint] : kKinds) {
    if (kind == word) return Checked(method, Route{endpoint, name, std::string(reference)});
  }
  return NotFoundResponse();
}

}  // namespace pullsim::registry
