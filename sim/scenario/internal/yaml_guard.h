#pragma once
// Reads a YAML file safely: checks size, text encoding, syntax, nesting depth and the number of
// nodes after expanding aliases (so a "billion laughs" document is refused before anything walks
// it), then builds yaml-cpp documents. Every problem becomes a diagnostic, never an exception.

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/scenario/internal/reader.h"

namespace pullsim::scenario::internal {

struct YamlLimits {
  std::size_t max_bytes = 0;
  std::size_t max_nodes = 0;  // after expanding aliases, over all documents
  std::size_t max_depth = 0;  // nested lists and mappings
};

// The documents of `text`, or nullopt after reporting why not into `context`.
[[nodiscard]] std::optional<std::vector<YAML::Node>> ParseYaml(std::string_view text,
                                                               const YamlLimits& limits,
                                                               Context& context);

}  // namespace pullsim::scenario::internal
