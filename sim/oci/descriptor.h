#pragma once
// Descriptors: what points at content by media type, digest and size (image-spec descriptor.md;
// the `manifests[]` entries of an index carry a platform, ARCH-01).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "sim/core/result.h"
#include "sim/oci/digest.h"
#include "sim/oci/platform.h"

namespace pullsim::oci {

using Annotations = std::map<std::string, std::string>;

struct Descriptor {
  std::string media_type;
  Digest digest;
  std::int64_t size = 0;
  std::vector<std::string> urls;
  Annotations annotations;
  std::optional<std::string> data;  // base64 of embedded content, as written
  std::optional<std::string> artifact_type;
  std::optional<Platform> platform;

  friend bool operator==(const Descriptor&, const Descriptor&) = default;
};

// The descriptor of `bytes` (sha256) with `media_type`.
[[nodiscard]] Descriptor Describe(std::string_view media_type, std::string_view bytes);

// Checks fetched content against its descriptor: first the size ("size mismatch: descriptor
// says N bytes, got M"), then the digest (VerifyDigest). kInvalidArgument naming the digest.
[[nodiscard]] Result<void> VerifyContent(const Descriptor& descriptor, std::string_view bytes);

// Reads a descriptor object. `path` names it in errors ("manifests[2]"); every error is
// kInvalidArgument with where = the offending field's path: missing or mistyped mediaType, digest
// and size, a malformed media type or digest, a negative size, a platform without os or
// architecture.
[[nodiscard]] Result<Descriptor> DescriptorFromJson(const nlohmann::json& value,
                                                    const std::string& path);
[[nodiscard]] Result<Platform> PlatformFromJson(const nlohmann::json& value,
                                                const std::string& path);

// The JSON object of a descriptor / platform; optional fields only when set.
[[nodiscard]] nlohmann::json DescriptorToJson(const Descriptor& descriptor);
[[nodiscard]] nlohmann::json PlatformToJson(const Platform& platform);

}  // namespace pullsim::oci
