#pragma once
// The readers of each part of a scenario file, sharing one LoadState. They run in a fixed order
// (registries, cluster, nodes, objects, steps) so each can check names against what came before.

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sim/scenario/internal/reader.h"
#include "sim/scenario/internal/yaml_guard.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/scenario.h"

namespace pullsim::scenario::internal {

struct LoadState {
  Context& context;  // the scenario file
  const LoadOptions& options;
  YamlLimits limits;
  Scenario& scenario;
  // Pods applied so far ("namespace/name") with the names of their containers.
  std::map<std::string, std::set<std::string>> pods;

  [[nodiscard]] Registry* FindRegistry(std::string_view host);
  [[nodiscard]] bool HasNode(std::string_view name) const;
};

void ReadRegistries(LoadState& state, const Field& field);
void ReadCluster(LoadState& state, const Field& field);
void ReadNodes(LoadState& state, const Field& field);
// A node's `kubelet:` settings; with `whole_configuration`, a KubeletConfiguration as the kubelet
// reads it (kubelet.config.k8s.io/v1beta1): fields and feature gates pullsim does not simulate
// are ignored, not refused, and rootDir (a flag there, not a field) is not read.
void ReadKubelet(Context& context, const Field& field, KubeletSettings& kubelet,
                 bool whole_configuration);
// Manifests written inline or as {file: path}: one, or a list. Pods are remembered in `state`.
[[nodiscard]] std::vector<Manifest> ReadManifests(LoadState& state, const Field& field);
void ReadSteps(LoadState& state, const Field& field);
[[nodiscard]] std::optional<Expectation> ReadExpectation(LoadState& state, const Field& field);
// `requests` of an expectation naming `registry`.
void ReadRegistryChecks(LoadState& state, const MapView& map, RegistryChecks& checks);
// A count: an integer, or {atLeast, atMost}.
[[nodiscard]] std::optional<CountExpectation> ReadCount(Context& context, const Field& field);

// A repository glob in the registry module's own type.
[[nodiscard]] std::optional<registry::RepositoryGlob> ReadGlob(Context& context,
                                                               const Field& field);
// REGISTRY.yaml `faults[]` and `rate_limits[]` entries.
[[nodiscard]] std::optional<registry::Fault> ReadFault(Context& context, const Field& field);
[[nodiscard]] std::optional<registry::RateLimitRule> ReadRateLimit(Context& context,
                                                                   const Field& field);

// Endpoint names of the request log and REGISTRY.yaml ("manifest", "blob", "token", ...).
[[nodiscard]] std::span<const std::string_view> EndpointNames();
[[nodiscard]] std::optional<oci::RegistryEndpoint> ParseEndpoint(std::string_view name);

// An image of REGISTRY.yaml (repository relative to the registry `host`), with `extra_keys` also
// allowed (a push step's "registry").
[[nodiscard]] std::optional<registry::ImageSource> ReadImage(
    LoadState& state, const Field& field, const std::string& host,
    std::initializer_list<std::string_view> extra_keys = {});

}  // namespace pullsim::scenario::internal
