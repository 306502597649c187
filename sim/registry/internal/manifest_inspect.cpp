#include "sim/registry/internal/manifest_inspect.h"

#include <nlohmann/json.hpp>

#include "sim/oci/media_type.h"

namespace pullsim::registry::internal {

namespace {

using nlohmann::json;

Result<InspectedManifest> Invalid(std::string message) {
  return Fail(ErrorCode::kInvalidArgument, std::move(message));
}

// "application/vnd.oci.image.manifest.v1+json; charset=utf-8" → the part before ';', trimmed.
std::string_view BareMediaType(std::string_view content_type) {
  const std::size_t semicolon = content_type.find(';');
  std::string_view bare = content_type.substr(0, semicolon);
  while (!bare.empty() && (bare.back() == ' ' || bare.back() == '\t')) bare.remove_suffix(1);
  while (!bare.empty() && (bare.front() == ' ' || bare.front() == '\t')) bare.remove_prefix(1);
  return bare;
}

Result<ManifestReference> ReadDescriptor(const json& value, const std::string& where) {
  if (!value.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, where + ": expected a descriptor object");
  }
  ManifestReference reference;
  auto digest = value.find("digest");
  if (digest == value.end() || !digest->is_string()) {
    return Fail(ErrorCode::kInvalidArgument, where + ".digest: missing or not a string");
  }
  auto parsed = oci::Digest::Parse(digest->get<std::string>());
  if (!parsed) {
    return Fail(ErrorCode::kInvalidArgument, where + ".digest: " + parsed.error().message);
  }
  reference.digest = *parsed;
  auto size = value.find("size");
  if (size == value.end() || !size->is_number_integer() || size->get<long long>() < 0) {
    return Fail(ErrorCode::kInvalidArgument,
                where + ".size: missing or not a non-negative integer");
  }
  auto media_type = value.find("mediaType");
  if (media_type != value.end()) {
    if (!media_type->is_string()) {
      return Fail(ErrorCode::kInvalidArgument, where + ".mediaType: not a string");
    }
    reference.media_type = media_type->get<std::string>();
  }
  auto urls = value.find("urls");
  reference.external = urls != value.end() && urls->is_array() && !urls->empty();
  return reference;
}

}  // namespace

bool IsManifestMediaType(std::string_view media_type) {
  return oci::media_type::IsManifest(media_type) || oci::media_type::IsIndex(media_type);
}

Result<InspectedManifest> InspectManifest(std::string_view bytes, std::string_view content_type) {
  const json doc = json::parse(bytes, nullptr, false);
  if (doc.is_discarded()) return Invalid("manifest is not valid JSON");
  if (!doc.is_object()) return Invalid("manifest is not a JSON object");

  InspectedManifest out;
  std::string field_type;
  if (auto media_type = doc.find("mediaType"); media_type != doc.end()) {
    if (!media_type->is_string()) return Invalid("mediaType: not a string");
    field_type = media_type->get<std::string>();
  }
  const std::string_view header_type = BareMediaType(content_type);
  if (field_type == oci::media_type::kDockerSchema1 ||
      field_type == oci::media_type::kDockerSchema1Signed ||
      header_type == oci::media_type::kDockerSchema1 ||
      header_type == oci::media_type::kDockerSchema1Signed) {
    return Invalid("Docker schema 1 manifests are not supported; push schema 2 or OCI");
  }
  auto schema = doc.find("schemaVersion");
  if (schema == doc.end() || !schema->is_number_integer() || schema->get<long long>() != 2) {
    return Invalid("schemaVersion: expected 2");
  }
  // The document's own mediaType decides; a Content-Type naming another manifest type is a
  // contradiction the registry refuses (distribution does the same).
  if (!field_type.empty()) {
    if (!IsManifestMediaType(field_type)) {
      return Invalid("mediaType \"" + field_type + "\" is not a manifest or index media type");
    }
    if (IsManifestMediaType(header_type) && header_type != field_type) {
      return Invalid("Content-Type \"" + std::string(header_type) +
                     "\" does not match the manifest's mediaType \"" + field_type + "\"");
    }
    out.media_type = field_type;
  } else if (IsManifestMediaType(header_type)) {
    out.media_type = std::string(header_type);
  } else if (doc.contains("manifests")) {
    out.media_type = std::string(oci::media_type::kOciIndex);
  } else {
    out.media_type = std::string(oci::media_type::kOciManifest);
  }
  out.is_index = oci::media_type::IsIndex(out.media_type);

  if (out.is_index) {
    auto manifests = doc.find("manifests");
    if (manifests == doc.end() || !manifests->is_array()) {
      return Invalid("manifests: missing or not an array");
    }
    for (std::size_t i = 0; i < manifests->size(); ++i) {
      auto reference = ReadDescriptor((*manifests)[i], "manifests[" + std::to_string(i) + "]");
      if (!reference) return std::unexpected(reference.error());
      out.manifests.push_back(std::move(*reference));
    }
  } else {
    auto config = doc.find("config");
    if (config == doc.end()) return Invalid("config: missing");
    auto config_ref = ReadDescriptor(*config, "config");
    if (!config_ref) return std::unexpected(config_ref.error());
    out.artifact_type = config_ref->media_type;
    out.blobs.push_back(std::move(*config_ref));
    auto layers = doc.find("layers");
    if (layers == doc.end() || !layers->is_array())
      return Invalid("layers: missing or not an array");
    for (std::size_t i = 0; i < layers->size(); ++i) {
      auto reference = ReadDescriptor((*layers)[i], "layers[" + std::to_string(i) + "]");
      if (!reference) return std::unexpected(reference.error());
      out.blobs.push_back(std::move(*reference));
    }
  }
  if (auto artifact_type = doc.find("artifactType"); artifact_type != doc.end()) {
    if (!artifact_type->is_string()) return Invalid("artifactType: not a string");
    out.artifact_type = artifact_type->get<std::string>();
  }
  if (auto subject = doc.find("subject"); subject != doc.end() && !subject->is_null()) {
    auto reference = ReadDescriptor(*subject, "subject");
    if (!reference) return std::unexpected(reference.error());
    out.subject = reference->digest;
  }
  if (auto annotations = doc.find("annotations"); annotations != doc.end()) {
    if (!annotations->is_object()) return Invalid("annotations: not an object");
    out.annotations_json = annotations->dump();
  }
  return out;
}

}  // namespace pullsim::registry::internal
