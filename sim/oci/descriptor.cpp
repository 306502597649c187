#include "sim/oci/descriptor.h"

#include <utility>

#include <nlohmann/json.hpp>

#include "sim/oci/internal/json.h"
#include "sim/oci/media_type.h"

namespace pullsim::oci {
namespace {

using internal::Fields;
using nlohmann::json;

// Re-labels a value-level error (digest, media type) with the field it came from.
Error AtField(Error error, const std::string& path) {
  error.where = path;
  return error;
}

}  // namespace

Descriptor Describe(std::string_view media_type, std::string_view bytes) {
  Descriptor descriptor;
  descriptor.media_type = std::string(media_type);
  descriptor.digest = Digest::Sha256Of(bytes);
  descriptor.size = static_cast<std::int64_t>(bytes.size());
  return descriptor;
}

Result<void> VerifyContent(const Descriptor& descriptor, std::string_view bytes) {
  const std::string what = "content " + descriptor.digest.str();
  if (static_cast<std::uint64_t>(descriptor.size) != bytes.size()) {
    return Fail(ErrorCode::kInvalidArgument, what + ": size mismatch: descriptor says " +
                                                 std::to_string(descriptor.size) + " bytes, got " +
                                                 std::to_string(bytes.size()));
  }
  return VerifyDigest(descriptor.digest, bytes, what);
}

Result<Platform> PlatformFromJson(const json& value, const std::string& path) {
  auto fields = Fields::Of(value, path);
  if (!fields) return std::unexpected(fields.error());
  Platform platform;
  // image-spec: architecture and os are REQUIRED in a platform object.
  auto architecture = fields->String("architecture");
  if (!architecture) return std::unexpected(architecture.error());
  auto os = fields->String("os");
  if (!os) return std::unexpected(os.error());
  auto os_version = fields->OptionalString("os.version");
  if (!os_version) return std::unexpected(os_version.error());
  auto os_features = fields->OptionalStringArray("os.features");
  if (!os_features) return std::unexpected(os_features.error());
  auto variant = fields->OptionalString("variant");
  if (!variant) return std::unexpected(variant.error());
  auto features = fields->OptionalStringArray("features");
  if (!features) return std::unexpected(features.error());
  platform.architecture = std::move(*architecture);
  platform.os = std::move(*os);
  platform.os_version = os_version->value_or("");
  platform.os_features = std::move(*os_features);
  platform.variant = variant->value_or("");
  platform.features = std::move(*features);
  return platform;
}

Result<Descriptor> DescriptorFromJson(const json& value, const std::string& path) {
  auto fields = Fields::Of(value, path);
  if (!fields) return std::unexpected(fields.error());
  Descriptor descriptor;

  auto media_type = fields->String("mediaType");
  if (!media_type) return std::unexpected(media_type.error());
  if (auto ok = media_type::CheckSyntax(*media_type); !ok) {
    return std::unexpected(AtField(ok.error(), fields->Path("mediaType")));
  }
  descriptor.media_type = std::move(*media_type);

  auto digest_text = fields->String("digest");
  if (!digest_text) return std::unexpected(digest_text.error());
  auto digest = Digest::Parse(*digest_text);
  if (!digest) return std::unexpected(AtField(digest.error(), fields->Path("digest")));
  descriptor.digest = std::move(*digest);

  auto size = fields->NonNegativeInt("size");
  if (!size) return std::unexpected(size.error());
  descriptor.size = *size;

  auto urls = fields->OptionalStringArray("urls");
  if (!urls) return std::unexpected(urls.error());
  descriptor.urls = std::move(*urls);

  auto annotations = fields->OptionalStringMap("annotations");
  if (!annotations) return std::unexpected(annotations.error());
  descriptor.annotations = std::move(*annotations);

  auto data = fields->OptionalString("data");
  if (!data) return std::unexpected(data.error());
  descriptor.data = std::move(*data);

  auto artifact_type = fields->OptionalString("artifactType");
  if (!artifact_type) return std::unexpected(artifact_type.error());
  if (*artifact_type) {
    if (auto ok = media_type::CheckSyntax(**artifact_type); !ok) {
      return std::unexpected(AtField(ok.error(), fields->Path("artifactType")));
    }
  }
  descriptor.artifact_type = std::move(*artifact_type);

  auto platform = fields->Object("platform", /*required=*/false);
  if (!platform) return std::unexpected(platform.error());
  if (*platform != nullptr) {
    auto parsed = PlatformFromJson(**platform, fields->Path("platform"));
    if (!parsed) return std::unexpected(parsed.error());
    descriptor.platform = std::move(*parsed);
  }
  return descriptor;
}

json PlatformToJson(const Platform& platform) {
  json out = json::object();
  out["architecture"] = platform.architecture;
  out["os"] = platform.os;
  if (!platform.os_version.empty()) out["os.version"] = platform.os_version;
  if (!platform.os_features.empty()) out["os.features"] = platform.os_features;
  if (!platform.variant.empty()) out["variant"] = platform.variant;
  if (!platform.features.empty()) out["features"] = platform.features;
  return out;
}

json DescriptorToJson(const Descriptor& descriptor) {
  json out = json::object();
  out["mediaType"] = descriptor.media_type;
  out["digest"] = descriptor.digest.str();
  out["size"] = descriptor.size;
  if (!descriptor.urls.empty()) out["urls"] = descriptor.urls;
  if (!descriptor.annotations.empty()) out["annotations"] = descriptor.annotations;
  if (descriptor.data) out["data"] = *descriptor.data;
  if (descriptor.artifact_type) out["artifactType"] = *descriptor.artifact_type;
  if (descriptor.platform) out["platform"] = PlatformToJson(*descriptor.platform);
  return out;
}

}  // namespace pullsim::oci
