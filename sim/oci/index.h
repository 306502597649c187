#pragma once
// Multi-platform documents: OCI image index and Docker manifest list (image-spec image-index.md;
// ARCH-01). Like a Manifest, a parsed Index keeps its exact bytes.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/result.h"
#include "sim/oci/descriptor.h"

namespace pullsim::oci {

struct Index {
  int schema_version = 2;
  std::string media_type;  // kOciIndex or kDockerManifestList
  std::optional<std::string> artifact_type;
  std::vector<Descriptor> manifests;  // document order; platform selection depends on it
  std::optional<Descriptor> subject;
  Annotations annotations;
  std::string raw;  // as Manifest::raw

  [[nodiscard]] Descriptor Describe() const;
};

// Parses an image index or manifest list. Errors as ParseManifest, with `manifests` required.
// Entries may have any well-formed media type (image-spec: readers must not fail on unknown
// ones); the node decides what it can pull.
[[nodiscard]] Result<Index> ParseIndex(std::string_view bytes, std::string_view content_type = {});

// Canonical JSON of the index's fields (raw is ignored).
[[nodiscard]] std::string SerializeIndex(const Index& index);

// SerializeIndex, stored into index.raw; returns the index's descriptor.
Descriptor Seal(Index& index);

}  // namespace pullsim::oci
