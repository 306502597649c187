#pragma once
// Media types of OCI and Docker image documents (ARCH-01; image-spec media-types.md,
// specs-go/v1/mediatype.go; Docker image manifest v2 schema 2).

#include <string_view>

#include "sim/core/result.h"

namespace pullsim::oci::media_type {

// Multi-platform documents (ARCH-01).
inline constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kDockerManifestList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
// Single-platform manifests.
inline constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kDockerManifest =
    "application/vnd.docker.distribution.manifest.v2+json";
// Image configs.
inline constexpr std::string_view kOciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr std::string_view kDockerConfig = "application/vnd.docker.container.image.v1+json";
// Layers.
inline constexpr std::string_view kOciLayer = "application/vnd.oci.image.layer.v1.tar";
inline constexpr std::string_view kOciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr std::string_view kOciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
inline constexpr std::string_view kDockerLayerGzip =
    "application/vnd.docker.image.rootfs.diff.tar.gzip";
inline constexpr std::string_view kDockerForeignLayerGzip =
    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
// The empty descriptor ("{}") of artifacts without a config.
inline constexpr std::string_view kOciEmpty = "application/vnd.oci.empty.v1+json";
// The OCI image layout's oci-layout file.
inline constexpr std::string_view kOciLayoutHeader = "application/vnd.oci.layout.header.v1+json";
// Docker schema 1: obsolete, recognised only to be refused with a clear message.
inline constexpr std::string_view kDockerSchema1 =
    "application/vnd.docker.distribution.manifest.v1+json";
inline constexpr std::string_view kDockerSchema1Signed =
    "application/vnd.docker.distribution.manifest.v1+prettyjws";

// ARCH-01: an OCI image index or a Docker manifest list.
[[nodiscard]] bool IsIndex(std::string_view media_type);
// An OCI image manifest or a Docker schema 2 manifest.
[[nodiscard]] bool IsManifest(std::string_view media_type);
// An OCI or Docker image config.
[[nodiscard]] bool IsImageConfig(std::string_view media_type);
// One of the OCI or Docker layer types above (including nondistributable OCI layers).
[[nodiscard]] bool IsLayer(std::string_view media_type);
// Docker's media types (manifest list, schema 2, config, layers) as opposed to OCI's.
[[nodiscard]] bool IsDocker(std::string_view media_type);

// RFC 6838 `type/subtype` as the image-spec descriptor schema requires
// (^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$).
// kInvalidArgument naming the input otherwise.
[[nodiscard]] Result<void> CheckSyntax(std::string_view media_type);

}  // namespace pullsim::oci::media_type
