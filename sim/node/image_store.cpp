#include "sim/node/image_store.h"

#include <algorithm>
#include <set>

#include "sim/reference/reference.h"

namespace pullsim::node {
namespace {

void AddUnique(std::vector<std::string>& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

bool IsImageId(std::string_view image) {
  if (!image.starts_with("sha256:") || image.size() != 7 + 64) return false;
  return std::all_of(image.begin() + 7, image.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

bool ImageStore::HasLayer(std::string_view digest) const { return layers_.contains(digest); }

bool ImageStore::PutLayer(std::string digest, std::uint64_t size,
                          std::shared_ptr<const std::string> content) {
  if (layers_.contains(digest)) return false;
  layers_.emplace(std::move(digest), Layer{size, std::move(content)});
  stored_layer_bytes_ += size;
  return true;
}

std::shared_ptr<const std::string> ImageStore::LayerContent(std::string_view digest) const {
  auto it = layers_.find(digest);
  return it == layers_.end() ? nullptr : it->second.content;
}

Result<void> ImageStore::AddImage(StoredImage image) {
  if (image.id.empty()) return Fail(ErrorCode::kInvalidArgument, "image without an id");
  for (const std::string& layer : image.layers) {
    if (!HasLayer(layer)) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "image " + image.id + ": layer " + layer + " is not stored");
    }
  }
  // A tag names one image at a time.
  for (auto& [id, other] : images_) {
    if (id == image.id) continue;
    std::erase_if(other.repo_tags, [&](const std::string& tag) {
      return std::find(image.repo_tags.begin(), image.repo_tags.end(), tag) !=
             image.repo_tags.end();
    });
  }
  auto it = images_.find(image.id);
  if (it == images_.end()) {
    images_.emplace(image.id, std::move(image));
    return {};
  }
  for (const std::string& tag : image.repo_tags) AddUnique(it->second.repo_tags, tag);
  for (const std::string& digest : image.repo_digests) AddUnique(it->second.repo_digests, digest);
  return {};
}

Result<void> ImageStore::RemoveImage(std::string_view id) {
  auto it = images_.find(id);
  if (it == images_.end()) {
    return Fail(ErrorCode::kNotFound, "image " + std::string(id) + " is not on the node");
  }
  images_.erase(it);
  ReleaseUnusedLayers();
  return {};
}

void ImageStore::ReleaseUnusedLayers() {
  std::set<std::string_view> used;
  for (const auto& [id, image] : images_) used.insert(image.layers.begin(), image.layers.end());
  for (auto it = layers_.begin(); it != layers_.end();) {
    if (used.contains(it->first)) {
      ++it;
    } else {
      stored_layer_bytes_ -= it->second.size;
      it = layers_.erase(it);
    }
  }
}

const StoredImage* ImageStore::FindById(std::string_view id) const {
  auto it = images_.find(id);
  return it == images_.end() ? nullptr : &it->second;
}

const StoredImage* ImageStore::Resolve(std::string_view image) const {
  if (IsImageId(image)) return FindById(image);
  Result<reference::Reference> ref = reference::ParseDockerRef(image);
  if (!ref) return nullptr;
  const std::string wanted = ref->String();
  for (const auto& [id, stored] : images_) {
    const auto& names = ref->digest.empty() ? stored.repo_tags : stored.repo_digests;
    if (std::find(names.begin(), names.end(), wanted) != names.end()) return &stored;
  }
  return nullptr;
}

std::uint64_t ImageStore::ImageSize(const StoredImage& image) const {
  std::uint64_t size = image.config_size;
  for (const std::string& layer : image.layers) {
    auto it = layers_.find(layer);
    if (it != layers_.end()) size += it->second.size;
  }
  return size;
}

RuntimeImage ImageStore::Describe(const StoredImage& image) const {
  return RuntimeImage{image.id, image.repo_tags, image.repo_digests, ImageSize(image)};
}

std::vector<RuntimeImage> ImageStore::List() const {
  std::vector<RuntimeImage> list;
  list.reserve(images_.size());
  for (const auto& [id, image] : images_) list.push_back(Describe(image));
  return list;
}

}  // namespace pullsim::node
