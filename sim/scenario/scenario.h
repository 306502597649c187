#pragma once
// A scenario: a world (registries, cluster settings, nodes, Kubernetes objects) and the steps run
// against it, read from fixtures/<area>/<behaviour>.yaml (format: fixtures/README.md). A runner
// builds registries, nodes and the cluster from these plain values and executes the steps in order.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/source_location.h"
#include "sim/scenario/step.h"
#include "sim/scenario/world.h"

namespace pullsim::scenario {

// ---- the scenario -----------------------------------------------------------------------------

enum class Transport {
  kInProcess,  // registry calls are function calls (default; fast)
  kHttp,       // real HTTP over 127.0.0.1
};

struct Scenario {
  std::filesystem::path file;       // as given to the loader
  std::filesystem::path directory;  // where `file:` manifests and layouts are looked up
  std::string name;
  std::string description;
  std::vector<Located<std::string>> rules;    // rule ids of conformance/rules.yaml
  std::optional<Located<std::string>> xfail;  // "reason, #issue": expected to fail (lit XFAIL)
  std::uint64_t seed = 0;
  Transport transport = Transport::kInProcess;
  std::vector<Registry> registries;
  Cluster cluster;
  std::vector<Node> nodes;
  std::vector<Manifest> objects;  // applied in order before the first step, like an apply step
  std::vector<Step> steps;

  [[nodiscard]] const Registry* FindRegistry(std::string_view host) const;
  [[nodiscard]] const Node* FindNode(std::string_view node_name) const;
};

}  // namespace pullsim::scenario
