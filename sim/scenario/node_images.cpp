#include "sim/scenario/node_images.h"

#include <memory>
#include <utility>

#include "sim/oci/index.h"
#include "sim/oci/manifest.h"
#include "sim/oci/media_type.h"
#include "sim/oci/platform_matcher.h"
#include "sim/reference/reference.h"

namespace pullsim::scenario {
namespace {

std::shared_ptr<const std::string> ContentOf(const oci::SharedBytes& bytes) {
  if (bytes.is_whole_buffer()) return bytes.buffer();
  return std::make_shared<const std::string>(bytes.view());
}

bool IsIndex(std::string_view media_type) {
  return media_type == oci::media_type::kOciIndex ||
         media_type == oci::media_type::kDockerManifestList;
}

// The registry's image, as a pull would have stored it.
Result<PreloadedImage> FromRegistry(node::Kubelet& kubelet, registry::Registry& registry,
                                    const reference::Reference& ref, node::StoredImage& stored) {
  const registry::ContentStore& store = registry.store();
  const std::string in_repository = ref.digest.empty() ? ref.tag : ref.digest;
  auto root = store.GetManifest(ref.path, in_repository);
  if (!root) return Fail(ErrorCode::kNotFound, "the registry has no " + ref.String());
  PreloadedImage preloaded;
  std::string media_type = (*root).media_type;
  std::string manifest_bytes((*root).bytes.view());
  preloaded.manifest.digest = (*root).digest.str();
  stored.repo_digests.push_back(ref.Name() + "@" + (*root).digest.str());
  if (IsIndex(media_type)) {
    Result<oci::Index> index = oci::ParseIndex(manifest_bytes, media_type);
    if (!index) return std::unexpected(index.error());
    Result<std::size_t> chosen = oci::SelectManifest(index->manifests, kubelet.runtime().matcher());
    if (!chosen) return std::unexpected(chosen.error());
    const oci::Descriptor& entry = index->manifests[*chosen];
    if (entry.platform) preloaded.manifest.platform = oci::FormatPlatform(*entry.platform);
    auto child = store.GetManifest(ref.path, entry.digest.str());
    if (!child) return Fail(ErrorCode::kNotFound, "the registry lacks " + entry.digest.str());
    media_type = (*child).media_type;
    manifest_bytes = std::string((*child).bytes.view());
    preloaded.manifest.digest = entry.digest.str();
  }
  Result<oci::Manifest> manifest = oci::ParseManifest(manifest_bytes, media_type);
  if (!manifest) return std::unexpected(manifest.error());
  for (const oci::Descriptor& layer : manifest->layers) {
    auto bytes = store.GetBlob(ref.path, layer.digest);
    if (!bytes) return Fail(ErrorCode::kNotFound, "the registry lacks layer " + layer.digest.str());
    kubelet.store().PutLayer(layer.digest.str(), bytes->size(), ContentOf(*bytes));
    stored.layers.push_back(layer.digest.str());
  }
  stored.config_digest = manifest->config.digest.str();
  stored.config_size = static_cast<std::uint64_t>(manifest->config.size);
  return preloaded;
}

// A synthetic image of the node's platform, for a name no registry of the scenario has.
Result<PreloadedImage> Synthesize(node::Kubelet& kubelet, oci::ImageBuilder& builder,
                                  const reference::Reference& ref, node::StoredImage& stored) {
  oci::ImageSpec spec;
  spec.repository = ref.Name();
  spec.tag = ref.tag.empty() ? "latest" : ref.tag;
  spec.platforms = {oci::FormatPlatform(kubelet.options().platform)};
  Result<oci::BuiltImage> built = builder.Build(spec);
  if (!built) return std::unexpected(built.error());
  const oci::PlatformImage& image = built->platforms.front();
  for (const oci::Blob& layer : image.layers) {
    kubelet.store().PutLayer(layer.descriptor.digest.str(),
                             static_cast<std::uint64_t>(layer.descriptor.size), layer.bytes);
    stored.layers.push_back(layer.descriptor.digest.str());
  }
  stored.config_digest = image.config.descriptor.digest.str();
  stored.config_size = static_cast<std::uint64_t>(image.config.descriptor.size);
  const std::string digest = ref.digest.empty() ? built->root.descriptor.digest.str() : ref.digest;
  stored.repo_digests.push_back(ref.Name() + "@" + digest);
  return PreloadedImage{"", ChosenManifest{spec.platforms.front(), digest}};
}

}  // namespace

Result<PreloadedImage> PreloadImage(node::Kubelet& kubelet, RegistryFleet& fleet,
                                    oci::ImageBuilder& builder, std::string_view text) {
  Result<reference::Reference> ref = reference::ParseDockerRef(text);
  if (!ref) return std::unexpected(ref.error());
  node::StoredImage stored;
  if (!ref->tag.empty()) stored.repo_tags.push_back(ref->Name() + ":" + ref->tag);
  Result<PreloadedImage> preloaded = Fail(ErrorCode::kNotFound, "no registry");
  registry::Registry* registry = fleet.Find(ref->domain);
  if (registry != nullptr) {
    preloaded = FromRegistry(kubelet, *registry, *ref, stored);
    if (!preloaded && preloaded.error().code != ErrorCode::kNotFound) return preloaded;
    if (!preloaded) {
      // Not in the registry: made up, as the README says, so layers and digests start afresh.
      stored.layers.clear();
      stored.repo_digests.clear();
    }
  }
  if (!preloaded) preloaded = Synthesize(kubelet, builder, *ref, stored);
  if (!preloaded) return preloaded;
  stored.id = stored.config_digest;
  preloaded->image_id = stored.id;
  if (Result<void> added = kubelet.store().AddImage(std::move(stored)); !added) {
    return std::unexpected(added.error());
  }
  return preloaded;
}

}  // namespace pullsim::scenario
