// Blobs: GET/HEAD (with Range), DELETE; uploads: POST (session, monolithic ?digest=, mount),
// GET status, PATCH chunks, PUT ?digest= to complete, DELETE to cancel. A blob becomes visible
// only after its bytes hashed to the digest the client named; otherwise nothing is stored.
#include <charconv>

#include "sim/registry/errors.h"
#include "sim/registry/internal/request_context.h"
#include "sim/registry/registry.h"

namespace pullsim::registry {

using internal::RepositoryScope;

namespace {

bool ParseNumber(std::string_view text, std::uint64_t& value) {
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && ptr == text.data() + text.size();
}

struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;  // inclusive
};

enum class RangeKind { kNone, kSatisfiable, kUnsatisfiable };

// RFC 9110 §14.1.2 for one range: "bytes=a-b", "bytes=a-", "bytes=-n". Several ranges or a
// malformed header are ignored (the whole blob is sent), as the RFC allows.
RangeKind ParseRange(std::string_view header, std::uint64_t size, ByteRange& range) {
  constexpr std::string_view kPrefix = "bytes=";
  if (header.substr(0, kPrefix.size()) != kPrefix) return RangeKind::kNone;
  std::string_view spec = header.substr(kPrefix.size());
  if (spec.find(',') != std::string_view::npos) return RangeKind::kNone;
  const std::size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return RangeKind::kNone;
  const std::string_view first = spec.substr(0, dash);
  const std::string_view last = spec.substr(dash + 1);
  std::uint64_t a = 0;
  std::uint64_t b = 0;
  if (first.empty()) {  // suffix: the last n bytes
    if (!ParseNumber(last, b)) return RangeKind::kNone;
    if (b == 0 || size == 0) return RangeKind::kUnsatisfiable;
    range.first = b >= size ? 0 : size - b;
    range.last = size - 1;
    return RangeKind::kSatisfiable;
  }
  if (!ParseNumber(first, a)) return RangeKind::kNone;
  if (last.empty()) {
    b = size == 0 ? 0 : size - 1;
  } else if (!ParseNumber(last, b) || b < a) {
    return RangeKind::kNone;
  }
  if (a >= size) return RangeKind::kUnsatisfiable;
  range.first = a;
  range.last = std::min(b, size - 1);
  return RangeKind::kSatisfiable;
}

// An upload's Content-Range: "a-b" (distribution's form), also "bytes=a-b" / "bytes a-b/len".
bool ParseContentRange(std::string_view header, std::uint64_t& first, std::uint64_t& last) {
  if (header.substr(0, 6) == "bytes=" || header.substr(0, 6) == "bytes ") header.remove_prefix(6);
  header = header.substr(0, header.find('/'));
  const std::size_t dash = header.find('-');
  if (dash == std::string_view::npos) return false;
  return ParseNumber(header.substr(0, dash), first) && ParseNumber(header.substr(dash + 1), last) &&
         last >= first;
}

// "0-<last byte>" as distribution reports upload progress ("0-0" when empty).
std::string UploadRange(std::size_t size) {
  return "0-" + std::to_string(size == 0 ? 0 : size - 1);
}

oci::RegistryResponse UploadProgress(int status, const std::string& repository,
                                     const std::string& id, std::size_t size) {
  oci::RegistryResponse response = internal::EmptyResponse(status);
  response.headers.Set("Location", "/v2/" + repository + "/blobs/uploads/" + id);
  response.headers.Set("Range", UploadRange(size));
  response.headers.Set("Docker-Upload-UUID", id);
  response.headers.Set("Blob-Upload-Session-ID", id);
  return response;
}

oci::RegistryResponse UploadUnknown(const std::string& id) {
  return ErrorResponse(SpecError::kBlobUploadUnknown,
                       "upload \"" + id + "\" unknown to this repository");
}

oci::RegistryResponse BlobCreated(const std::string& repository, const oci::Digest& digest) {
  oci::RegistryResponse response = internal::EmptyResponse(201);
  response.headers.Set("Location", "/v2/" + repository + "/blobs/" + digest.str());
  response.headers.Set("Docker-Content-Digest", digest.str());
  return response;
}

}  // namespace

