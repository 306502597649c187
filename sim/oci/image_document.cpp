#include "sim/oci/image_document.h"

#include <nlohmann/json.hpp>

#include "sim/oci/internal/json.h"
#include "sim/oci/media_type.h"

namespace pullsim::oci {

Result<ImageDocument> ParseImageDocument(std::string_view bytes, std::string_view content_type) {
  bool is_index = false;
  if (!content_type.empty()) {
    if (!media_type::IsIndex(content_type) && !media_type::IsManifest(content_type)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "content type: unknown media type " + internal::Quote(content_type) +
                      "; expected an image manifest or an image index");
    }
    is_index = media_type::IsIndex(content_type);
  } else {
    // Peek at the document; the full parse below repeats every check with field paths.
    auto document = internal::ParseStrictJson(bytes, "image manifest or index");
    if (!document) return std::unexpected(document.error());
    if (!document->is_object()) {
      return std::unexpected(internal::WrongType("(document)", "an object", *document));
    }
    const auto media_type = document->find("mediaType");
    if (media_type != document->end() && media_type->is_string()) {
      const std::string declared = media_type->get<std::string>();
      if (!media_type::IsIndex(declared) && !media_type::IsManifest(declared)) {
        return Fail(ErrorCode::kInvalidArgument,
                    "unknown media type " + internal::Quote(declared) +
                        "; expected an image manifest or an image index",
                    "mediaType");
      }
      is_index = media_type::IsIndex(declared);
    } else {
      is_index = document->contains("manifests");
    }
  }
  if (is_index) {
    auto index = ParseIndex(bytes, content_type);
    if (!index) return std::unexpected(index.error());
    return ImageDocument(std::move(*index));
  }
  auto manifest = ParseManifest(bytes, content_type);
  if (!manifest) return std::unexpected(manifest.error());
  return ImageDocument(std::move(*manifest));
}

Descriptor DescribeDocument(const ImageDocument& document) {
  if (const auto* index = std::get_if<Index>(&document)) return index->Describe();
  return std::get<Manifest>(document).Describe();
}

}  // namespace pullsim::oci
