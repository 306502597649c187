#pragma once
// What the registry reads from a pushed manifest or index before it accepts it: the media type,
// the blobs and child manifests it references (which must already be in the repository), and the
// subject and artifact type the referrers API reports. Lenient where registries are lenient
// (unknown fields, missing optional ones), strict on what they check.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/result.h"
#include "sim/oci/digest.h"

namespace pullsim::registry::internal {

struct ManifestReference {
  oci::Digest digest;
  std::string media_type;
  bool external = false;  // a layer with "urls" (foreign/non-distributable): not checked
};

struct InspectedManifest {
  std::string media_type;
  bool is_index = false;
  std::vector<ManifestReference> blobs;      // config + layers
  std::vector<ManifestReference> manifests;  // index entries
  std::optional<oci::Digest> subject;
  std::string artifact_type;     // artifactType, else the config's mediaType
  std::string annotations_json;  // "annotations" re-serialised; empty when absent
};

// Reads `bytes` pushed with `content_type` (may be empty). kInvalidArgument with a message a
// client can act on ("layers[2].digest: ...") when the manifest is not acceptable.
[[nodiscard]] Result<InspectedManifest> InspectManifest(std::string_view bytes,
                                                        std::string_view content_type);

// True for the four manifest media types a registry stores (OCI/Docker manifest and index).
[[nodiscard]] bool IsManifestMediaType(std::string_view media_type);

}  // namespace pullsim::registry::internal
