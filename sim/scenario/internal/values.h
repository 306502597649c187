#pragma once
// Reads the scenario's own value formats: registry hosts, platforms, sizes, repository globs,
// image references, Kubernetes names and feature gates; each reports into a Context.

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sim/reference/reference.h"
#include "sim/scenario/internal/reader.h"

namespace pullsim::scenario::internal {

// "registry.test", "registry.test:5000", "localhost:5000", "[::1]:5000", "docker.io".
[[nodiscard]] std::optional<std::string> ReadHost(Context& context, const Field& field);

// "os/arch[/variant]" such as "linux/arm64" or "linux/arm/v7" (ARCH-03 syntax, no wildcards).
[[nodiscard]] std::optional<std::string> ReadPlatform(Context& context, const Field& field);

// Bytes: an integer, or a number with a unit B, kB, MB, GB (powers of 1000), KiB, MiB, GiB.
[[nodiscard]] std::optional<std::uint64_t> ReadSize(Context& context, const Field& field);

// A repository pattern: '*' within a path component, '**' across, '?' one character.
[[nodiscard]] std::optional<std::string> ReadRepositoryGlob(Context& context, const Field& field);

// A full image reference, normalised ("nginx" is docker.io/library/nginx:latest when
// `default_tag`); `allow_digest` false refuses "@sha256:...".
[[nodiscard]] std::optional<reference::Reference> ReadReference(Context& context,
                                                                const Field& field,
                                                                bool allow_digest);

// A Kubernetes object name (DNS subdomain: lower-case alphanumerics, '-' and '.').
[[nodiscard]] std::optional<std::string> ReadObjectName(Context& context, const Field& field);
[[nodiscard]] bool IsObjectName(std::string_view name);

// "sha256:<64 hex>" or "sha512:<128 hex>".
[[nodiscard]] std::optional<std::string> ReadDigest(Context& context, const Field& field);

// featureGates: a mapping of known gate names to booleans.
[[nodiscard]] std::optional<std::map<std::string, bool>> ReadFeatureGates(Context& context,
                                                                          const Field& field);
[[nodiscard]] std::span<const std::string_view> KnownFeatureGates();

// A YAML value as JSON (plain scalars typed by the YAML 1.2 core schema).
[[nodiscard]] std::optional<nlohmann::json> ReadJson(Context& context, const Field& field);

}  // namespace pullsim::scenario::internal
