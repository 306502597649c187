#pragma once
// The error codes of distribution-spec v1.1 ("Error Codes" table) with their HTTP status, plus
// the ones CNCF distribution adds (UNAVAILABLE, PAGINATION_NUMBER_INVALID), and the responses
// that carry them: {"errors":[{"code","message","detail"}]}.

#include <string>
#include <string_view>

#include "sim/oci/registry_transport.h"

namespace pullsim::registry {

enum class SpecError {
  kBlobUnknown,              // 404 blob unknown to registry
  kBlobUploadInvalid,        // 400 blob upload invalid
  kBlobUploadUnknown,        // 404 blob upload unknown to registry
  kDigestInvalid,            // 400 provided digest did not match uploaded content
  kManifestBlobUnknown,      // 400 manifest references a manifest or blob unknown to registry
  kManifestInvalid,          // 400 manifest invalid
  kManifestUnknown,          // 404 manifest unknown to registry
  kNameInvalid,              // 400 invalid repository name
  kNameUnknown,              // 404 repository name not known to registry
  kSizeInvalid,              // 400 provided length did not match content length
  kUnauthorized,             // 401 authentication required
  kDenied,                   // 403 requested access to the resource is denied
  kUnsupported,              // 405 the operation is unsupported
  kTooManyRequests,          // 429 too many requests
  kRangeInvalid,             // 416 (distribution's BLOB_UPLOAD_INVALID for a bad Content-Range)
  kPaginationNumberInvalid,  // 400 invalid number of results requested (distribution)
  kUnavailable,              // 503 service unavailable (distribution)
  kUnknown,                  // 500 unknown error (distribution)
};

// "BLOB_UNKNOWN", ...
[[nodiscard]] std::string_view SpecErrorCode(SpecError error);
// The HTTP status the spec pairs with the code.
[[nodiscard]] int SpecErrorStatus(SpecError error);
// The spec's default message ("blob unknown to registry").
[[nodiscard]] std::string_view SpecErrorMessage(SpecError error);

// A response with the spec's error body for one error; `message` replaces the default message
// when given, `detail_json` (JSON text) becomes "detail". Content-Type application/json.
[[nodiscard]] oci::RegistryResponse ErrorResponse(SpecError error, std::string message = {},
                                                  std::string detail_json = {});
// The same with a status other than the code's own (e.g. 416 with BLOB_UPLOAD_INVALID).
[[nodiscard]] oci::RegistryResponse ErrorResponseWithStatus(int status, SpecError error,
                                                            std::string message = {},
                                                            std::string detail_json = {});

}  // namespace pullsim::registry
