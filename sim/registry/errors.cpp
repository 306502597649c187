#include "sim/registry/errors.h"

namespace pullsim::registry {

namespace {

struct SpecErrorInfo {
  std::string_view code;
  int status;
  std::string_view message;
};

SpecErrorInfo Info(SpecError error) {
  switch (error) {
    case SpecError::kBlobUnknown:
      return {"BLOB_UNKNOWN", 404, "blob unknown to registry"};
    case SpecError::kBlobUploadInvalid:
      return {"BLOB_UPLOAD_INVALID", 400, "blob upload invalid"};
    case SpecError::kBlobUploadUnknown:
      return {"BLOB_UPLOAD_UNKNOWN", 404, "blob upload unknown to registry"};
    case SpecError::kDigestInvalid:
      return {"DIGEST_INVALID", 400, "provided digest did not match uploaded content"};
    case SpecError::kManifestBlobUnknown:
      return {"MANIFEST_BLOB_UNKNOWN", 400,
              "manifest references a manifest or blob unknown to "
              "registry"};
    case SpecError::kManifestInvalid:
      return {"MANIFEST_INVALID", 400, "manifest invalid"};
    case SpecError::kManifestUnknown:
      return {"MANIFEST_UNKNOWN", 404, "manifest unknown to registry"};
    case SpecError::kNameInvalid:
      return {"NAME_INVALID", 400, "invalid repository name"};
    case SpecError::kNameUnknown:
      return {"NAME_UNKNOWN", 404, "repository name not known to registry"};
    case SpecError::kSizeInvalid:
      return {"SIZE_INVALID", 400, "provided length did not match content length"};
    case SpecError::kUnauthorized:
      return {"UNAUTHORIZED", 401, "authentication required"};
    case SpecError::kDenied:
      return {"DENIED", 403, "requested access to the resource is denied"};
    case SpecError::kUnsupported:
      return {"UNSUPPORTED", 405, "the operation is unsupported"};
    case SpecError::kTooManyRequests:
      return {"TOOMANYREQUESTS", 429, "too many requests"};
    case SpecError::kRangeInvalid:
      return {"BLOB_UPLOAD_INVALID", 416, "requested range not satisfiable"};
    case SpecError::kPaginationNumberInvalid:
      return {"PAGINATION_NUMBER_INVALID", 400, "invalid number of results requested"};
    case SpecError::kUnavailable:
      return {"UNAVAILABLE", 503, "service unavailable"};
    case SpecError::kUnknown:
      return {"UNKNOWN", 500, "unknown error"};
  }
  return {"UNKNOWN", 500, "unknown error"};
}

}  // namespace

std::string_view SpecErrorCode(SpecError error) { return Info(error).code; }
int SpecErrorStatus(SpecError error) { return Info(error).status; }
std::string_view SpecErrorMessage(SpecError error) { return Info(error).message; }

oci::RegistryResponse ErrorResponse(SpecError error, std::string message, std::string detail_json) {
  return ErrorResponseWithStatus(SpecErrorStatus(error), error, std::move(message),
                                 std::move(detail_json));
}

oci::RegistryResponse ErrorResponseWithStatus(int status, SpecError error, std::string message,
                                              std::string detail_json) {
  oci::RegistryResponse response;
  response.status = status;
  oci::RegistryErrorEntry entry{
      std::string(SpecErrorCode(error)),
      message.empty() ? std::string(SpecErrorMessage(error)) : std::move(message),
      std::move(detail_json)};
  response.errors.push_back(entry);
  response.body = oci::SharedBytes(oci::FormatErrorBody(response.errors));
  response.headers.Set("Content-Type", "application/json; charset=utf-8");
  return response;
}

}  // namespace pullsim::registry