oci::RegistryResponse Registry::GetBlob(Context& context) {
  const std::string& repository = context.route.repository;
  if (auto denied = Authorize(context, {RepositoryScope(repository, {"pull"})})) {
    return std::move(*denied);
  }
  const oci::Digest digest = *oci::Digest::Parse(context.route.reference);  // checked by route
  auto blob = store_.GetBlob(repository, digest);
  if (!blob) {
    return ErrorResponse(SpecError::kBlobUnknown,
                         "blob " + digest.str() + " unknown to repository \"" + repository + "\"",
                         "{\"digest\":\"" + digest.str() + "\"}");
  }
  oci::RegistryResponse response;
  response.status = 200;
  response.headers.Set("Content-Type", "application/octet-stream");
  response.headers.Set("Docker-Content-Digest", digest.str());
  response.headers.Set("ETag", "\"" + digest.str() + "\"");
  response.headers.Set("Accept-Ranges", "bytes");
  response.headers.Set("Cache-Control", "max-age=31536000");
  response.body = *blob;
  if (auto header = context.request.headers.Get("Range")) {
    ByteRange range;
    const std::uint64_t size = blob->size();
    switch (ParseRange(*header, size, range)) {
      case RangeKind::kNone:
        break;
      case RangeKind::kUnsatisfiable: {
        oci::RegistryResponse unsatisfiable;
        unsatisfiable.status = 416;
        unsatisfiable.headers.Set("Content-Range", "bytes */" + std::to_string(size));
        unsatisfiable.headers.Set("Content-Length", "0");
        return unsatisfiable;
      }
      case RangeKind::kSatisfiable:
        response.status = 206;
        response.headers.Set("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                                  std::to_string(range.last) + "/" +
                                                  std::to_string(size));
        response.body = blob->Slice(range.first, range.last - range.first + 1);
        break;
    }
  }
  return response;
}

oci::RegistryResponse Registry::DeleteBlob(Context& context) {
  const std::string& repository = context.route.repository;
  if (auto denied = Authorize(context, {RepositoryScope(repository, {"delete"})})) {
    return std::move(*denied);
  }
  if (!options_.delete_enabled) {
    return ErrorResponse(SpecError::kUnsupported, "deletion is disabled on this registry");
  }
  const oci::Digest digest = *oci::Digest::Parse(context.route.reference);
  if (!store_.DeleteBlob(repository, digest)) {
    return ErrorResponse(SpecError::kBlobUnknown,
                         "blob " + digest.str() + " unknown to repository \"" + repository + "\"",
                         "{\"digest\":\"" + digest.str() + "\"}");
  }
  return internal::EmptyResponse(202);
}

oci::RegistryResponse Registry::StartUpload(Context& context) {
  const std::string& repository = context.route.repository;
  if (auto denied = Authorize(context, {RepositoryScope(repository, {"pull", "push"})})) {
    return std::move(*denied);
  }
  const auto mount = context.Query("mount");
  const auto from = context.Query("from");
  if (mount && from) {
    // Cross-repository mount; any failure (bad digest, unknown or unreadable source) falls back
    // to an ordinary upload session, as the spec says.
    auto digest = oci::Digest::Parse(*mount);
    const bool readable =
        CheckRepositoryName(*from).has_value() &&
        auth_
            .Authorize(context.request.headers, {RepositoryScope(*from, {"pull"})},
                       context.request.base_url)
            .allowed;
    if (digest && readable && store_.MountBlob(repository, *from, *digest)) {
      return BlobCreated(repository, *digest);
    }
  } else if (const auto digest_text = context.Query("digest")) {
    // Monolithic upload in one POST.
    auto digest = oci::Digest::Parse(*digest_text);
    if (!digest) return ErrorResponse(SpecError::kDigestInvalid, digest.error().message);
    const oci::SharedBytes& body = context.request.body;
    const oci::Digest actual = oci::Digest::Of(digest->algorithm(), body.view());
    if (actual != *digest) {
      return ErrorResponse(SpecError::kDigestInvalid, "uploaded content has digest " +
                                                          actual.str() + ", not " + digest->str());
    }
    store_.PutBlob(repository, *digest, body);
    return BlobCreated(repository, *digest);
  }
  const std::string id = store_.StartUpload(repository, clock_.Now());
  return UploadProgress(202, repository, id, 0);
}

