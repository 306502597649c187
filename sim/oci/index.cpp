#include "sim/oci/index.h"

#include <utility>

#include <nlohmann/json.hpp>

#include "sim/oci/internal/document.h"
#include "sim/oci/internal/json.h"

namespace pullsim::oci {

using nlohmann::json;

Descriptor Index::Describe() const { return oci::Describe(media_type, raw); }

Result<Index> ParseIndex(std::string_view bytes, std::string_view content_type) {
  auto document = internal::ParseStrictJson(bytes, "image index");
  if (!document) return std::unexpected(document.error());
  auto fields = internal::Fields::Of(*document, "");
  if (!fields) return std::unexpected(fields.error());

  Index index;
  auto media_type =
      internal::ReadDocumentHeader(*fields, content_type, internal::DocumentKind::kIndex);
  if (!media_type) return std::unexpected(media_type.error());
  index.media_type = std::move(*media_type);

  auto artifact_type = internal::ReadArtifactType(*fields);
  if (!artifact_type) return std::unexpected(artifact_type.error());
  index.artifact_type = std::move(*artifact_type);

  auto manifests = internal::ReadDescriptors(*fields, "manifests", /*required=*/true);
  if (!manifests) return std::unexpected(manifests.error());
  index.manifests = std::move(*manifests);

  auto subject = internal::ReadOptionalDescriptor(*fields, "subject");
  if (!subject) return std::unexpected(subject.error());
  index.subject = std::move(*subject);

  auto annotations = fields->OptionalStringMap("annotations");
  if (!annotations) return std::unexpected(annotations.error());
  index.annotations = std::move(*annotations);

  index.raw = std::string(bytes);
  return index;
}

std::string SerializeIndex(const Index& index) {
  json out = json::object();
  out["schemaVersion"] = index.schema_version;
  if (!index.media_type.empty()) out["mediaType"] = index.media_type;
  if (index.artifact_type) out["artifactType"] = *index.artifact_type;
  json manifests = json::array();
  for (const Descriptor& entry : index.manifests) manifests.push_back(DescriptorToJson(entry));
  out["manifests"] = std::move(manifests);
  if (index.subject) out["subject"] = DescriptorToJson(*index.subject);
  if (!index.annotations.empty()) out["annotations"] = index.annotations;
  return out.dump();
}

Descriptor Seal(Index& index) {
  index.raw = SerializeIndex(index);
  return index.Describe();
}

}  // namespace pullsim::oci
