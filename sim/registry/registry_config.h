#pragma once
// REGISTRY.yaml: a registry described as data (users, per-repository access rules over globs,
// images from the synthetic builder or OCI layouts on disk, rate limits, faults), as
// `pullsim serve --config` and scenarios load it. The format is documented in
// sim/registry/README.md. Strict: an unknown key or a wrong type is an error naming
// file:line:col and the field.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/result.h"
#include "sim/oci/image_builder.h"
#include "sim/registry/registry.h"

namespace pullsim::registry {

// Images to load: synthetic (`spec`) or from an OCI layout directory.
struct ImageSource {
  std::string where;  // "REGISTRY.yaml:12:5 images[0]" for errors while loading
  std::optional<oci::ImageSpec> spec;
  // Layout: every index.json entry (or only `layout_ref`) goes to `repository`, tagged with its
  // ref name (or `tag` when given).
  std::filesystem::path layout;
  std::string layout_ref;
  std::string repository;
  std::string tag;
};

struct RegistryConfig {
  RegistryOptions options;  // auth, rules, rate limits, faults, delete_enabled
  std::vector<ImageSource> images;
};

// Parses REGISTRY.yaml text; `file` names it in errors, relative layout paths resolve against
// `base_dir`. kInvalidArgument with `where` = "file:line:col field.path".
[[nodiscard]] Result<RegistryConfig> ParseRegistryConfig(std::string_view text,
                                                         std::string_view file,
                                                         const std::filesystem::path& base_dir);
// Reads and parses a file; kNotFound when it does not exist.
[[nodiscard]] Result<RegistryConfig> LoadRegistryConfig(const std::filesystem::path& path);

}  // namespace pullsim::registry
