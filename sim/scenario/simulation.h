#pragma once
// The live world of a scenario (DESIGN.md "the path of one pod"): registries, the API server with
// its admission chain, and the nodes, all on one VirtualClock that starts at 0
// (2026-01-01T00:00:00Z). Steps change it; after each, Settle() lets the nodes act at the current
// instant until nothing more happens at it, and Advance() moves time, stopping at every moment
// something is due (pull completions, pod resyncs) — fixtures/README.md "How a scenario runs".

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/cluster/cluster.h"
#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/scenario/node_agent.h"
#include "sim/scenario/registry_fleet.h"
#include "sim/scenario/scenario.h"

namespace pullsim::scenario {

class Simulation {
 public:
  // Builds registries with their images, the cluster (admission plugins as the scenario enables
  // them) and the nodes with their files and pre-pulled images. Errors name the part of the
  // scenario that could not be built.
  [[nodiscard]] static Result<std::unique_ptr<Simulation>> Create(const Scenario& scenario);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // `kubectl apply` of one object through the API server; a Pod goes to its node's kubelet.
  // Returns the API server's warnings; its error (message as the API server words it) when it
  // refuses the object.
  [[nodiscard]] Result<std::vector<std::string>> Apply(const Manifest& manifest);
  [[nodiscard]] Result<void> Delete(const DeleteStep& step);

  // Lets every node act at the current instant until nothing more happens at it.
  void Settle();
  // Moves the clock to `until` (never back), settling at every moment something is due.
  void AdvanceTo(Timestamp until);
  // The next moment something is due, if anything is.
  [[nodiscard]] std::optional<Timestamp> NextWakeUp() const;

  [[nodiscard]] Timestamp start() const { return start_; }
  [[nodiscard]] Timestamp now() const { return clock_.Now(); }
  [[nodiscard]] Duration elapsed() const { return clock_.Now() - start_; }

  [[nodiscard]] cluster::Cluster& cluster() { return cluster_; }
  [[nodiscard]] const cluster::Cluster& cluster() const { return cluster_; }
  [[nodiscard]] RegistryFleet& registries() { return *fleet_; }
  [[nodiscard]] const RegistryFleet& registries() const { return *fleet_; }
  [[nodiscard]] NodeAgent* FindNode(std::string_view node_name);
  [[nodiscard]] const NodeAgent* FindNode(std::string_view node_name) const;
  [[nodiscard]] const std::vector<std::unique_ptr<NodeAgent>>& nodes() const { return nodes_; }

  // The pod's state on its node, and the node; {nullptr, nullptr} when no node has it.
  struct PodOnNode {
    const NodeAgent* node = nullptr;
    const PodState* pod = nullptr;
  };
  [[nodiscard]] PodOnNode FindPod(std::string_view namespace_name, std::string_view name) const;

 private:
  explicit Simulation(cluster::ClusterOptions options);

  VirtualClock clock_;
  VirtualClock wire_clock_;  // time registries spend inside a request (fault latency, bandwidth)
  Timestamp start_;
  cluster::Cluster cluster_;
  std::unique_ptr<RegistryFleet> fleet_;
  std::vector<std::unique_ptr<NodeAgent>> nodes_;
};

}  // namespace pullsim::scenario
