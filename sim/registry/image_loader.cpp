// Loading REGISTRY.yaml images into a Registry: synthetic ones from oci::ImageBuilder, others
// from OCI layouts on disk.
#include "sim/registry/image_loader.h"

#include <nlohmann/json.hpp>

#include "sim/oci/descriptor.h"
#include "sim/oci/image_layout.h"
#include "sim/oci/media_type.h"

namespace pullsim::registry {

namespace {

oci::SharedBytes Share(const oci::BlobBytes& bytes) {
  return oci::SharedBytes(bytes, 0, bytes ? bytes->size() : 0);
}

Result<void> Stored(Result<oci::Digest> result, const std::string& where) {
  if (!result) {
    Error error = result.error();
    error.where = where;
    return std::unexpected(error);
  }
  return {};
}

// Stores the document `digest` of `layout` and everything below it, children first.
Result<void> LoadFromLayout(Registry& registry, const oci::ImageLayout& layout,
                            const oci::Descriptor& descriptor, const std::string& repository,
                            const std::string& tag, const std::string& where) {
  oci::BlobBytes bytes = layout.Bytes(descriptor.digest);
  if (!bytes) {
    return Fail(ErrorCode::kNotFound, "layout has no blob " + descriptor.digest.str(), where);
  }
  if (oci::media_type::IsIndex(descriptor.media_type)) {
    const nlohmann::json doc = nlohmann::json::parse(*bytes, nullptr, false);
    if (doc.is_discarded() || !doc.contains("manifests") || !doc["manifests"].is_array()) {
      return Fail(ErrorCode::kInvalidArgument, "index " + descriptor.digest.str() + " is malformed",
                  where);
    }
    for (std::size_t i = 0; i < doc["manifests"].size(); ++i) {
      auto child =
          oci::DescriptorFromJson(doc["manifests"][i], "manifests[" + std::to_string(i) + "]");
      if (!child) return std::unexpected(child.error());
      if (auto ok = LoadFromLayout(registry, layout, *child, repository, "", where); !ok) return ok;
    }
  } else if (oci::media_type::IsManifest(descriptor.media_type)) {
    const nlohmann::json doc = nlohmann::json::parse(*bytes, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "manifest " + descriptor.digest.str() + " is malformed", where);
    }
    std::vector<nlohmann::json> blobs;
    if (doc.contains("config")) blobs.push_back(doc["config"]);
    if (doc.contains("layers") && doc["layers"].is_array()) {
      for (const auto& layer : doc["layers"]) blobs.push_back(layer);
    }
    for (const nlohmann::json& blob : blobs) {
      auto d = oci::DescriptorFromJson(blob, "blob");
      if (!d) return std::unexpected(d.error());
      oci::BlobBytes blob_bytes = layout.Bytes(d->digest);
      if (!blob_bytes) {
        if (!d->urls.empty()) continue;  // a foreign layer may be absent
        return Fail(ErrorCode::kNotFound, "layout has no blob " + d->digest.str(), where);
      }
      (void)registry.PutBlob(repository, Share(blob_bytes));
    }
  } else {
    (void)registry.PutBlob(repository, Share(bytes));
    return {};
  }
  return Stored(registry.PutManifest(repository, Share(bytes), descriptor.media_type, tag), where);
}

}  // namespace

Result<void> LoadBuiltImage(Registry& registry, const oci::BuiltImage& image,
                            std::string_view repository) {
  const std::string repo(repository.empty() ? std::string_view(image.repository) : repository);
  const std::string where = "image " + repo + ":" + image.tag;
  for (const oci::PlatformImage& platform : image.platforms) {
    (void)registry.PutBlob(repo, Share(platform.config.bytes));
    for (const oci::Blob& layer : platform.layers) (void)registry.PutBlob(repo, Share(layer.bytes));
    if (image.is_index()) {
      auto stored = registry.PutManifest(repo, Share(platform.manifest.bytes),
                                         platform.manifest.descriptor.media_type);
      if (auto ok = Stored(std::move(stored), where); !ok) return ok;
    }
  }
  return Stored(registry.PutManifest(repo, Share(image.root.bytes),
                                     image.root.descriptor.media_type, image.tag),
                where);
}

Result<void> LoadImages(Registry& registry, const std::vector<ImageSource>& images) {
  oci::ImageBuilder builder;
  for (const ImageSource& source : images) {
    if (source.spec) {
      auto built = builder.Build(*source.spec);
      if (!built) {
        Error error = built.error();
        error.where = source.where;
        return std::unexpected(error);
      }
      if (auto ok = LoadBuiltImage(registry, *built, source.repository); !ok) {
        Error error = ok.error();
        error.where = source.where;
        return std::unexpected(error);
      }
      continue;
    }
    auto layout = oci::ReadImageLayout(source.layout);
    if (!layout) {
      Error error = layout.error();
      error.message = "OCI layout \"" + source.layout.string() + "\": " + error.message;
      error.where = source.where;
      return std::unexpected(error);
    }
    bool found = false;
    for (const oci::Descriptor& entry : layout->index.manifests) {
      auto name = entry.annotations.find(std::string(oci::kRefNameAnnotation));
      const std::string ref = name == entry.annotations.end() ? std::string() : name->second;
      if (!source.layout_ref.empty() && ref != source.layout_ref) continue;
      found = true;
      std::string tag = source.tag.empty() ? ref : source.tag;
      if (!tag.empty() && !CheckTag(tag)) tag.clear();  // not a usable tag: by digest only
      if (auto ok = LoadFromLayout(registry, *layout, entry, source.repository, tag, source.where);
          !ok) {
        return ok;
      }
    }
    if (!found) {
      return Fail(ErrorCode::kNotFound,
                  "OCI layout \"" + source.layout.string() + "\" has no entry named \"" +
                      source.layout_ref + "\"",
                  source.where);
    }
  }
  return {};
}

}  // namespace pullsim::registry
