#pragma once
// Loads a scenario file strictly (fixtures/README.md): an unknown key (with a "did you mean"), a
// wrong type, a missing field, a bad duration, platform, reference or rule id, or a dangling
// reference is a Diagnostic with file:line:col and field path. Every problem of a file is
// reported, up to a cap; hostile input (binary, huge, deeply nested, alias bombs) is refused
// with a diagnostic, never a crash or a hang.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string_view>

#include "sim/core/rule_catalogue.h"
#include "sim/scenario/diagnostic.h"
#include "sim/scenario/scenario.h"

namespace pullsim::scenario {

struct LoadOptions {
  // Rule ids must be in this catalogue; nullptr checks only their form (REF-01, KEP2535-04).
  const RuleCatalogue* catalogue = nullptr;
  std::size_t max_errors = 20;        // diagnostics reported before the rest are counted only
  std::size_t max_bytes = 16u << 20;  // per file (scenario and each `file:` manifest)
  std::size_t max_nodes = 500'000;    // YAML nodes per file after expanding aliases
  std::size_t max_depth = 64;         // nested lists and mappings
};

// Reads and checks `path`; `file:` manifests and OCI layouts are looked up beside it.
// Diagnostics name the file as `path` was given. kNotFound when the file cannot be read.
[[nodiscard]] LoadResult<Scenario> LoadScenarioFile(const std::filesystem::path& path,
                                                    const LoadOptions& options = {});

// Reads a scenario from `text`, named `file_name` in diagnostics, with `directory` for files
// beside it.
[[nodiscard]] LoadResult<Scenario> LoadScenarioText(std::string_view text,
                                                    std::string_view file_name,
                                                    const std::filesystem::path& directory,
                                                    const LoadOptions& options = {});

// The rule catalogue for scenarios under `start`: conformance/rules.yaml in `start` or the
// nearest folder above it that has one.
[[nodiscard]] std::optional<std::filesystem::path> FindRuleCatalogue(
    const std::filesystem::path& start);

}  // namespace pullsim::scenario
