#pragma once
// The OCI image layout on disk (image-spec image-layout.md): `oci-layout`, `index.json`, and
// every blob at `blobs/<algorithm>/<hex>`. Written so real tools (skopeo's `oci:` transport) read
// it as is, and read back with every reachable blob checked against its descriptor.

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "sim/core/result.h"
#include "sim/oci/image_builder.h"
#include "sim/oci/index.h"

namespace pullsim::oci {

// The annotation that names an index.json entry; skopeo's oci:DIR:NAME looks it up.
inline constexpr std::string_view kRefNameAnnotation = "org.opencontainers.image.ref.name";

struct ImageLayout {
  Index index;                        // index.json
  std::map<Digest, BlobBytes> blobs;  // every blob, manifests and indexes included

  // The index.json entry named `ref_name`, or nullptr.
  [[nodiscard]] const Descriptor* Find(std::string_view ref_name) const;
  // The bytes of `digest`, or nullptr.
  [[nodiscard]] BlobBytes Bytes(const Digest& digest) const;
};

// Adds `image` to `layout`: its blobs, and an index.json entry for its root named `ref_name`
// (by default the image's tag), replacing an entry of that name. Re-seals index.json.
void AddImage(ImageLayout& layout, const BuiltImage& image, std::string ref_name = {});

// Writes the layout into `dir` (created if missing; files of the same names are replaced).
// Every blob is checked against its digest first, so a layout is never written inconsistent.
// kInvalidArgument for a blob whose bytes do not match its digest, kUnavailable for I/O errors
// naming the path.
[[nodiscard]] Result<void> WriteImageLayout(const std::filesystem::path& dir,
                                            const ImageLayout& layout);

// Reads the layout in `dir`: oci-layout must declare imageLayoutVersion 1.0.0; index.json is
// parsed; every blob reachable from it (nested indexes, manifests, configs, layers) is read and
// checked against its descriptor's size and digest. Layers with `urls` (foreign layers) may be
// absent. kNotFound for a missing file or blob (naming which descriptor needs it),
// kInvalidArgument for malformed documents or mismatched content, kUnavailable for I/O errors.
[[nodiscard]] Result<ImageLayout> ReadImageLayout(const std::filesystem::path& dir);

}  // namespace pullsim::oci
