#include "sim/scenario/node_agent.h"

#include <algorithm>
#include <cassert>
#include <utility>

#include "sim/node/backoff.h"
#include "sim/node/kubelet_constants.h"
#include "sim/oci/platform.h"
#include "sim/reference/reference.h"

namespace pullsim::scenario {

// One pod's worker: the pod as the node last saw it and where its current sync is.
struct NodeAgent::Worker {
  std::string key;  // "ns/name"
  PodState state;
  std::optional<SyncKey> scheduled;  // the next sync, if one is queued
  bool syncing = false;
  bool sync_failed = false;
  std::set<std::size_t> tried;  // containers started (or attempted) in the current sync
  std::shared_ptr<const node::Kubelet::PodKeyring> keyring;
  // The credentials the keyring returned for the pull in flight (CRED-13 attempt order).
  std::shared_ptr<std::vector<node::PullCredential>> looked_up;
  std::size_t pulling = 0;  // index of the container whose EnsureImageExists is in flight
};

namespace {

// splitmix64: a fixed, portable mix so jitter is the same on every machine.
std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t HashText(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

const cluster::Container* FindSpec(const cluster::Pod& pod, std::string_view list,
                                   std::string_view name) {
  const std::vector<cluster::Container>& containers =
      list == "initContainers" ? pod.spec.init_containers : pod.spec.containers;
  for (const cluster::Container& container : containers) {
    if (container.name == name) return &container;
  }
  return nullptr;
}

ContainerStatus StatusFor(const cluster::Container& container, std::string_view list,
                          bool has_init) {
  ContainerStatus status;
  status.name = container.name;
  status.list = std::string(list);
  status.image = container.image;
  status.pull_policy = container.image_pull_policy;
  auto restart = container.other_fields.find("restartPolicy");
  status.restartable = list == "initContainers" && restart != container.other_fields.end() &&
                       restart->second.find("Always") != std::string::npos;
  status.reason = (list == "containers" && has_init) ? "PodInitializing" : "ContainerCreating";
  return status;
}

std::vector<ContainerStatus> StatusesOf(const cluster::Pod& pod) {
  std::vector<ContainerStatus> statuses;
  const bool has_init = !pod.spec.init_containers.empty();
  for (const cluster::Container& c : pod.spec.init_containers) {
    statuses.push_back(StatusFor(c, "initContainers", has_init));
  }
  for (const cluster::Container& c : pod.spec.containers) {
    statuses.push_back(StatusFor(c, "containers", has_init));
  }
  return statuses;
}

node::ObjectReference ContainerRef(const PodState& pod, const ContainerStatus& container) {
  return node::ObjectReference{"Pod", pod.namespace_name, pod.name, pod.uid,
                               node::ContainerFieldPath(container.name, container.list)};
}

void ClosePhases(PodState& pod, std::string_view container, Timestamp at) {
  for (PhaseRecord& phase : pod.timeline) {
    if (phase.container == container && !phase.end) phase.end = std::max(at, phase.start);
  }
}

// The outcome of one attempt, short: "accepted", or the runtime's error without the CRI wrapping.
std::string AttemptOutcome(const node::RegistryRuntime& runtime, std::string_view image,
                           std::string_view credential, bool accepted) {
  if (accepted) return "accepted";
  const std::vector<node::RuntimePull>& pulls = runtime.pulls();
  for (auto it = pulls.rbegin(); it != pulls.rend(); ++it) {
    if (it->image == image && it->credential == credential && !it->ok) return it->error;
  }
  return "failed";
}

}  // namespace

CredentialSource CredentialSourceOf(std::string_view described) {
  auto rest = [&](std::string_view prefix) {
    std::string_view tail = described.substr(prefix.size());
    if (!tail.empty() && tail.front() == ' ') tail.remove_prefix(1);
    return std::string(tail);
  };
  if (described.starts_with("secret")) {
    std::string tail = rest("secret");
    const std::size_t slash = tail.find('/');
    return {CredentialSourceKind::kSecret,
            slash == std::string::npos ? tail : tail.substr(slash + 1)};
  }
  if (described.starts_with("node")) return {CredentialSourceKind::kNode, rest("node")};
  if (described.starts_with("plugin")) return {CredentialSourceKind::kProvider, rest("plugin")};
  if (described.starts_with("service account")) {
    return {CredentialSourceKind::kProvider, rest("service account")};
  }
  return {CredentialSourceKind::kAnonymous, ""};
}

const ContainerStatus* PodState::FindContainer(std::string_view container_name) const {
  for (const ContainerStatus& container : containers) {
    if (container.name == container_name) return &container;
  }
  return nullptr;
}

NodeAgent::NodeAgent(std::string name, const cluster::Cluster& cluster, VirtualClock& clock,
                     std::uint64_t seed)
    : name_(std::move(name)), cluster_(cluster), clock_(clock), seed_(seed) {}

NodeAgent::~NodeAgent() = default;

// ---- pod workers ------------------------------------------------------------------------------

void NodeAgent::Schedule(Worker& worker, Timestamp at) {
  if (worker.scheduled) syncs_.erase(*worker.scheduled);
  worker.scheduled = SyncKey{at, next_sequence_++, worker.key};
  syncs_.insert(*worker.scheduled);
}

void NodeAgent::PodApplied(const cluster::Pod& pod) {
  const std::string key = pod.metadata.namespace_name + "/" + pod.metadata.name;
  auto found = workers_.find(key);
  if (found != workers_.end() && found->second->state.uid == pod.metadata.uid) {
    // An update: a container whose image changed is restarted with the new one.
    Worker& worker = *found->second;
    bool changed = false;
    for (ContainerStatus& status : worker.state.containers) {
      const cluster::Container* spec = FindSpec(pod, status.list, status.name);
      if (spec == nullptr || spec->image == status.image) continue;
      changed = true;
      if (status.state == ContainerState::kRunning) {
        kubelet_->events().Record(
            clock_.Now(), ContainerRef(worker.state, status), node::kEventTypeNormal, "Killing",
            "Container " + status.name + " definition changed, will be restarted");
        ClosePhases(worker.state, status.name, clock_.Now());
      }
      status.image = spec->image;
      status.pull_policy = spec->image_pull_policy;
      status.state = ContainerState::kWaiting;
      status.reason = "ContainerCreating";
      status.message.clear();
    }
    if (changed && !worker.syncing) Schedule(worker, clock_.Now());
    return;
  }
  if (found != workers_.end()) {
    if (found->second->scheduled) syncs_.erase(*found->second->scheduled);
    retired_.push_back(std::move(found->second));
    workers_.erase(found);
  } else {
    order_.push_back(key);
  }
  auto worker = std::make_unique<Worker>();
  worker->key = key;
  worker->state.namespace_name = pod.metadata.namespace_name;
  worker->state.name = pod.metadata.name;
  worker->state.uid = pod.metadata.uid;
  worker->state.containers = StatusesOf(pod);
  Worker& added = *worker;
  workers_.emplace(key, std::move(worker));
  Schedule(added, clock_.Now());
}

void NodeAgent::PodDeleted(std::string_view namespace_name, std::string_view pod_name) {
  const std::string key = std::string(namespace_name) + "/" + std::string(pod_name);
  auto found = workers_.find(key);
  if (found == workers_.end()) return;
  if (found->second->scheduled) syncs_.erase(*found->second->scheduled);
  for (const ContainerStatus& status : found->second->state.containers) {
    ClosePhases(found->second->state, status.name, clock_.Now());
  }
  retired_.push_back(std::move(found->second));
  workers_.erase(found);
}

double NodeAgent::JitterFraction(const Worker& worker) const {
  const std::uint64_t mixed =
      Mix(seed_ ^ Mix(HashText(worker.key) + static_cast<std::uint64_t>(worker.state.syncs)));
  return static_cast<double>(mixed >> 11) / static_cast<double>(std::uint64_t{1} << 53);
}

void NodeAgent::StartSync(Worker& worker) {
  const cluster::Pod* pod = cluster_.FindPod(worker.state.namespace_name, worker.state.name);
  if (pod == nullptr || pod->metadata.uid != worker.state.uid) return;  // deleted meanwhile
  worker.syncing = true;
  worker.sync_failed = false;
  worker.tried.clear();
  ++worker.state.syncs;
  worker.keyring = kubelet_->ReadPodKeyring(*pod);  // CRED-14's warning, once per sync
  ContinueSync(worker);
}

void NodeAgent::ContinueSync(Worker& worker) {
  const cluster::Pod* pod = cluster_.FindPod(worker.state.namespace_name, worker.state.name);
  std::vector<ContainerStatus>& containers = worker.state.containers;
  while (pod != nullptr && pod->metadata.uid == worker.state.uid) {
    // Init containers one at a time, in order; the first that is not done holds the rest.
    std::optional<std::size_t> next;
    bool blocked = false;
    for (std::size_t i = 0; i < containers.size(); ++i) {
      const ContainerStatus& status = containers[i];
      if (status.list == "initContainers") {
        if (status.is_done()) continue;
        if (worker.tried.contains(i)) {
          blocked = true;
        } else {
          next = i;
        }
        break;
      }
      if (!status.is_done() && !worker.tried.contains(i)) {
        next = i;
        break;
      }
    }
    if (blocked || !next) break;
    ContainerStatus& status = containers[*next];
    const cluster::Container* spec = FindSpec(*pod, status.list, status.name);
    worker.tried.insert(*next);
    if (spec == nullptr) continue;
    node::ContainerImageRequest request =
        kubelet_->RequestFor(*pod, *spec, status.list, worker.keyring);
    // Keep what the keyring answers so reports can name each attempt (CRED-13).
    auto looked_up = std::make_shared<std::vector<node::PullCredential>>();
    request.lookup_credentials = [inner = std::move(request.lookup_credentials),
                                  looked_up]() -> Result<std::vector<node::PullCredential>> {
      Result<std::vector<node::PullCredential>> found =
          inner ? inner() : std::vector<node::PullCredential>{};
      if (found) *looked_up = *found;
      return found;
    };
    worker.looked_up = looked_up;
    worker.pulling = *next;
    node::ImageManager& manager = kubelet_->manager();
    const node::ImageManager::Ticket ticket = manager.Start(std::move(request));
    if (!manager.IsDone(ticket)) {
      waiting_[ticket] = &worker;
      return;
    }
    Complete(worker, *next, manager.TakeOutcome(ticket));
  }
  EndSync(worker);
}

void NodeAgent::Complete(Worker& worker, std::size_t index, node::EnsureImageResult result) {
  const Timestamp now = clock_.Now();
  PodState& pod = worker.state;
  ContainerStatus& status = pod.containers[index];
  const std::string tagged = reference::ApplyDefaultImageTag(status.image).value_or(status.image);

  status.last_ensure = result;
  if (!result.runtime_pulls.empty()) {
    status.credentials_tried.clear();
    status.attempts.clear();
    const std::vector<node::PullCredential>& offered = *worker.looked_up;
    status.offered = offered;
    for (std::size_t i = 0; i < result.runtime_pulls.size(); ++i) {
      const std::string& described = result.runtime_pulls[i];
      status.credentials_tried.push_back(CredentialSourceOf(described));
      CredentialAttempt attempt;
      if (i < offered.size()) {
        attempt.registry_key = offered[i].server_address;
        attempt.username = offered[i].username;
      }
      attempt.source = status.credentials_tried.back().ToString();
      const bool accepted = result.ok() && i + 1 == result.runtime_pulls.size();
      attempt.outcome = AttemptOutcome(kubelet_->runtime(), tagged, described, accepted);
      status.attempts.push_back(std::move(attempt));
    }
  }
  if (result.timing) {
    const node::PullTiming& timing = *result.timing;
    if (timing.started > timing.requested) {
      pod.timeline.push_back(
          {status.name, PhaseKind::kQueued, timing.requested, timing.started, status.image});
    }
    pod.timeline.push_back(
        {status.name, PhaseKind::kPulling, timing.started, timing.finished, status.image});
  }

  const node::ObjectReference ref = ContainerRef(pod, status);
  if (result.ok()) {
    status.image_ref = result.image_ref;
    if (result.pull_requested) {
      status.credential = result.credential_used
                              ? CredentialSourceOf(result.credential_used->Describe())
                              : CredentialSource{CredentialSourceKind::kAnonymous, ""};
    }
    node::EventRecorder& events = kubelet_->events();
    events.Record(now, ref, node::kEventTypeNormal, "Created", "Created container: " + status.name);
    events.Record(now, ref, node::kEventTypeNormal, "Started", "Started container " + status.name);
    status.started_at = now;
    status.message.clear();
    if (status.list == "initContainers" && !status.restartable) {
      status.state = ContainerState::kTerminated;
      status.reason = "Completed";
    } else {
      status.state = ContainerState::kRunning;
      status.reason.clear();
      pod.timeline.push_back({status.name, PhaseKind::kRunning, now, std::nullopt, status.image});
    }
    // Regular containers waiting on the init containers may start now.
    for (ContainerStatus& other : pod.containers) {
      if (other.state == ContainerState::kWaiting && other.reason == "PodInitializing") {
        other.reason = "ContainerCreating";
      }
    }
    return;
  }
  const node::ContainerWaiting waiting =
      node::RecordContainerStartFailure(result, ref, kubelet_->events(), now);
  status.state = ContainerState::kWaiting;
  status.reason = waiting.reason;
  status.message = waiting.message;
  if (node::IsBackOffWaitingReason(result.error)) {
    // KUB-08: the back-off the kubelet waits out before the next real pull.
    Timestamp until = now;
    const node::Backoff& backoff = kubelet_->manager().backoff();
    if (const node::Backoff::Entry* entry =
            backoff.Find(node::ImageBackOffKey(pod.uid, status.image))) {
      until = std::max(now, entry->last_update + entry->backoff);
    }
    pod.timeline.push_back(
        {status.name, PhaseKind::kBackOff, now, until, "back-off " + FormatDuration(until - now)});
  } else {
    worker.sync_failed = true;
    pod.timeline.push_back({status.name, PhaseKind::kFailed, now, now, result.error});
  }
}

void NodeAgent::EndSync(Worker& worker) {
  worker.syncing = false;
  worker.keyring.reset();
  worker.looked_up.reset();
  const bool all_done = std::all_of(worker.state.containers.begin(), worker.state.containers.end(),
                                    [](const ContainerStatus& status) { return status.is_done(); });
  if (all_done) return;  // nothing more to start: no resync needed
  // KUB-12: a failed sync is retried after 10-15 s; an expected wait (back-off) after 60-90 s.
  Schedule(worker, clock_.Now() + node::PodResyncDelay(worker.sync_failed, JitterFraction(worker)));
}

bool NodeAgent::RunDue() {
  bool any = false;
  node::ImageManager& manager = kubelet_->manager();
  for (;;) {
    bool progressed = false;
    manager.RunDue();
    for (auto it = waiting_.begin(); it != waiting_.end();) {
      if (!manager.IsDone(it->first)) {
        ++it;
        continue;
      }
      Worker& worker = *it->second;
      node::EnsureImageResult result = manager.TakeOutcome(it->first);
      it = waiting_.erase(it);
      progressed = true;
      Complete(worker, worker.pulling, std::move(result));
      ContinueSync(worker);
      it = waiting_.begin();  // ContinueSync may have added tickets
    }
    while (!syncs_.empty() && std::get<0>(*syncs_.begin()) <= clock_.Now()) {
      const std::string key = std::get<2>(*syncs_.begin());
      syncs_.erase(syncs_.begin());
      progressed = true;
      auto found = workers_.find(key);
      if (found == workers_.end()) continue;
      Worker& worker = *found->second;
      worker.scheduled.reset();
      if (worker.syncing) continue;  // its sync is still waiting for a pull; it ends on its own
      StartSync(worker);
    }
    if (!progressed) break;
    any = true;
  }
  return any;
}

std::optional<Timestamp> NodeAgent::NextWakeUp() const {
  std::optional<Timestamp> next = kubelet_->manager().NextWakeUp();
  if (!syncs_.empty()) {
    const Timestamp sync = std::get<0>(*syncs_.begin());
    if (!next || sync < *next) next = sync;
  }
  return next;
}

// ---- reads ------------------------------------------------------------------------------------

const PodState* NodeAgent::FindPod(std::string_view namespace_name,
                                   std::string_view pod_name) const {
  auto found = workers_.find(std::string(namespace_name) + "/" + std::string(pod_name));
  return found == workers_.end() ? nullptr : &found->second->state;
}

std::vector<const PodState*> NodeAgent::pods() const {
  std::vector<const PodState*> out;
  for (const auto& worker : retired_) out.push_back(&worker->state);
  for (const std::string& key : order_) {
    if (auto found = workers_.find(key); found != workers_.end()) {
      out.push_back(&found->second->state);
    }
  }
  return out;
}

std::vector<node::Event> NodeAgent::EventsOf(const PodState& pod) const {
  std::vector<node::Event> out;
  for (const node::Event& event : kubelet_->events().events()) {
    if (event.object.uid == pod.uid && event.object.name == pod.name &&
        event.object.namespace_name == pod.namespace_name) {
      out.push_back(event);
    }
  }
  return out;
}

std::uint64_t NodeAgent::pulls() const {
  std::uint64_t count = 0;
  for (const node::Event& event : kubelet_->events().events()) {
    if (event.reason == node::kReasonPulling) ++count;
  }
  return count;
}

std::uint64_t NodeAgent::AttemptsBy(CredentialSourceKind kind) const {
  std::uint64_t count = 0;
  for (const node::RuntimePull& pull : kubelet_->runtime().pulls()) {
    if (CredentialSourceOf(pull.credential).kind == kind) ++count;
  }
  return count;
}

std::optional<ChosenManifest> NodeAgent::ChosenFor(std::string_view image_ref) const {
  const std::vector<node::RuntimePull>& pulls = kubelet_->runtime().pulls();
  for (auto it = pulls.rbegin(); it != pulls.rend(); ++it) {
    if (it->ok && it->image_ref == image_ref) {
      return ChosenManifest{it->platform, it->manifest_digest};
    }
  }
  if (auto found = preloaded_.find(image_ref); found != preloaded_.end()) return found->second;
  return std::nullopt;
}

bool NodeAgent::HasImage(std::string_view reference) const {
  return kubelet_->store().Resolve(reference) != nullptr;
}

}  // namespace pullsim::scenario
