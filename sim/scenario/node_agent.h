#pragma once
// One node of a running scenario: a node::Kubelet (platform, kubelet settings, files, image
// store, registry runtime, image manager) and its pod workers. A pod worker syncs its pod the way
// the kubelet's SyncPod starts containers — init containers one at a time, then every regular
// container, each through EnsureImageExists — and syncs again on the KUB-12 cadence: 10-15 s after
// a sync that failed, 60-90 s after one that only waited out ImagePullBackOff; the jitter is
// drawn from the scenario's seed, so a run is the same every time.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "sim/cluster/cluster.h"
#include "sim/core/clock.h"
#include "sim/core/result.h"
#include "sim/credentials/provider_plugin.h"
#include "sim/node/kubelet.h"
#include "sim/scenario/registry_fleet.h"
#include "sim/scenario/results.h"
#include "sim/scenario/step.h"
#include "sim/scenario/world.h"

namespace pullsim::scenario {

// A container as its pod worker last left it.
struct ContainerStatus {
  std::string name;
  std::string list;          // "initContainers" or "containers"
  std::string image;         // as written in the stored pod
  std::string pull_policy;   // as stored after admission
  bool restartable = false;  // an init container with restartPolicy: Always (a sidecar)
  ContainerState state = ContainerState::kWaiting;
  std::string reason = "ContainerCreating";
  std::string message;
  std::optional<Timestamp> started_at;
  std::string image_ref;  // the image it started from
  // The last pull that tried credentials: each attempt in order (CRED-13) and, when the pull
  // worked, the credential that did.
  std::vector<CredentialSource> credentials_tried;
  std::vector<CredentialAttempt> attempts;
  std::optional<CredentialSource> credential;
  // For explain: the container's last EnsureImageExists, and the credentials the last pull that
  // tried any offered, in keyring order (docker config key, username, source).
  std::optional<node::EnsureImageResult> last_ensure;
  std::vector<node::PullCredential> offered;

  [[nodiscard]] bool is_done() const {
    return state == ContainerState::kRunning ||
           (state == ContainerState::kTerminated && reason == "Completed");
  }
};

// A stretch of a container's timeline on the scenario's clock.
struct PhaseRecord {
  std::string container;
  PhaseKind kind = PhaseKind::kPulling;
  Timestamp start{};
  std::optional<Timestamp> end;  // nullopt: still going
  std::string label;
};

struct PodState {
  std::string namespace_name;
  std::string name;
  std::string uid;
  std::vector<ContainerStatus> containers;  // init containers first, then regular ones
  std::vector<PhaseRecord> timeline;
  int syncs = 0;

  [[nodiscard]] const ContainerStatus* FindContainer(std::string_view container_name) const;
};

// The platform and digest of the manifest a node chose for an image (ARCH-05).
struct ChosenManifest {
  std::string platform;  // "linux/arm64"; "" when the tag named a manifest, not an index
  std::string digest;
};

class NodeAgent {
 public:
  // Builds the node: kubelet settings from the scenario (KUB-11, KEP2535-02; a refused value is
  // kInvalidArgument with the kubelet's message), credential-provider plugins, files, and the
  // pre-pulled images. `cluster`, `fleet` and the clocks must outlive the agent.
  [[nodiscard]] static Result<std::unique_ptr<NodeAgent>> Create(
      const Node& node, const Cluster& settings, const cluster::Cluster& cluster,
      RegistryFleet& fleet, VirtualClock& clock, VirtualClock& wire_clock, std::uint64_t seed);
  ~NodeAgent();
  NodeAgent(const NodeAgent&) = delete;
  NodeAgent& operator=(const NodeAgent&) = delete;

  // The API server stored `pod` (created or updated) for this node: its worker syncs now.
  void PodApplied(const cluster::Pod& pod);
  void PodDeleted(std::string_view namespace_name, std::string_view pod_name);

  // Runs everything due at the clock's now: pulls that complete, containers waiting for them,
  // pod syncs. True when anything happened.
  bool RunDue();
  // When this node next has something to do.
  [[nodiscard]] std::optional<Timestamp> NextWakeUp() const;

  [[nodiscard]] const PodState* FindPod(std::string_view namespace_name,
                                        std::string_view pod_name) const;
  // Every pod the node was given, in the order it was given them (deleted ones included).
  [[nodiscard]] std::vector<const PodState*> pods() const;
  // Events about the pod (or its containers), in order.
  [[nodiscard]] std::vector<node::Event> EventsOf(const PodState& pod) const;

  // Image pulls started (one Pulling event each) and pull attempts by credential source.
  [[nodiscard]] std::uint64_t pulls() const;
  [[nodiscard]] std::uint64_t AttemptsBy(CredentialSourceKind kind) const;
  // The manifest behind an image id the node holds, from its pulls or its pre-pulled images.
  [[nodiscard]] std::optional<ChosenManifest> ChosenFor(std::string_view image_ref) const;
  [[nodiscard]] bool HasImage(std::string_view reference) const;

  // Steps.
  [[nodiscard]] Result<void> RemoveImage(std::string_view reference);
  [[nodiscard]] Result<void> EditFile(const EditFileStep& step);

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] node::Kubelet& kubelet() { return *kubelet_; }
  [[nodiscard]] const node::Kubelet& kubelet() const { return *kubelet_; }

 private:
  struct Worker;
  using SyncKey = std::tuple<Timestamp, std::uint64_t, std::string>;

  NodeAgent(std::string name, const cluster::Cluster& cluster, VirtualClock& clock,
            std::uint64_t seed);
  void Schedule(Worker& worker, Timestamp at);
  void StartSync(Worker& worker);
  void ContinueSync(Worker& worker);
  void Complete(Worker& worker, std::size_t index, node::EnsureImageResult result);
  void EndSync(Worker& worker);
  [[nodiscard]] double JitterFraction(const Worker& worker) const;
  void ApplyReadFaults();

  std::string name_;
  const cluster::Cluster& cluster_;
  VirtualClock& clock_;
  std::uint64_t seed_;
  std::unique_ptr<credentials::CredentialProviderPlugins> plugins_;
  std::unique_ptr<node::Kubelet> kubelet_;
  std::map<std::string, std::unique_ptr<Worker>, std::less<>> workers_;  // by "ns/name"
  std::vector<std::string> order_;                                       // keys, first seen first
  std::vector<std::unique_ptr<Worker>> retired_;  // deleted or replaced pods, kept for results
  std::set<SyncKey> syncs_;
  std::map<std::uint64_t, Worker*> waiting_;  // pull ticket -> the worker waiting for it
  std::uint64_t next_sequence_ = 0;
  std::map<std::string, ChosenManifest, std::less<>> preloaded_;  // image id -> manifest
  std::set<std::string> unreadable_;                              // node files that cannot be read
};

// "anonymous", "secret NS/NAME", "node PATH", "plugin NAME" (node::PullCredential::Describe and
// the image manager's runtime pulls) as a scenario's CredentialSource.
[[nodiscard]] CredentialSource CredentialSourceOf(std::string_view described);

}  // namespace pullsim::scenario
