#include "sim/oci/internal/document.h"

#include "sim/oci/media_type.h"

namespace pullsim::oci::internal {
namespace {

std::string_view KindName(DocumentKind kind) {
  return kind == DocumentKind::kManifest ? "an image manifest" : "an image index or manifest list";
}

bool IsKind(std::string_view media_type, DocumentKind kind) {
  return kind == DocumentKind::kManifest ? media_type::IsManifest(media_type)
                                         : media_type::IsIndex(media_type);
}

// Why `media_type` is not a document of `kind`.
std::string Mismatch(std::string_view media_type, DocumentKind kind) {
  std::string message = "media type " + Quote(media_type);
  if (media_type == media_type::kDockerSchema1 || media_type == media_type::kDockerSchema1Signed) {
    return message + " (Docker schema 1) is not supported; expected " + std::string(KindName(kind));
  }
  if (media_type::IsIndex(media_type) || media_type::IsManifest(media_type)) {
    return message + " is not " + std::string(KindName(kind));
  }
  return "unknown media type " + Quote(media_type) + "; expected " + std::string(KindName(kind));
}

}  // namespace

Result<std::string> ReadDocumentHeader(const Fields& fields, std::string_view content_type,
                                       DocumentKind kind) {
  auto version = fields.OptionalNonNegativeInt("schemaVersion");
  if (!version) return std::unexpected(version.error());
  if (!version->has_value()) return std::unexpected(MissingField(fields.Path("schemaVersion")));
  if (**version != 2) {
    std::string message = "must be 2, got " + std::to_string(**version);
    if (**version == 1) message += " (Docker schema 1 is not supported)";
    return Fail(ErrorCode::kInvalidArgument, std::move(message), fields.Path("schemaVersion"));
  }

  auto media_type = fields.OptionalString("mediaType");
  if (!media_type) return std::unexpected(media_type.error());
  if (!content_type.empty() && !IsKind(content_type, kind)) {
    return Fail(ErrorCode::kInvalidArgument, "content type: " + Mismatch(content_type, kind));
  }
  if (media_type->has_value()) {
    const std::string& declared = **media_type;
    if (!IsKind(declared, kind)) {
      return Fail(ErrorCode::kInvalidArgument, Mismatch(declared, kind), fields.Path("mediaType"));
    }
    if (!content_type.empty() && declared != content_type) {
      return Fail(ErrorCode::kInvalidArgument,
                  Quote(declared) + " contradicts the content type " + Quote(content_type),
                  fields.Path("mediaType"));
    }
    return declared;
  }
  if (!content_type.empty()) return std::string(content_type);
  // image-spec: mediaType SHOULD be set; a document without it is read as OCI.
  return std::string(kind == DocumentKind::kManifest ? media_type::kOciManifest
                                                     : media_type::kOciIndex);
}

Result<std::vector<Descriptor>> ReadDescriptors(const Fields& fields, std::string_view key,
                                                bool required) {
  std::vector<Descriptor> out;
  auto array = fields.Array(key, required);
  if (!array) return std::unexpected(array.error());
  if (*array == nullptr) return out;
  const std::string path = fields.Path(key);
  out.reserve((*array)->size());
  for (std::size_t i = 0; i < (*array)->size(); ++i) {
    auto descriptor = DescriptorFromJson((**array)[i], JoinPath(path, i));
    if (!descriptor) return std::unexpected(descriptor.error());
    out.push_back(std::move(*descriptor));
  }
  return out;
}

Result<std::optional<Descriptor>> ReadOptionalDescriptor(const Fields& fields,
                                                         std::string_view key) {
  auto object = fields.Object(key, /*required=*/false);
  if (!object) return std::unexpected(object.error());
  if (*object == nullptr) return std::optional<Descriptor>();
  auto descriptor = DescriptorFromJson(**object, fields.Path(key));
  if (!descriptor) return std::unexpected(descriptor.error());
  return std::optional<Descriptor>(std::move(*descriptor));
}

Result<std::optional<std::string>> ReadArtifactType(const Fields& fields) {
  auto artifact_type = fields.OptionalString("artifactType");
  if (!artifact_type) return std::unexpected(artifact_type.error());
  if (artifact_type->has_value()) {
    if (auto ok = media_type::CheckSyntax(**artifact_type); !ok) {
      Error error = ok.error();
      error.where = fields.Path("artifactType");
      return std::unexpected(std::move(error));
    }
  }
  return artifact_type;
}

}  // namespace pullsim::oci::internal
