#pragma once
// A node's image store (what containerd keeps): images by imageRef with their repo tags and repo
// digests, and layers by digest, stored once and shared between images. A second image that
// shares layers with one already present stores only the layers it adds.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/result.h"
#include "sim/node/image_runtime.h"

namespace pullsim::node {

// One image: id = imageRef ("sha256:<config digest hex>"), repo tags and digests normalised as
// containerd reports them, the config digest and size, and its layers' digests in order.
struct StoredImage {
  std::string id;
  std::vector<std::string> repo_tags;     // "docker.io/library/nginx:1.25"
  std::vector<std::string> repo_digests;  // "docker.io/library/nginx@sha256:…"
  std::string config_digest;
  std::uint64_t config_size = 0;
  std::vector<std::string> layers;  // layer digests, bottom first
};

class ImageStore {
 public:
  // True when the layer's content is on the node.
  [[nodiscard]] bool HasLayer(std::string_view digest) const;
  // Stores a layer; returns false (and stores nothing) when it is already present. `content` may
  // be empty when only sizes are simulated.
  bool PutLayer(std::string digest, std::uint64_t size,
                std::shared_ptr<const std::string> content = nullptr);
  // The stored bytes of a layer, or nullptr (absent, or stored without content).
  [[nodiscard]] std::shared_ptr<const std::string> LayerContent(std::string_view digest) const;

  // Adds an image whose layers are all stored, or merges tags and digests into the image with
  // the same id. A tag moves: it is removed from any other image that had it (as containerd's
  // image names do). kFailedPrecondition when a layer is missing, kInvalidArgument for an empty id.
  [[nodiscard]] Result<void> AddImage(StoredImage image);
  // Removes an image and every layer no other image uses; kNotFound for an unknown id.
  [[nodiscard]] Result<void> RemoveImage(std::string_view id);

  // The image a CRI image string names: an image id ("sha256:…"), or a reference normalised as
  // containerd's CRI does (REF-09: "nginx" → "docker.io/library/nginx:latest") matched against
  // repo tags, or against repo digests when it has a digest. nullptr when absent or unparsable.
  [[nodiscard]] const StoredImage* Resolve(std::string_view image) const;
  [[nodiscard]] const StoredImage* FindById(std::string_view id) const;

  // CRI view: id, tags, digests and size (config plus layers) of every image, sorted by id.
  [[nodiscard]] std::vector<RuntimeImage> List() const;
  [[nodiscard]] RuntimeImage Describe(const StoredImage& image) const;
  // Size of one image: its config plus its layers.
  [[nodiscard]] std::uint64_t ImageSize(const StoredImage& image) const;

  [[nodiscard]] std::size_t image_count() const { return images_.size(); }
  [[nodiscard]] std::size_t layer_count() const { return layers_.size(); }
  // Bytes of layer content on the node, each shared layer counted once.
  [[nodiscard]] std::uint64_t stored_layer_bytes() const { return stored_layer_bytes_; }

 private:
  struct Layer {
    std::uint64_t size = 0;
    std::shared_ptr<const std::string> content;
  };
  void ReleaseUnusedLayers();

  std::map<std::string, StoredImage, std::less<>> images_;
  std::map<std::string, Layer, std::less<>> layers_;
  std::uint64_t stored_layer_bytes_ = 0;
};

}  // namespace pullsim::node
