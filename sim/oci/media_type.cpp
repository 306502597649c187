#include "sim/oci/media_type.h"

#include <string>

#include "sim/oci/internal/json.h"

namespace pullsim::oci::media_type {
namespace {

// Nondistributable OCI layers (deprecated in image-spec 1.1 but still valid to read).
constexpr std::string_view kNondistributablePrefix =
    "application/vnd.oci.image.layer.nondistributable.v1.tar";

bool IsRestrictedNameChar(char c, bool first) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  if (first) return false;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '&':
    case '^':
    case '_':
    case '.':
    case '+':
    case '-':
      return true;
    default:
      return false;
  }
}

bool IsRestrictedName(std::string_view name) {
  if (name.empty() || name.size() > 127) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (!IsRestrictedNameChar(name[i], i == 0)) return false;
  }
  return true;
}

}  // namespace

bool IsIndex(std::string_view media_type) {
  return media_type == kOciIndex || media_type == kDockerManifestList;
}

bool IsManifest(std::string_view media_type) {
  return media_type == kOciManifest || media_type == kDockerManifest;
}

bool IsImageConfig(std::string_view media_type) {
  return media_type == kOciConfig || media_type == kDockerConfig;
}

bool IsLayer(std::string_view media_type) {
  if (media_type == kOciLayer || media_type == kOciLayerGzip || media_type == kOciLayerZstd ||
      media_type == kDockerLayerGzip || media_type == kDockerForeignLayerGzip) {
    return true;
  }
  return media_type == kNondistributablePrefix ||
         media_type == std::string(kNondistributablePrefix) + "+gzip" ||
         media_type == std::string(kNondistributablePrefix) + "+zstd";
}

bool IsDocker(std::string_view media_type) {
  return media_type.starts_with("application/vnd.docker.");
}

Result<void> CheckSyntax(std::string_view media_type) {
  const std::size_t slash = media_type.find('/');
  if (slash == std::string_view::npos || !IsRestrictedName(media_type.substr(0, slash)) ||
      !IsRestrictedName(media_type.substr(slash + 1))) {
    return Fail(ErrorCode::kInvalidArgument, "media type " + internal::Quote(media_type) +
                                                 " is not of the form type/subtype (RFC 6838)");
  }
  return {};
}

}  // namespace pullsim::oci::media_type
