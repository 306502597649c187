#include "sim/scenario/simulation.h"

#include <algorithm>
#include <utility>

#include "sim/cluster/manifest.h"
#include "sim/scenario/names.h"

namespace pullsim::scenario {
namespace {

cluster::ClusterOptions ClusterOptionsOf(const Cluster& settings) {
  cluster::ClusterOptions options;
  options.always_pull_images =
      std::find(settings.admission_plugins.begin(), settings.admission_plugins.end(),
                AdmissionPlugin::kAlwaysPullImages) != settings.admission_plugins.end();
  options.limit_secret_references = settings.limit_secret_references;
  return options;
}

}  // namespace

Simulation::Simulation(cluster::ClusterOptions options)
    : start_(clock_.Now()), cluster_(std::move(options)) {}

Simulation::~Simulation() = default;

Result<std::unique_ptr<Simulation>> Simulation::Create(const Scenario& scenario) {
  const Cluster& settings = scenario.cluster;
  if (std::find(settings.admission_plugins.begin(), settings.admission_plugins.end(),
                AdmissionPlugin::kServiceAccount) == settings.admission_plugins.end()) {
    // TODO(#7): the cluster module always runs the ServiceAccount plugin.
    return Fail(ErrorCode::kInvalidArgument,
                "cluster.admissionPlugins: a cluster without the ServiceAccount plugin is not "
                "simulated; list ServiceAccount",
                settings.location.ToString());
  }
  std::unique_ptr<Simulation> simulation(new Simulation(ClusterOptionsOf(settings)));
  Result<std::unique_ptr<RegistryFleet>> fleet =
      RegistryFleet::Create(scenario.registries, simulation->clock_, simulation->wire_clock_,
                            scenario.transport == Transport::kHttp);
  if (!fleet) return std::unexpected(fleet.error());
  simulation->fleet_ = *std::move(fleet);
  for (std::size_t i = 0; i < scenario.nodes.size(); ++i) {
    const Node& node = scenario.nodes[i];
    Result<std::unique_ptr<NodeAgent>> agent =
        NodeAgent::Create(node, settings, simulation->cluster_, *simulation->fleet_,
                          simulation->clock_, simulation->wire_clock_, scenario.seed);
    if (!agent) {
      Error error = agent.error();
      if (error.where == node.location.ToString()) {
        error.where += " nodes[" + std::to_string(i) + "]";
      }
      return std::unexpected(error);
    }
    simulation->nodes_.push_back(*std::move(agent));
  }
  return simulation;
}

Result<std::vector<std::string>> Simulation::Apply(const Manifest& manifest) {
  Result<cluster::Object> object = cluster::ParseObject(manifest.node, manifest.location.file);
  if (!object) return std::unexpected(object.error());
  Result<cluster::ApplyOutcome> applied = cluster_.Apply(*std::move(object));
  if (!applied) return std::unexpected(applied.error());
  if (applied->kind == "Pod") {
    const cluster::Pod* pod = cluster_.FindPod(applied->namespace_name, applied->name);
    if (pod != nullptr) {
      const std::string& node_name =
          pod->spec.node_name.empty() ? manifest.node_name : pod->spec.node_name;
      NodeAgent* agent = FindNode(node_name);
      if (agent == nullptr) {
        return Fail(ErrorCode::kNotFound,
                    "pod " + applied->namespace_name + "/" + applied->name + " names node \"" +
                        node_name + "\", which the scenario does not have",
                    manifest.location.ToString());
      }
      agent->PodApplied(*pod);
    }
  }
  return std::move(applied->warnings);
}

Result<void> Simulation::Delete(const DeleteStep& step) {
  Result<void> deleted = cluster_.Delete(ObjectKindName(step.kind), step.namespace_name, step.name);
  if (!deleted) return deleted;
  // A pod, or a namespace with pods in it: the kubelets let go of pods the API no longer has.
  for (auto& agent : nodes_) {
    for (const PodState* pod : agent->pods()) {
      const cluster::Pod* stored = cluster_.FindPod(pod->namespace_name, pod->name);
      if (agent->FindPod(pod->namespace_name, pod->name) == pod &&
          (stored == nullptr || stored->metadata.uid != pod->uid)) {
        agent->PodDeleted(pod->namespace_name, pod->name);
      }
    }
  }
  return {};
}

void Simulation::Settle() {
  for (;;) {
    bool any = false;
    for (auto& agent : nodes_) any = agent->RunDue() || any;
    if (!any) break;
  }
}

std::optional<Timestamp> Simulation::NextWakeUp() const {
  std::optional<Timestamp> next;
  for (const auto& agent : nodes_) {
    std::optional<Timestamp> wake = agent->NextWakeUp();
    if (wake && (!next || *wake < *next)) next = wake;
  }
  return next;
}

void Simulation::AdvanceTo(Timestamp until) {
  Settle();
  for (;;) {
    std::optional<Timestamp> next = NextWakeUp();
    // Settle() ran everything due now, so what is next lies ahead; were it not, stop rather
    // than spin.
    if (!next || *next > until || *next <= clock_.Now()) break;
    clock_.AdvanceTo(*next);
    Settle();
  }
  clock_.AdvanceTo(until);
  Settle();
}

NodeAgent* Simulation::FindNode(std::string_view node_name) {
  for (auto& agent : nodes_) {
    if (agent->name() == node_name) return agent.get();
  }
  return nullptr;
}

const NodeAgent* Simulation::FindNode(std::string_view node_name) const {
  for (const auto& agent : nodes_) {
    if (agent->name() == node_name) return agent.get();
  }
  return nullptr;
}

Simulation::PodOnNode Simulation::FindPod(std::string_view namespace_name,
                                          std::string_view name) const {
  for (const auto& agent : nodes_) {
    if (const PodState* pod = agent->FindPod(namespace_name, name)) return {agent.get(), pod};
  }
  return {};
}

}  // namespace pullsim::scenario