oci::RegistryResponse Registry::UploadStatus(Context& context) {
  const std::string& repository = context.route.repository;
  if (auto denied = Authorize(context, {RepositoryScope(repository, {"pull", "push"})})) {
    return std::move(*denied);
  }
  const std::string& id = context.route.reference;
  auto size = store_.UploadSize(repository, id);
  if (!size) return UploadUnknown(id);
  return UploadProgress(204, repository, id, *size);
}

oci::RegistryResponse Registry::PatchUpload(Context& context) {
  const std::string& repository = context.route.repository;
  if (auto denied = Authorize(context, {RepositoryScope(repository, {"pull", "push"})})) {
    return std::move(*denied);
  }
  const std::string& id = context.route.reference;
  const oci::SharedBytes& body = context.request.body;
  std::optional<std::size_t> offset;
  if (auto header = context.request.headers.Get("Content-Range")) {
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    auto size = store_.UploadSize(repository, id);
    if (!size) return UploadUnknown(id);
    if (!ParseContentRange(*header, first, last) || last - first + 1 != body.size()) {
      return UploadProgress(416, repository, id, *size);
    }
    offset = static_cast<std::size_t>(first);
  }
  bool conflict = false;
  auto size = store_.AppendUpload(repository, id, offset, body.view(), &conflict);
  if (!size) return UploadUnknown(id);
  if (conflict) {
    // Out of order: the chunk must start right after what was received.
    return UploadProgress(416, repository, id, *size);
  }
  return UploadProgress(202, repository, id, *size);
}

oci::RegistryResponse Registry::FinishUpload(Context& context) {
  const std::string& repository = context.route.repository;
  if (auto denied = Authorize(context, {RepositoryScope(repository, {"pull", "push"})})) {
    return std::move(*denied);
  }
  const std::string& id = context.route.reference;
  const auto digest_text = context.Query("digest");
  if (!digest_text) {
    if (!store_.UploadSize(repository, id)) return UploadUnknown(id);
    return ErrorResponse(SpecError::kDigestInvalid, "PUT completing an upload needs ?digest=");
  }
  auto digest = oci::Digest::Parse(*digest_text);
  if (!digest) {
    if (!store_.UploadSize(repository, id)) return UploadUnknown(id);
    return ErrorResponse(SpecError::kDigestInvalid, digest.error().message);
  }
  const oci::SharedBytes& body = context.request.body;
  if (!body.empty()) {
    // The last chunk rides on the PUT.
    std::optional<std::size_t> offset;
    if (auto header = context.request.headers.Get("Content-Range")) {
      std::uint64_t first = 0;
      std::uint64_t last = 0;
      if (!ParseContentRange(*header, first, last) || last - first + 1 != body.size()) {
        auto size = store_.UploadSize(repository, id);
        if (!size) return UploadUnknown(id);
        return UploadProgress(416, repository, id, *size);
      }
      offset = static_cast<std::size_t>(first);
    }
    bool conflict = false;
    auto size = store_.AppendUpload(repository, id, offset, body.view(), &conflict);
    if (!size) return UploadUnknown(id);
    if (conflict) return UploadProgress(416, repository, id, *size);
  }
  auto session = store_.TakeUpload(repository, id);
  if (!session) return UploadUnknown(id);
  const oci::Digest actual = oci::Digest::Of(digest->algorithm(), session->data);
  if (actual != *digest) {
    // The session is gone with its bytes: nothing of a mismatched upload is kept.
    return ErrorResponse(SpecError::kDigestInvalid,
                         "uploaded content has digest " + actual.str() + ", not " + digest->str());
  }
  store_.PutBlob(repository, *digest, oci::SharedBytes(std::move(session->data)));
  return BlobCreated(repository, *digest);
}

oci::RegistryResponse Registry::CancelUpload(Context& context) {
  const std::string& repository = context.route.repository;
  if (auto denied = Authorize(context, {RepositoryScope(repository, {"pull", "push"})})) {
    return std::move(*denied);
  }
  const std::string& id = context.route.reference;
  if (!store_.CancelUpload(repository, id)) return UploadUnknown(id);
  return internal::EmptyResponse(204);
}

}  // namespace pullsim::registry
