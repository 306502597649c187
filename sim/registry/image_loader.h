#pragma once
// Stores the images of a REGISTRY.yaml (or any built image) in a Registry the way a push would
// leave them: blobs first, then platform manifests, then the index and its tag.

#include <string_view>
#include <vector>

#include "sim/core/result.h"
#include "sim/oci/image_builder.h"
#include "sim/registry/registry.h"
#include "sim/registry/registry_config.h"

namespace pullsim::registry {

// Builds or reads every image and stores it in `registry` (blobs first, then manifests, then
// indexes, then tags). Errors name the image's `where`.
[[nodiscard]] Result<void> LoadImages(Registry& registry, const std::vector<ImageSource>& images);

// Stores one built image under its repository and tag.
[[nodiscard]] Result<void> LoadBuiltImage(Registry& registry, const oci::BuiltImage& image,
                                          std::string_view repository = {});

}  // namespace pullsim::registry
