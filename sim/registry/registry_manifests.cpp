// Manifests: GET/HEAD with Accept negotiation and the pull rate limit, PUT with validation of
// what the manifest references, DELETE by digest or tag.
#include <algorithm>

#include "sim/oci/media_type.h"
#include "sim/registry/errors.h"
#include "sim/registry/internal/manifest_inspect.h"
#include "sim/registry/internal/request_context.h"
#include "sim/registry/registry.h"

namespace pullsim::registry {

using internal::RepositoryScope;

namespace {

// The media ranges of every Accept header, parameters dropped: "a/b;q=0.5, c/d" → {a/b, c/d}.
std::vector<std::string> AcceptedTypes(const oci::HttpHeaders& headers) {
  std::vector<std::string> types;
  for (std::string_view value : headers.GetAll("Accept")) {
    while (!value.empty()) {
      const std::size_t comma = value.find(',');
      std::string_view item = value.substr(0, comma);
      item = item.substr(0, item.find(';'));
      while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
      while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
      if (!item.empty()) types.emplace_back(item);
      if (comma == std::string_view::npos) break;
      value.remove_prefix(comma + 1);
    }
  }
  return types;
}

bool Acceptable(const std::vector<std::string>& accepted, std::string_view media_type) {
  if (accepted.empty()) return true;  // no Accept header: anything
  const std::string_view type = media_type.substr(0, media_type.find('/'));
  for (const std::string& range : accepted) {
    if (range == "*/*" || range == media_type) return true;
    if (range.size() == type.size() + 2 && range.compare(0, type.size(), type) == 0 &&
        range.substr(type.size()) == "/*") {
      return true;
    }
  }
  return false;
}

void SetRateLimitHeaders(oci::HttpHeaders& headers, const RateLimitVerdict& verdict) {
  const auto window = std::chrono::duration_cast<std::chrono::seconds>(verdict.window).count();
  headers.Set("RateLimit-Limit", std::to_string(verdict.limit) + ";w=" + std::to_string(window));
  headers.Set("RateLimit-Remaining",
              std::to_string(verdict.remaining) + ";w=" + std::to_string(window));
}

}  // namespace

oci::RegistryResponse Registry::GetManifest(Context& context) {
  const std::string& repository = context.route.repository;
  if (auto denied = Authorize(context, {RepositoryScope(repository, {"pull"})})) {
    return std::move(*denied);
  }
  RateLimitVerdict verdict;
  if (!rate_limiter_.empty()) {
    const std::string client = context.identity.empty()
                                   ? "anonymous@" + internal::ClientAddress(context.request.client)
                                   : context.identity;
    // Docker Hub counts GETs; HEADs are free and only report what is left.
    verdict = rate_limiter_.Check(client, repository, !context.head);
    if (!verdict.allowed) {
      const auto window = std::chrono::duration_cast<std::chrono::seconds>(verdict.window);
      oci::RegistryResponse response =
          ErrorResponse(SpecError::kTooManyRequests,
                        "pull rate limit reached: " + std::to_string(verdict.limit) +
                            " manifest pulls per " + FormatDuration(window) + " for " + client);
      SetRateLimitHeaders(response.headers, verdict);
      const auto retry = std::chrono::ceil<std::chrono::seconds>(verdict.retry_after).count();
      response.headers.Set("Retry-After", std::to_string(retry));
      return response;
    }
  }
  auto manifest = store_.GetManifest(repository, context.route.reference);
  if (!manifest) {
    return ErrorResponse(SpecError::kManifestUnknown, "manifest \"" + context.route.reference +
                                                          "\" unknown to repository \"" +
                                                          repository + "\"");
  }
  const std::vector<std::string> accepted = AcceptedTypes(context.request.headers);
  if (!Acceptable(accepted, manifest->media_type)) {
    // distribution answers an Accept that excludes the stored type with MANIFEST_UNKNOWN.
    return ErrorResponse(SpecError::kManifestUnknown,
                         "manifest \"" + context.route.reference + "\" is " + manifest->media_type +
                             ", which the Accept header does not include");
  }
  oci::RegistryResponse response;
  response.status = 200;
  response.headers.Set("Content-Type", manifest->media_type);
  response.headers.Set("Docker-Content-Digest", manifest->digest.str());
  response.headers.Set("ETag", "\"" + manifest->digest.str() + "\"");
  if (verdict.applies) SetRateLimitHeaders(response.headers, verdict);
  response.body = manifest->bytes;
  return response;
}

std::variant<StoredManifest, oci::RegistryResponse> Registry::AcceptManifest(
    std::string_view repository, oci::SharedBytes bytes, std::string_view content_type,
    std::string_view reference) {
  if (bytes.size() > options_.max_manifest_bytes) {
    return ErrorResponseWithStatus(413, SpecError::kSizeInvalid,
                                   "manifest of " + std::to_string(bytes.size()) +
                                       " bytes exceeds the limit of " +
                                       std::to_string(options_.max_manifest_bytes));
  }
  auto inspected = internal::InspectManifest(bytes.view(), content_type);
  if (!inspected) return ErrorResponse(SpecError::kManifestInvalid, inspected.error().message);

  StoredManifest manifest;
  if (reference.find(':') != std::string_view::npos) {
    const oci::Digest expected = *oci::Digest::Parse(reference);  // checked by the route
    manifest.digest = oci::Digest::Of(expected.algorithm(), bytes.view());
    if (manifest.digest != expected) {
      return ErrorResponse(SpecError::kDigestInvalid, "manifest digest " + manifest.digest.str() +
                                                          " does not match the reference " +
                                                          expected.str());
    }
  } else {
    manifest.digest = oci::Digest::Sha256Of(bytes.view());
  }

  // Everything referenced must already be in this repository (foreign layers excepted).
  std::vector<oci::RegistryErrorEntry> missing;
  for (const internal::ManifestReference& blob : inspected->blobs) {
    if (blob.external || store_.GetBlob(repository, blob.digest)) continue;
    missing.push_back({"MANIFEST_BLOB_UNKNOWN", "blob unknown to registry: " + blob.digest.str(),
                       "{\"digest\":\"" + blob.digest.str() + "\"}"});
  }
  for (const internal::ManifestReference& child : inspected->manifests) {
    if (store_.GetManifest(repository, child.digest.str())) continue;
    missing.push_back({"MANIFEST_BLOB_UNKNOWN",
                       "manifest unknown to registry: " + child.digest.str(),
                       "{\"digest\":\"" + child.digest.str() + "\"}"});
  }
  if (!missing.empty()) {
    oci::RegistryResponse response;
    response.status = 400;
    response.errors = std::move(missing);
    response.body = oci::SharedBytes(oci::FormatErrorBody(response.errors));
    response.headers.Set("Content-Type", "application/json; charset=utf-8");
    return response;
  }

  manifest.media_type = std::move(inspected->media_type);
  manifest.bytes = std::move(bytes);
  if (!manifest.bytes.is_whole_buffer()) {
    manifest.bytes = oci::SharedBytes(std::string(manifest.bytes.view()));
  }
  for (auto& blob : inspected->blobs) manifest.blobs.push_back(blob.digest);
  for (auto& child : inspected->manifests) manifest.manifests.push_back(child.digest);
  manifest.subject = inspected->subject;
  manifest.artifact_type = std::move(inspected->artifact_type);
  manifest.annotations_json = std::move(inspected->annotations_json);
  return manifest;
}

oci::RegistryResponse Registry::PutManifestRequest(Context& context) {
  const std::string& repository = context.route.repository;
  if (auto denied = Authorize(context, {RepositoryScope(repository, {"pull", "push"})})) {
    return std::move(*denied);
  }
  const std::string& reference = context.route.reference;
  auto accepted =
      AcceptManifest(repository, context.request.body,
                     context.request.headers.Get("Content-Type").value_or(""), reference);
  if (auto* error = std::get_if<oci::RegistryResponse>(&accepted)) return std::move(*error);
  StoredManifest manifest = std::get<StoredManifest>(std::move(accepted));
  const oci::Digest digest = manifest.digest;
  const std::optional<oci::Digest> subject = manifest.subject;
  const bool by_tag = reference.find(':') == std::string::npos;
  store_.PutManifest(repository, std::move(manifest), by_tag ? std::string_view(reference) : "");

  oci::RegistryResponse response = internal::EmptyResponse(201);
  response.headers.Set("Location", "/v2/" + repository + "/manifests/" + digest.str());
  response.headers.Set("Docker-Content-Digest", digest.str());
  if (subject) response.headers.Set("OCI-Subject", subject->str());
  return response;
}

oci::RegistryResponse Registry::DeleteManifest(Context& context) {
  const std::string& repository = context.route.repository;
  if (auto denied = Authorize(context, {RepositoryScope(repository, {"delete"})})) {
    return std::move(*denied);
  }
  if (!options_.delete_enabled) {
    return ErrorResponse(SpecError::kUnsupported, "deletion is disabled on this registry");
  }
  const std::string& reference = context.route.reference;
  bool deleted = false;
  if (reference.find(':') == std::string::npos) {
    deleted = store_.DeleteTag(repository, reference);  // distribution-spec v1.1: tag deletion
  } else {
    deleted = store_.DeleteManifest(repository, *oci::Digest::Parse(reference));
  }
  if (!deleted) {
    return ErrorResponse(
        SpecError::kManifestUnknown,
        "manifest \"" + reference + "\" unknown to repository \"" + repository + "\"");
  }
  return internal::EmptyResponse(202);
}

oci::Digest Registry::PutBlob(std::string_view repository, oci::SharedBytes bytes) {
  const oci::Digest digest = oci::Digest::Sha256Of(bytes.view());
  store_.PutBlob(repository, digest, std::move(bytes));
  return digest;
}

Result<oci::Digest> Registry::PutManifest(std::string_view repository, oci::SharedBytes bytes,
                                          std::string_view media_type, std::string_view tag) {
  if (!tag.empty()) {
    if (auto ok = CheckTag(tag); !ok) return std::unexpected(ok.error());
  }
  if (auto ok = CheckRepositoryName(repository); !ok) return std::unexpected(ok.error());
  auto accepted = AcceptManifest(repository, std::move(bytes), media_type, tag);
  if (auto* error = std::get_if<oci::RegistryResponse>(&accepted)) {
    std::string message = "manifest for \"" + std::string(repository) + "\" refused:";
    for (const auto& entry : error->errors)
      message += " " + entry.code + " (" + entry.message + ")";
    return Fail(ErrorCode::kInvalidArgument, std::move(message));
  }
  StoredManifest manifest = std::get<StoredManifest>(std::move(accepted));
  const oci::Digest digest = manifest.digest;
  store_.PutManifest(repository, std::move(manifest), tag);
  return digest;
}

}  // namespace pullsim::registry
