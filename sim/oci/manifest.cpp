#include "sim/oci/manifest.h"

#include <utility>

#include <nlohmann/json.hpp>

#include "sim/oci/internal/document.h"
#include "sim/oci/internal/json.h"

namespace pullsim::oci {

using nlohmann::json;

Descriptor Manifest::Describe() const { return oci::Describe(media_type, raw); }

Result<Manifest> ParseManifest(std::string_view bytes, std::string_view content_type) {
  auto document = internal::ParseStrictJson(bytes, "image manifest");
  if (!document) return std::unexpected(document.error());
  auto fields = internal::Fields::Of(*document, "");
  if (!fields) return std::unexpected(fields.error());

  Manifest manifest;
  auto media_type =
      internal::ReadDocumentHeader(*fields, content_type, internal::DocumentKind::kManifest);
  if (!media_type) return std::unexpected(media_type.error());
  manifest.media_type = std::move(*media_type);

  auto artifact_type = internal::ReadArtifactType(*fields);
  if (!artifact_type) return std::unexpected(artifact_type.error());
  manifest.artifact_type = std::move(*artifact_type);

  auto config = fields->Object("config", /*required=*/true);
  if (!config) return std::unexpected(config.error());
  auto config_descriptor = DescriptorFromJson(**config, fields->Path("config"));
  if (!config_descriptor) return std::unexpected(config_descriptor.error());
  manifest.config = std::move(*config_descriptor);

  auto layers = internal::ReadDescriptors(*fields, "layers", /*required=*/true);
  if (!layers) return std::unexpected(layers.error());
  manifest.layers = std::move(*layers);

  auto subject = internal::ReadOptionalDescriptor(*fields, "subject");
  if (!subject) return std::unexpected(subject.error());
  manifest.subject = std::move(*subject);

  auto annotations = fields->OptionalStringMap("annotations");
  if (!annotations) return std::unexpected(annotations.error());
  manifest.annotations = std::move(*annotations);

  manifest.raw = std::string(bytes);
  return manifest;
}

std::string SerializeManifest(const Manifest& manifest) {
  json out = json::object();
  out["schemaVersion"] = manifest.schema_version;
  if (!manifest.media_type.empty()) out["mediaType"] = manifest.media_type;
  if (manifest.artifact_type) out["artifactType"] = *manifest.artifact_type;
  out["config"] = DescriptorToJson(manifest.config);
  json layers = json::array();
  for (const Descriptor& layer : manifest.layers) layers.push_back(DescriptorToJson(layer));
  out["layers"] = std::move(layers);
  if (manifest.subject) out["subject"] = DescriptorToJson(*manifest.subject);
  if (!manifest.annotations.empty()) out["annotations"] = manifest.annotations;
  return out.dump();
}

Descriptor Seal(Manifest& manifest) {
  manifest.raw = SerializeManifest(manifest);
  return manifest.Describe();
}

}  // namespace pullsim::oci
