#pragma once
// Single-platform image manifests: OCI image manifest and Docker image manifest v2 schema 2
// (image-spec manifest.md; ARCH-01). A parsed manifest keeps the exact bytes it came from: its
// digest is the digest of those bytes, never of a re-serialisation.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/result.h"
#include "sim/oci/descriptor.h"

namespace pullsim::oci {

struct Manifest {
  int schema_version = 2;
  std::string media_type;  // kOciManifest or kDockerManifest
  std::optional<std::string> artifact_type;
  Descriptor config;
  std::vector<Descriptor> layers;
  std::optional<Descriptor> subject;
  Annotations annotations;
  // The exact bytes parsed (ParseManifest) or produced (SerializeManifest); empty for a manifest
  // assembled in code and not yet serialised.
  std::string raw;

  // The descriptor of `raw`: media_type, sha256 of raw, raw's size.
  [[nodiscard]] Descriptor Describe() const;
};

// Parses an image manifest from `bytes`. `content_type` is the media type it arrived with
// (registry Content-Type, the descriptor that pointed at it) or "" when unknown.
// kInvalidArgument naming the field and why: not JSON, over 4 MiB, nested too deep, duplicate
// keys, schemaVersion not 2, unknown or contradictory media type, an index instead of a
// manifest, missing or mistyped config/layers, a bad digest or size in any descriptor.
[[nodiscard]] Result<Manifest> ParseManifest(std::string_view bytes,
                                             std::string_view content_type = {});

// Canonical JSON of the manifest's fields (raw is ignored): compact, keys in sorted order, so the
// same manifest always has the same bytes and digest.
[[nodiscard]] std::string SerializeManifest(const Manifest& manifest);

// SerializeManifest, stored into manifest.raw; returns the manifest's descriptor.
Descriptor Seal(Manifest& manifest);

}  // namespace pullsim::oci
