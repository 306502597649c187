#pragma once
// The header every manifest and index shares: schemaVersion 2 and a mediaType that agrees with
// the content type the document arrived with.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/result.h"
#include "sim/oci/descriptor.h"
#include "sim/oci/internal/json.h"

namespace pullsim::oci::internal {

enum class DocumentKind { kManifest, kIndex };

// Checks schemaVersion and decides the media type of a document of `kind` from its mediaType
// field and `content_type` ("" when unknown). Errors are kInvalidArgument naming the field:
// schemaVersion missing or not 2, an unknown media type, an index where a manifest is expected
// (or the reverse), a mediaType that contradicts the content type.
[[nodiscard]] Result<std::string> ReadDocumentHeader(const Fields& fields,
                                                     std::string_view content_type,
                                                     DocumentKind kind);

// The descriptors of the array at `key` (required or optional), each named "key[i]" in errors.
[[nodiscard]] Result<std::vector<Descriptor>> ReadDescriptors(const Fields& fields,
                                                              std::string_view key, bool required);
// The optional descriptor at `key` (e.g. "subject").
[[nodiscard]] Result<std::optional<Descriptor>> ReadOptionalDescriptor(const Fields& fields,
                                                                       std::string_view key);
// The optional artifactType, checked as a media type.
[[nodiscard]] Result<std::optional<std::string>> ReadArtifactType(const Fields& fields);

}  // namespace pullsim::oci::internal
