#include "sim/registry/registry.h"

#include <algorithm>
#include <charconv>

#include <nlohmann/json.hpp>

#include "sim/registry/errors.h"
#include "sim/registry/internal/request_context.h"

namespace pullsim::registry {

using internal::RepositoryScope;
using oci::RegistryEndpoint;

Registry::Registry(const Clock& clock, RegistryOptions options)
    : clock_(clock),
      options_(std::move(options)),
      auth_(clock, options_.auth),
      rate_limiter_(clock, options_.rate_limits),
      faults_(options_.faults),
      log_(options_.request_log_capacity) {}

void Registry::Wait(Duration d) const {
  if (d > Duration::zero() && options_.wait) options_.wait(d);
}

namespace {

// Splits "path?query" and decodes both; nullopt for a malformed percent-escape.
bool ParseTarget(std::string_view target, std::string& path, oci::QueryParameters& query) {
  const std::size_t question = target.find('?');
  auto decoded = oci::PercentDecode(target.substr(0, question));
  if (!decoded) return false;
  path = std::move(*decoded);
  if (question == std::string_view::npos) return true;
  std::string_view rest = target.substr(question + 1);
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    if (!pair.empty()) {
      const std::size_t eq = pair.find('=');
      auto key = oci::PercentDecode(pair.substr(0, eq), true);
      auto value =
          oci::PercentDecode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
      if (!key || !value) return false;
      query.emplace_back(std::move(*key), std::move(*value));
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return true;
}

// Writes a HEAD answer: the GET's headers and Content-Length, no body.
void StripBodyForHead(oci::RegistryResponse& response) {
  if (!response.body.empty()) {
    response.headers.Set("Content-Length", std::to_string(response.body.size()));
    response.body = {};
  }
}

}  // namespace

ServedResponse Registry::Serve(const ServerRequest& request) {
  Context context{request, request.method, {}, {}, {}, {}, request.method == "HEAD"};
  ServedResponse served;
  RequestLogEntry entry;
  entry.client = request.client;
  entry.method = request.method;
  entry.path = request.target;
  entry.request_bytes = request.body.size();

  oci::RegistryResponse& response = served.response;
  bool routed = false;
  if (!ParseTarget(request.target, context.path, context.query)) {
    response = ErrorResponse(SpecError::kNameInvalid,
                             "malformed percent-encoding in \"" + request.target + "\"");
  } else {
    auto matched = MatchRoute(context.method, context.path);
    if (auto* error = std::get_if<oci::RegistryResponse>(&matched)) {
      response = std::move(*error);
    } else {
      context.route = std::get<Route>(std::move(matched));
      routed = true;
    }
  }
  if (routed) {
    entry.endpoint = context.route.endpoint;
    entry.repository = context.route.repository;
    entry.reference = context.route.reference;
  }

  // Faults act on the wire, before the registry looks at the request.
  FaultEffect fault;
  if (!faults_.empty()) {
    const std::string identity = auth_.IdentityOf(request.headers);
    fault = faults_.Apply(FaultRequest{
        request.method, routed ? std::optional(context.route.endpoint) : std::nullopt,
        context.route.repository, context.route.reference, context.path,
        identity.empty() ? std::string_view("anonymous") : std::string_view(identity)});
    entry.fault = fault.names;
    Wait(fault.latency);
  }
  if (fault.error) {
    response = std::move(*fault.error);
  } else if (routed) {
    response = Dispatch(context);
  }
  response.headers.Set("Docker-Distribution-API-Version", "registry/2.0");
  if (context.head) StripBodyForHead(response);

  served.drop_after = fault.drop_after;
  served.bandwidth = fault.bandwidth;

  entry.time = clock_.Now();
  entry.identity = context.identity.empty() ? "anonymous" : context.identity;
  entry.status = response.status;
  entry.response_bytes = response.body.size();
  if (served.drop_after) entry.response_bytes = std::min(entry.response_bytes, *served.drop_after);
  if (!response.errors.empty()) entry.error_code = response.errors.front().code;
  log_.Record(std::move(entry));
  return served;
}

oci::RegistryResponse Registry::Dispatch(Context& context) {
  const std::string& method = context.method;
  switch (context.route.endpoint) {
    case RegistryEndpoint::kPing:
      return Ping(context);
    case RegistryEndpoint::kToken:
      return Token(context);
    case RegistryEndpoint::kCatalog:
      return Catalog(context);
    case RegistryEndpoint::kTags:
      return Tags(context);
    case RegistryEndpoint::kReferrers:
      return Referrers(context);
    case RegistryEndpoint::kManifest:
      if (method == "PUT") return PutManifestRequest(context);
      if (method == "DELETE") return DeleteManifest(context);
      return GetManifest(context);
    case RegistryEndpoint::kBlob:
      if (method == "DELETE") return DeleteBlob(context);
      return GetBlob(context);
    case RegistryEndpoint::kUploadStart:
      return StartUpload(context);
    case RegistryEndpoint::kUploadSession:
      if (method == "GET") return UploadStatus(context);
      if (method == "PATCH") return PatchUpload(context);
      if (method == "PUT") return FinishUpload(context);
      return CancelUpload(context);
  }
  return NotFoundResponse();
}

std::optional<oci::RegistryResponse> Registry::Authorize(Context& context,
                                                         std::vector<Scope> needed) {
  AuthDecision decision =
      auth_.Authorize(context.request.headers, needed, context.request.base_url);
  context.identity = decision.user;
  if (decision.allowed) return std::nullopt;
  return std::move(decision.denial);
}

oci::RegistryResponse Registry::Ping(Context& context) {
  if (auto denied = Authorize(context, {})) return std::move(*denied);
  oci::RegistryResponse response;
  response.status = 200;
  response.headers.Set("Content-Type", "application/json");
  response.body = oci::SharedBytes(std::string("{}"));
  return response;
}

oci::RegistryResponse Registry::Token(Context& context) {
  oci::RegistryResponse response = auth_.IssueToken(
      context.method, context.query, context.request.headers, context.request.body.view());
  context.identity = auth_.IdentityOf(context.request.headers);
  if (response.status == 200 && context.identity.empty()) {
    // The log names the user the token was issued to, however the credentials came (Basic
    // header, or the OAuth2 password form containerd POSTs), so "no token without
    // credentials" can be checked from the log.
    const nlohmann::json issued = nlohmann::json::parse(response.body.view(), nullptr, false);
    if (issued.is_object() && issued.contains("token") && issued["token"].is_string()) {
      const oci::HttpHeaders bearer{
          {"Authorization", "Bearer " + issued["token"].get<std::string>()}};
      context.identity = auth_.IdentityOf(bearer);
    }
  }
  return response;
}

namespace {

struct Page {
  std::vector<std::string> items;
  bool more = false;
};

// n/last pagination shared by tags and catalog: entries after `last`, at most `n`.
std::variant<Page, oci::RegistryResponse> Paginate(std::vector<std::string> all,
                                                   const std::optional<std::string>& n,
                                                   const std::optional<std::string>& last) {
  std::optional<std::size_t> limit;
  if (n) {
    std::size_t value = 0;
    const char* begin = n->data();
    const char* end = n->data() + n->size();
    auto [ptr, ec] = std::from_chars(begin, end, value);
    if (n->empty() || ec != std::errc() || ptr != end) {
      return ErrorResponse(SpecError::kPaginationNumberInvalid,
                           "n=\"" + *n + "\": expected a non-negative integer");
    }
    limit = value;
  }
  Page page;
  std::sort(all.begin(), all.end());
  auto it = all.begin();
  if (last) it = std::upper_bound(all.begin(), all.end(), *last);
  for (; it != all.end(); ++it) {
    if (limit && page.items.size() >= *limit) {
      page.more = true;
      break;
    }
    page.items.push_back(*it);
  }
  return page;
}

oci::RegistryResponse JsonResponse(const nlohmann::json& body, std::string content_type) {
  oci::RegistryResponse response;
  response.status = 200;
  response.headers.Set("Content-Type", std::move(content_type));
  response.body = oci::SharedBytes(body.dump());
  return response;
}

}  // namespace

oci::RegistryResponse Registry::Tags(Context& context) {
  const std::string& repository = context.route.repository;
  if (auto denied = Authorize(context, {RepositoryScope(repository, {"pull"})})) {
    return std::move(*denied);
  }
  auto tags = store_.Tags(repository);
  if (!tags)
    return ErrorResponse(SpecError::kNameUnknown,
                         "repository \"" + repository + "\" is not known to the registry");
  const auto n = context.Query("n");
  auto paged = Paginate(std::move(*tags), n, context.Query("last"));
  if (auto* error = std::get_if<oci::RegistryResponse>(&paged)) return std::move(*error);
  Page& page = std::get<Page>(paged);
  oci::RegistryResponse response =
      JsonResponse(nlohmann::json{{"name", repository}, {"tags", page.items}}, "application/json");
  if (page.more && !page.items.empty()) {
    response.headers.Set("Link", "</v2/" + repository +
                                     "/tags/list?last=" + oci::PercentEncode(page.items.back()) +
                                     "&n=" + *n + ">; rel=\"next\"");
  }
  return response;
}

oci::RegistryResponse Registry::Catalog(Context& context) {
  if (auto denied = Authorize(context, {Scope{"registry", "catalog", {"*"}}})) {
    return std::move(*denied);
  }
  const auto n = context.Query("n");
  auto paged = Paginate(store_.Repositories(), n, context.Query("last"));
  if (auto* error = std::get_if<oci::RegistryResponse>(&paged)) return std::move(*error);
  Page& page = std::get<Page>(paged);
  oci::RegistryResponse response =
      JsonResponse(nlohmann::json{{"repositories", page.items}}, "application/json");
  if (page.more && !page.items.empty()) {
    response.headers.Set("Link", "</v2/_catalog?last=" + oci::PercentEncode(page.items.back()) +
                                     "&n=" + *n + ">; rel=\"next\"");
  }
  return response;
}

oci::RegistryResponse Registry::Referrers(Context& context) {
  const std::string& repository = context.route.repository;
  if (auto denied = Authorize(context, {RepositoryScope(repository, {"pull"})})) {
    return std::move(*denied);
  }
  const oci::Digest subject = *oci::Digest::Parse(context.route.reference);  // checked by route
  const auto artifact_type = context.Query("artifactType");
  nlohmann::json manifests = nlohmann::json::array();
  for (const StoredManifest& manifest : store_.Referrers(repository, subject)) {
    if (artifact_type && manifest.artifact_type != *artifact_type) continue;
    nlohmann::json descriptor = {{"mediaType", manifest.media_type},
                                 {"digest", manifest.digest.str()},
                                 {"size", manifest.bytes.size()}};
    if (!manifest.artifact_type.empty()) descriptor["artifactType"] = manifest.artifact_type;
    if (!manifest.annotations_json.empty()) {
      descriptor["annotations"] = nlohmann::json::parse(manifest.annotations_json, nullptr, false);
    }
    manifests.push_back(std::move(descriptor));
  }
  // The spec: never 404; an index listing the referrers, possibly none.
  oci::RegistryResponse response =
      JsonResponse(nlohmann::json{{"schemaVersion", 2},
                                  {"mediaType", "application/vnd.oci.image.index.v1+json"},
                                  {"manifests", std::move(manifests)}},
                   "application/vnd.oci.image.index.v1+json");
  if (artifact_type) response.headers.Set("OCI-Filters-Applied", "artifactType");
  return response;
}

}  // namespace pullsim::registry
