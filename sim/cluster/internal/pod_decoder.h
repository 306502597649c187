#pragma once
// Decoding of metadata and pod specs from a manifest node (core/v1 field names). The modelled
// fields are read with type checks; the other fields of the API types are accepted and kept as
// canonical text; names the API types do not have are refused.

#include <string_view>

#include <yaml-cpp/yaml.h>

#include "sim/cluster/internal/yaml_reader.h"
#include "sim/cluster/objects.h"
#include "sim/core/result.h"

namespace pullsim::cluster::internal {

// metadata (ObjectMeta) at `path`.
[[nodiscard]] Result<void> DecodeObjectMeta(const YamlReader& reader, const YAML::Node& node,
                                            std::string_view path, ObjectMeta& meta);

// A PodSpec at `path` ("spec", "spec.template.spec").
[[nodiscard]] Result<void> DecodePodSpec(const YamlReader& reader, const YAML::Node& node,
                                         std::string_view path, PodSpec& spec);

// A list of LocalObjectReference ({name: ...}) at `path`.
[[nodiscard]] Result<std::vector<LocalObjectReference>> DecodeLocalReferences(
    const YamlReader& reader, const YAML::Node& node, std::string_view path);

}  // namespace pullsim::cluster::internal
