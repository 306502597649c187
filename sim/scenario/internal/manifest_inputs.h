#pragma once
// What LoadManifestScenario (sim/scenario/manifest_scenario.h) shares between its parts: the
// loader state, the YAML look-ups that never throw, and the reader of node documents (a Node as
// `kubectl get node -o yaml` prints it, a KubeletConfiguration, a CredentialProviderConfig).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/core/error.h"
#include "sim/scenario/diagnostic.h"
#include "sim/scenario/internal/reader.h"
#include "sim/scenario/internal/yaml_guard.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/manifest_scenario.h"

namespace pullsim::scenario::internal {

// Everything one LoadManifestScenario shares: the diagnostics, the warnings, and what was read
// so far.
struct ManifestLoader {
  explicit ManifestLoader(const ManifestScenarioInputs& given) : inputs(given) {}

  const ManifestScenarioInputs& inputs;
  internal::Diagnostics sink{20};
  internal::YamlLimits limits{LoadOptions{}.max_bytes, LoadOptions{}.max_nodes,
                              LoadOptions{}.max_depth};
  std::vector<Diagnostic> warnings;
  Scenario scenario;
  std::optional<Node> node;
  std::optional<KubeletSettings> kubelet;               // from a KubeletConfiguration
  SourceLocation kubelet_config_location;               // of the first one
  std::optional<Located<std::string>> kubelet_version;  // "1.30" from status.nodeInfo

  void Report(SourceLocation location, std::string message,
              ErrorCode code = ErrorCode::kInvalidArgument) {
    sink.Add(Diagnostic{code, std::move(location), "", std::move(message)});
  }
  void Warn(const Context& context, const Field& field, std::string message) {
    warnings.push_back(
        Diagnostic{ErrorCode::kInvalidArgument, context.Location(field), "", std::move(message)});
  }

  // The text of `file`; nullopt after reporting why it cannot be read.
  [[nodiscard]] std::optional<std::string> Read(const InputFile& file, std::string_view flag);
};

// An Error of another module ("file:line:col field: message") as a Diagnostic.
[[nodiscard]] Diagnostic DiagnosticOf(const Error& error);

// The value at `key` of `map`; an undefined node when `map` is no mapping or lacks the key.
[[nodiscard]] YAML::Node Lookup(const YAML::Node& map, std::string_view key);
// The string at `key` of `map`, when it is a plain non-empty scalar.
[[nodiscard]] std::optional<std::string> ScalarAt(const YAML::Node& map, std::string_view key);
// The field `key` of `map` with its path, when written.
[[nodiscard]] std::optional<Field> Child(const Field& map, std::string_view key);

// "v1.30.4-eks-a737599", "v1.35.0+k3s1" → "1.30"; nullopt for anything else.
[[nodiscard]] std::optional<std::string> MinorVersion(std::string_view text);
// "1.20" to "1.40", the releases pullsim simulates.
[[nodiscard]] bool IsSupportedMinor(std::string_view version);

// One document of --node or --node-config: a Node (or a List of them), a KubeletConfiguration
// (or the kubelet's /configz answer), a CredentialProviderConfig (warned about: its plugins are
// not run). Anything else is reported.
void ReadNodeDocument(ManifestLoader& loader, Context& context, const Field& document);

}  // namespace pullsim::scenario::internal
