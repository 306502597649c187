#pragma once
// Deterministic synthetic images for fixtures and benchmarks: from a short description
// (repository, tag, platforms, layer sizes, shared base layers, seed) the same bytes and digests
// on every machine. Single-platform manifests, OCI indexes and Docker manifest lists (ARCH-01),
// base layers shared between images, and the "-$(ARCH)" naming habit (`pause` as a multi-arch
// index beside `pause-amd64`).

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/result.h"
#include "sim/oci/descriptor.h"
#include "sim/oci/platform.h"

namespace pullsim::oci {

// Immutable bytes shared by the builder, registries and layouts: built once, never copied.
using BlobBytes = std::shared_ptr<const std::string>;

// One piece of content: its descriptor and its bytes.
struct Blob {
  Descriptor descriptor;
  BlobBytes bytes;
};

enum class ImageFormat {
  kOci,     // OCI image index / manifest / config / tar+gzip layers
  kDocker,  // Docker manifest list / schema 2 manifest / container image config / gzip layers
};

enum class LayerCompression {
  kGzip,  // a real gzip stream (stored deflate blocks) of a real tar; at least 23 bytes
  kNone,  // the tar itself (OCI only); raw bytes when the size is not a whole tar
};

// A base layer shared by every image that names it: its bytes depend only on name, size,
// platform and compression, so two images built on the same base share the blob.
struct BaseLayer {
  std::string name;
  std::int64_t size = 0;
};

struct ImageSpec {
  std::string repository;  // "team/app", "registry.test/team/app": recorded in config labels
  std::string tag = "latest";
  // os/arch[/variant] as they appear in the index, not normalised ("linux/x86_64" stays so).
  std::vector<std::string> platforms = {"linux/amd64"};
  // With one platform: false gives a plain manifest, true an index with one entry. Several
  // platforms always give an index (or manifest list).
  bool index = false;
  ImageFormat format = ImageFormat::kOci;
  LayerCompression compression = LayerCompression::kGzip;
  std::vector<BaseLayer> base_layers;     // first in each manifest, in this order
  std::vector<std::int64_t> layer_sizes;  // the image's own layers (blob sizes), after the base
  std::uint64_t seed = 0;
};

// One platform's manifest with its config, as an index entry names it.
struct PlatformImage {
  Platform platform;
  Blob manifest;  // descriptor carries the platform
  Blob config;
  std::vector<Blob> layers;
};

struct BuiltImage {
  std::string repository;
  std::string tag;
  Blob root;  // what the tag resolves to: the index / manifest list, or the only manifest
  std::vector<PlatformImage> platforms;  // in ImageSpec::platforms order

  [[nodiscard]] bool is_index() const;
  // Every blob the image reaches, each once: root, manifests, configs, layers.
  [[nodiscard]] std::vector<Blob> AllBlobs() const;
  // The sum of distinct layer sizes.
  [[nodiscard]] std::int64_t LayerBytes() const;
};

// Builds images; layers are cached by content key, so images built by one builder that share
// base layers (or are rebuilt) share the same bytes in memory.
class ImageBuilder {
 public:
  // kInvalidArgument naming the field: empty repository or tag, no platforms, a platform not of
  // the form os/arch[/variant], a negative layer size, a gzip layer under 23 bytes, uncompressed
  // layers in the Docker format.
  [[nodiscard]] Result<BuiltImage> Build(const ImageSpec& spec);

  // The "-$(ARCH)" habit: `repository:tag` as a multi-platform index plus, for each platform,
  // `repository-<arch>:tag` (`-<arch>-<variant>` when a variant is given) as a single-platform
  // image whose manifest is the very manifest of that index entry (same digest). The index
  // comes first.
  [[nodiscard]] Result<std::vector<BuiltImage>> BuildWithArchSuffixes(const ImageSpec& spec);

 private:
  struct LayerContent {
    BlobBytes bytes;
    Digest digest;
    Digest diff_id;
  };
  Result<LayerContent> Layer(const std::string& key, std::int64_t size,
                             LayerCompression compression);

  std::map<std::string, LayerContent> layers_;
};

}  // namespace pullsim::oci
