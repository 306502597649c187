#pragma once
// Images a node has before the scenario starts (`nodes[].images`): the registry's image of that
// name, read straight from its content store (no request, no credentials), with the manifest the
// node's platform selects from an index (ARCH-04/05); or a synthetic image when no registry of
// the scenario has it. Nothing records a pull, so KEP-2535 counts them as pre-loaded.

#include <string>
#include <string_view>

#include "sim/core/result.h"
#include "sim/node/kubelet.h"
#include "sim/oci/image_builder.h"
#include "sim/scenario/node_agent.h"
#include "sim/scenario/registry_fleet.h"

namespace pullsim::scenario {

struct PreloadedImage {
  std::string image_id;  // the imageRef: the config digest
  ChosenManifest manifest;
};

// Puts `reference` into the node's image store. kInvalidArgument for a reference that does not
// parse, kNotFound when the registry of its host lacks it (or, by digest, when no registry has
// it), the platform error (ARCH-06) when an index has no entry for the node.
[[nodiscard]] Result<PreloadedImage> PreloadImage(node::Kubelet& kubelet, RegistryFleet& fleet,
                                                  oci::ImageBuilder& builder,
                                                  std::string_view reference);

}  // namespace pullsim::scenario
