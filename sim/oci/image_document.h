#pragma once
// What a manifest endpoint or a layout's index.json entry points at: an image manifest or an
// image index, told apart by media type (ARCH-01).

#include <string_view>
#include <variant>

#include "sim/core/result.h"
#include "sim/oci/index.h"
#include "sim/oci/manifest.h"

namespace pullsim::oci {

using ImageDocument = std::variant<Manifest, Index>;

// Parses `bytes` as whichever document `content_type` names; when it is "" the document's own
// mediaType decides, and without one a `manifests` array means an index. Errors as ParseManifest
// / ParseIndex; an unknown content type or mediaType is kInvalidArgument.
[[nodiscard]] Result<ImageDocument> ParseImageDocument(std::string_view bytes,
                                                       std::string_view content_type = {});

// The descriptor of the document's raw bytes.
[[nodiscard]] Descriptor DescribeDocument(const ImageDocument& document);

}  // namespace pullsim::oci
