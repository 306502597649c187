#include "sim/scenario/explain.h"

#include <algorithm>
#include <map>
#include <memory>
#include <utility>

#include "sim/cluster/change.h"
#include "sim/credentials/keyring.h"
#include "sim/credentials/pull_secret.h"
#include "sim/credentials/search_path.h"
#include "sim/node/events.h"
#include "sim/node/kubelet_constants.h"
#include "sim/node/registry_runtime.h"
#include "sim/oci/index.h"
#include "sim/oci/media_type.h"
#include "sim/oci/platform.h"
#include "sim/reference/pull_policy.h"
#include "sim/reference/reference.h"
#include "sim/scenario/internal/reader.h"
#include "sim/scenario/names.h"
#include "sim/scenario/runner.h"

namespace pullsim::scenario {
namespace {

std::string JoinWords(const std::vector<std::string>& words, std::string_view separator = ", ") {
  std::string text;
  for (const std::string& word : words) {
    if (!text.empty()) text += separator;
    text += word;
  }
  return text;
}

// ---- 1. image -----------------------------------------------------------------------------

ExplainedImage ExplainImage(const std::string& image) {
  ExplainedImage explained;
  explained.written = image;
  Result<std::string> tagged = reference::ApplyDefaultImageTag(image);
  if (!tagged) {
    explained.error = tagged.error().message;
    return explained;
  }
  explained.tagged = *tagged;
  explained.default_tag_added = *tagged != image;
  if (Result<reference::Reference> docker_ref = reference::ParseDockerRef(image); docker_ref) {
    explained.normalised = docker_ref->String();
  }
  if (Result<reference::ImageName> name = reference::ParseImageName(image); name) {
    explained.repository = name->repository;
  }
  return explained;
}

// ---- 2. pull policy -----------------------------------------------------------------------

std::string ListField(std::string_view list) {
  return list == "initContainers" ? "initContainers" : std::string(list);
}

// The index of `name` in the pod's `list`, or -1.
int IndexIn(const cluster::Pod& pod, std::string_view list, std::string_view name) {
  const std::vector<cluster::Container>* containers = &pod.spec.containers;
  if (list == "initContainers") containers = &pod.spec.init_containers;
  if (list == "ephemeralContainers") containers = &pod.spec.ephemeral_containers;
  for (std::size_t i = 0; i < containers->size(); ++i) {
    if ((*containers)[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

ExplainedPolicy ExplainPolicy(const cluster::Cluster& cluster, const PodState& pod,
                              const ContainerStatus& status) {
  ExplainedPolicy explained;
  explained.value = status.pull_policy;
  const cluster::Pod* stored = cluster.FindPod(pod.namespace_name, pod.name);
  std::vector<cluster::Change> changes;
  if (stored != nullptr && stored->metadata.uid == pod.uid) {
    const int index = IndexIn(*stored, status.list, status.name);
    const std::string path =
        "spec." + ListField(status.list) + "[" + std::to_string(index) + "].imagePullPolicy";
    for (const cluster::Change& change : cluster.HistoryOf("Pod", pod.namespace_name, pod.name)) {
      if (change.path == path) changes.push_back(change);
    }
  }
  if (changes.empty()) {
    explained.written = status.pull_policy;
    explained.set_by = "written";
    explained.why = stored == nullptr || stored->metadata.uid != pod.uid
                        ? "as the node last saw the pod (it is no longer stored)"
                        : "written in the pod spec; defaulting keeps a set value (POL-01)";
    return explained;
  }
  explained.written = changes.front().old_value;
  const cluster::Change& last = changes.back();
  explained.set_by = last.plugin;
  if (last.plugin == cluster::kAlwaysPullImagesPlugin) {
    explained.rule = "ADM-01";
    explained.why = "the AlwaysPullImages admission plugin sets Always on every container (was " +
                    (last.old_value.empty() ? std::string("empty") : last.old_value) + ")";
  } else if (last.plugin == cluster::kDefaultingStep) {
    explained.rule = "POL-01";
    Result<reference::ImageName> name = reference::ParseImageName(status.image);
    const bool latest = name && name->digest.empty() && name->tag == "latest";
    explained.why = std::string("no policy written; the API server defaults it from the tag: ") +
                    (latest ? "the tag is latest (or none), so Always"
                            : "the tag is not latest, so IfNotPresent");
  } else {
    explained.why = "set by " + last.plugin + " (was " + last.old_value + ")";
  }
  return explained;
}

// ---- runtime pulls of one container ----------------------------------------------------------

// The runtime calls of one EnsureImageExists: one per credential, all at the same instant.
struct PullGroup {
  Timestamp started{};
  std::vector<const node::RuntimePull*> calls;
};

std::vector<PullGroup> PullsOf(const node::RegistryRuntime& runtime,
                               const node::ObjectReference& requester) {
  std::vector<PullGroup> groups;
  for (const node::RuntimePull& pull : runtime.pulls()) {
    if (pull.requested_by != requester) continue;
    if (groups.empty() || groups.back().started != pull.started) {
      groups.push_back(PullGroup{pull.started, {}});
    }
    groups.back().calls.push_back(&pull);
  }
  return groups;
}

// "401 Unauthorized", "403 Forbidden", ... of the answer that stopped the attempt, else the
// runtime's text.
std::string ShortOutcome(const node::RuntimePull& pull) {
  if (pull.ok) return "accepted";
  for (auto it = pull.exchanges.rbegin(); it != pull.exchanges.rend(); ++it) {
    if (it->status >= 400) return node::HttpStatusText(it->status);
    if (it->status == 0 && !it->error.empty()) return "no answer";
  }
  if (pull.error.find("no match for platform") != std::string::npos) {
    return "no manifest for the node's platform";
  }
  return "failed";
}

// ---- 3. cache and KEP-2535 ------------------------------------------------------------------

ExplainedCache ExplainCache(NodeAgent& agent, const ContainerStatus& status,
                            const ExplainedImage& image) {
  ExplainedCache cache;
  node::Kubelet& kubelet = agent.kubelet();
  if (kubelet.manager().settings().ensure_secret_pulled_images) {
    cache.verification_policy =
        std::string(node::VerificationPolicyName(kubelet.pull_manager().policy().policy()));
  }
  cache.present_at_end = !image.tagged.empty() && agent.HasImage(image.tagged);
  if (!status.last_ensure) {
    cache.decision = "not decided";
    cache.reason = "the kubelet has not started this container's image yet";
    return cache;
  }
  const node::EnsureImageResult& last = *status.last_ensure;
  if (!image.error.empty()) {
    cache.decision = "no pull";
    cache.reason = "the image name does not parse: InvalidImageName (KUB-01)";
    return cache;
  }
  cache.inspected = last.inspected_image_ref.has_value();
  cache.present = cache.inspected && !last.inspected_image_ref->empty();
  if (cache.present) cache.image_ref = *last.inspected_image_ref;
  if (last.verification) cache.may_use = !last.verification->must_pull;
  if (!cache.inspected) {
    cache.decision = "pull";
    cache.reason = "Always: the kubelet pulls without looking at the node's images (KUB-02)";
    return cache;
  }
  if (!cache.present) {
    cache.decision = status.pull_policy == "Never" ? "no pull" : "pull";
    cache.reason = status.pull_policy == "Never"
                       ? "not on the node and the policy is Never: ErrImageNeverPull (KUB-02)"
                       : "not on the node (KUB-02)";
    return cache;
  }
  if (!last.verification) {
    cache.decision = "use the cached copy";
    cache.reason = cache.verification_policy.empty()
                       ? "present; KubeletEnsureSecretPulledImages is off, so any pod may use it "
                         "(KEP2535-01)"
                       : "present and usable";
    return cache;
  }
  cache.decision = last.verification->must_pull
                       ? (status.pull_policy == "Never" ? "no pull" : "pull to verify")
                       : "use the cached copy";
  cache.reason = last.verification->reason + " (KEP2535-04)";
  if (last.verification->must_pull && status.pull_policy == "Never") {
    cache.reason += "; Never may not pull: ErrImageNeverPull";
  }
  return cache;
}

// ---- 4. credentials -------------------------------------------------------------------------

// Why `key` matched `repository`, with the rule.
std::string WhyMatched(const std::string& key, const std::string& source,
                       const std::string& repository) {
  std::string why;
  Result<bool> direct = credentials::UrlsMatch(key, repository);
  if ((!direct || !*direct) && key == credentials::kDefaultRegistryKey) {
    why = "Docker Hub fallback: no key matched " + repository + " (CRED-09)";
  } else if (key.find_first_of("*?[") != std::string::npos) {
    why = "host glob " + key + " matches " + repository + " (CRED-07)";
  } else if (key.find('/') != std::string::npos) {
    why = "path prefix " + key + " of " + repository + " (CRED-07)";
  } else {
    why = "host " + key + " of " + repository + " (CRED-07)";
  }
  if (source.starts_with("plugin")) why += "; plugin answer (CRED-17)";
  return why;
}

// A credential the kubelet offers for `repository`: key, user (never the password), source, and
// why the key matched; the caller adds the outcome.
ExplainedCredential ExplainOffered(const node::PullCredential& offered,
                                   const std::string& repository) {
  ExplainedCredential credential;
  credential.key = offered.server_address;
  credential.username = offered.username;
  credential.source = offered.Describe();
  credential.matched = WhyMatched(credential.key, credential.source, repository);
  return credential;
}

// The pod's pull secrets that gave no credential for `repository`, and why.
std::vector<SkippedSecret> SkippedSecrets(const cluster::Cluster& cluster, const cluster::Pod& pod,
                                          const std::string& repository) {
  std::vector<SkippedSecret> skipped;
  const std::string& ns = pod.metadata.namespace_name;
  for (const cluster::LocalObjectReference& reference : pod.spec.image_pull_secrets) {
    if (reference.name.empty()) continue;
    const std::string name = ns + "/" + reference.name;
    const cluster::Secret* secret = cluster.FindSecret(ns, reference.name);
    if (secret == nullptr) {
      std::vector<std::string> elsewhere;
      for (const cluster::Object* object : cluster.List("Secret")) {
        const auto* other = std::get_if<cluster::Secret>(object);
        if (other != nullptr && other->metadata.name == reference.name) {
          elsewhere.push_back(other->metadata.namespace_name);
        }
      }
      skipped.push_back(
          {name,
           elsewhere.empty()
               ? "not found; the pull goes on without it (FailedToRetrieveImagePullSecret)"
               : "not in namespace " + ns + " (only in " + JoinWords(elsewhere) +
                     "); the kubelet reads secrets of the pod's own namespace only",
           "CRED-14"});
      continue;
    }
    const credentials::PullSecret pull_secret = cluster::ToPullSecret(*secret);
    Result<credentials::PodSecretKeyring> keyring =
        credentials::MakePodSecretKeyring(std::span(&pull_secret, 1));
    if (!keyring) {
      skipped.push_back({name, "cannot be decoded: " + keyring.error().message, "KUB-14"});
      continue;
    }
    if (keyring->secrets_used == 0) {
      skipped.push_back(
          {name,
           "type " + secret->type + " is not a docker config (or its data key is empty): ignored",
           "CRED-10"});
      continue;
    }
    if (!repository.empty() && keyring->keyring.Lookup(repository).empty()) {
      skipped.push_back(
          {name,
           "no key matches " + repository + " (keys: " + JoinWords(keyring->keyring.Index()) + ")",
           "CRED-07"});
    }
  }
  return skipped;
}

// The node's docker config as the kubelet finds it now (CRED-02/03; CRED-16 caches it 5 minutes).
void ExplainNodeConfig(NodeAgent& agent, const std::string& repository,
                       ExplainedCredentials& explained) {
  const credentials::NodeDockerConfig& found = agent.kubelet().docker_config().Provide();
  for (const credentials::SkippedFile& skipped : found.skipped) {
    explained.node_files_skipped.push_back(skipped.path + ": " + skipped.reason.message);
  }
  if (!found.file_used) return;
  explained.node_config = *found.file_used;
  const credentials::Keyring keyring = agent.kubelet().docker_config().MakeKeyring();
  explained.node_keys = keyring.Index();
  explained.node_key_matches = !repository.empty() && !keyring.Lookup(repository).empty();
}

ExplainedCredentials ExplainCredentials(NodeAgent& agent, const cluster::Cluster& cluster,
                                        const PodState& pod, const ContainerStatus& status,
                                        const ExplainedImage& image,
                                        const std::vector<PullGroup>& groups) {
  ExplainedCredentials explained;
  const cluster::Pod* stored = cluster.FindPod(pod.namespace_name, pod.name);
  const bool live = stored != nullptr && stored->metadata.uid == pod.uid;
  if (live) explained.skipped = SkippedSecrets(cluster, *stored, image.repository);
  ExplainNodeConfig(agent, image.repository, explained);

  // KUB-14: a keyring that cannot be built fails the pull before any attempt.
  if (status.last_ensure && !status.last_ensure->ok() &&
      status.last_ensure->runtime_pulls.empty()) {
    for (const SkippedSecret& secret : explained.skipped) {
      if (secret.rule == "KUB-14") explained.lookup_error = status.last_ensure->error;
    }
  }

  if (!groups.empty()) {
    explained.pulled = true;
    const PullGroup& last = groups.back();
    if (status.offered.empty()) {
      explained.anonymous = true;
      explained.anonymous_outcome = ShortOutcome(*last.calls.front());
      explained.anonymous_error = last.calls.front()->error;
      return explained;
    }
    for (std::size_t i = 0; i < status.offered.size(); ++i) {
      ExplainedCredential credential = ExplainOffered(status.offered[i], image.repository);
      if (i < last.calls.size()) {
        credential.outcome = ShortOutcome(*last.calls[i]);
        credential.error = last.calls[i]->error;
      } else {
        credential.outcome = "not tried: an earlier credential was accepted";
      }
      explained.tried.push_back(std::move(credential));
    }
    return explained;
  }

  // No pull: what a pull would offer now, from the same keyring the kubelet would build.
  if (!image.error.empty()) {
    explained.note = "the image name does not parse: no credentials are looked up";
    return explained;
  }
  if (!live) {
    explained.note = "no pull was made and the pod is no longer stored";
    return explained;
  }
  const cluster::Container* spec = nullptr;
  for (const auto* list : {&stored->spec.init_containers, &stored->spec.containers,
                           &stored->spec.ephemeral_containers}) {
    for (const cluster::Container& container : *list) {
      if (container.name == status.name) spec = &container;
    }
  }
  if (spec == nullptr) {
    explained.note = "no pull was made";
    return explained;
  }
  credentials::PodPullSecrets secrets = cluster.GetPullSecretsForPod(*stored);
  auto keyring = std::make_shared<const node::Kubelet::PodKeyring>(node::Kubelet::PodKeyring{
      credentials::MakePodSecretKeyring(secrets.secrets), std::move(secrets.warning)});
  node::ContainerImageRequest request =
      agent.kubelet().RequestFor(*stored, *spec, status.list, keyring);
  Result<std::vector<node::PullCredential>> found = request.lookup_credentials();
  if (!found) {
    explained.lookup_error = found.error().message;
    return explained;
  }
  explained.anonymous = found->empty();
  if (explained.anonymous) explained.anonymous_outcome = "not tried: no pull was made";
  for (const node::PullCredential& offered : *found) {
    ExplainedCredential credential = ExplainOffered(offered, image.repository);
    credential.outcome = "not tried: no pull was made";
    explained.tried.push_back(std::move(credential));
  }
  return explained;
}

// ---- 5. exchanges ---------------------------------------------------------------------------

std::vector<ExplainedExchange> ExplainExchanges(const PullGroup* last) {
  std::vector<ExplainedExchange> out;
  if (last == nullptr) return out;
  for (const node::RuntimePull* call : last->calls) {
    for (const node::RegistryExchange& exchange : call->exchanges) {
      out.push_back({call->credential, exchange.method, exchange.url, exchange.status,
                     exchange.auth, exchange.challenge, exchange.scope, exchange.error});
    }
  }
  return out;
}

// ---- 6. platform ----------------------------------------------------------------------------

// The index a registry of the world serves for `tagged`, with its digest; nullopt when the
// reference does not name an index there.
struct ServedIndex {
  std::string digest;
  oci::Index index;
};
std::optional<ServedIndex> IndexServedFor(const Simulation& world, const std::string& tagged,
                                          const std::string& digest_hint) {
  Result<reference::Reference> parsed = reference::ParseDockerRef(tagged);
  if (!parsed) return std::nullopt;
  const registry::ContentStore* content = world.registries().ContentOf(parsed->domain);
  if (content == nullptr) return std::nullopt;
  const std::string in_repository =
      !digest_hint.empty() ? digest_hint : (parsed->digest.empty() ? parsed->tag : parsed->digest);
  std::shared_ptr<const registry::StoredManifest> stored =
      content->GetManifest(parsed->path, in_repository);
  if (stored == nullptr) return std::nullopt;
  if (stored->media_type != oci::media_type::kOciIndex &&
      stored->media_type != oci::media_type::kDockerManifestList) {
    return std::nullopt;
  }
  Result<oci::Index> index = oci::ParseIndex(stored->bytes.view(), stored->media_type);
  if (!index) return std::nullopt;
  return ServedIndex{stored->digest.str(), *std::move(index)};
}

ExplainedPlatform ExplainPlatform(const Simulation& world, NodeAgent& agent,
                                  const ContainerStatus& status, const ExplainedImage& image,
                                  const PullGroup* last) {
  ExplainedPlatform platform;
  node::Kubelet& kubelet = agent.kubelet();
  platform.node_platform = oci::FormatPlatform(kubelet.options().platform);
  for (const oci::Platform& accepted : kubelet.runtime().matcher().preferences()) {
    platform.acceptable.push_back(oci::FormatPlatform(accepted));
  }
  const node::RuntimePull* pulled = nullptr;
  const node::RuntimePull* failed_on_platform = nullptr;
  if (last != nullptr) {
    for (const node::RuntimePull* call : last->calls) {
      if (call->ok) pulled = call;
      if (!call->ok && call->error.find("no match for platform") != std::string::npos) {
        failed_on_platform = call;
      }
    }
  }
  std::string index_digest;
  if (pulled != nullptr) {
    index_digest = pulled->index_digest;
    platform.chosen = pulled->platform;
    platform.manifest_digest = pulled->manifest_digest;
  } else if (last == nullptr && !status.image_ref.empty()) {
    if (std::optional<ChosenManifest> chosen = agent.ChosenFor(status.image_ref)) {
      platform.chosen = chosen->platform;
      platform.manifest_digest = chosen->digest;
    }
  }
  if (!image.tagged.empty() && (pulled == nullptr || !index_digest.empty())) {
    if (std::optional<ServedIndex> served = IndexServedFor(world, image.tagged, index_digest)) {
      platform.index_digest = served->digest;
      for (const oci::Descriptor& entry : served->index.manifests) {
        platform.entries.push_back(
            (entry.platform ? oci::FormatPlatform(*entry.platform) : std::string("(no platform)")) +
            " " + entry.digest.str());
      }
    }
  }
  const std::string accepts = JoinWords(platform.acceptable);
  if (failed_on_platform != nullptr) {
    platform.rule = "ARCH-06";
    platform.summary = "no entry fits: the node accepts " + accepts +
                       "; the pull fails with \"no match for platform in manifest: not found\"";
  } else if (pulled != nullptr && !pulled->platform.empty()) {
    platform.rule = "ARCH-05";
    platform.summary = "chose " + pulled->platform + ", the best entry the node accepts (" +
                       accepts + "), earliest among equals";
  } else if (pulled != nullptr) {
    platform.rule = "ARCH-01";
    platform.summary = "the reference names a single manifest, not an index: no choice to make";
  } else if (last != nullptr) {
    platform.summary = "not reached: the pull failed before a manifest was chosen";
  } else if (!platform.manifest_digest.empty()) {
    platform.summary = "no pull: the node's copy came from this manifest" +
                       (platform.chosen.empty() ? std::string() : ", for " + platform.chosen);
  } else {
    platform.summary = "no pull: nothing was chosen";
  }
  return platform;
}

// ---- 7. outcome ---------------------------------------------------------------------------

ExplainedOutcome ExplainOutcome(const Simulation& world, const NodeAgent& agent,
                                const PodState& pod, const ContainerStatus& status) {
  ExplainedOutcome outcome;
  outcome.state = std::string(ContainerStateName(status.state));
  outcome.reason = status.reason;
  outcome.message = status.message;
  const std::string field_path = node::ContainerFieldPath(status.name, status.list);
  for (const node::Event& event : agent.EventsOf(pod)) {
    const bool on_pod = event.object.field_path.empty();
    if (!on_pod && event.object.field_path != field_path) continue;
    outcome.events.push_back(
        {event.time - world.start(), event.type, event.reason, event.message, on_pod ? "pod" : ""});
  }
  return outcome;
}

std::vector<EarlierPull> ExplainEarlierPulls(const Simulation& world,
                                             const std::vector<PullGroup>& groups) {
  std::vector<EarlierPull> earlier;
  for (std::size_t i = 0; i + 1 < groups.size(); ++i) {
    const PullGroup& group = groups[i];
    const node::RuntimePull& last_call = *group.calls.back();
    earlier.push_back({group.started - world.start(), static_cast<int>(group.calls.size()),
                       last_call.ok ? "pulled" : ShortOutcome(last_call)});
  }
  return earlier;
}

ContainerExplanation ExplainContainer(Simulation& world, NodeAgent& agent, const PodState& pod,
                                      const ContainerStatus& status) {
  ContainerExplanation explained;
  explained.name = status.name;
  explained.list = status.list;
  explained.image = ExplainImage(status.image);
  explained.policy = ExplainPolicy(world.cluster(), pod, status);
  explained.cache = ExplainCache(agent, status, explained.image);
  const node::ObjectReference requester{"Pod", pod.namespace_name, pod.name, pod.uid,
                                        node::ContainerFieldPath(status.name, status.list)};
  const std::vector<PullGroup> groups = PullsOf(agent.kubelet().runtime(), requester);
  const PullGroup* last = groups.empty() ? nullptr : &groups.back();
  explained.credentials =
      ExplainCredentials(agent, world.cluster(), pod, status, explained.image, groups);
  explained.exchanges = ExplainExchanges(last);
  if (last != nullptr) explained.last_pull_at = last->started - world.start();
  explained.earlier_pulls = ExplainEarlierPulls(world, groups);
  explained.platform = ExplainPlatform(world, agent, status, explained.image, last);
  explained.outcome = ExplainOutcome(world, agent, pod, status);
  const auto pulling = std::count_if(
      explained.outcome.events.begin(), explained.outcome.events.end(),
      [](const ExplainedEvent& event) { return event.reason == node::kReasonPulling; });
  explained.pulls_not_sent =
      std::max(0, static_cast<int>(pulling) - static_cast<int>(groups.size()));
  return explained;
}

}  // namespace

std::vector<std::string> PodsOf(const Simulation& world) {
  std::vector<std::string> pods;
  for (const std::unique_ptr<NodeAgent>& node : world.nodes()) {
    for (const PodState* pod : node->pods()) {
      std::string key = pod->namespace_name + "/" + pod->name;
      if (std::find(pods.begin(), pods.end(), key) == pods.end()) pods.push_back(std::move(key));
    }
  }
  return pods;
}

Result<PodExplanation> ExplainPod(Simulation& world, std::string_view namespace_name,
                                  std::string_view name,
                                  std::optional<std::string_view> container) {
  const std::string wanted = std::string(namespace_name) + "/" + std::string(name);
  Simulation::PodOnNode found = world.FindPod(namespace_name, name);
  if (found.pod == nullptr) {
    const std::vector<std::string> pods = PodsOf(world);
    std::vector<std::string_view> candidates(pods.begin(), pods.end());
    std::string message = "no node ran pod " + wanted;
    if (std::string_view close = internal::Suggest(wanted, candidates); !close.empty()) {
      message += "; did you mean " + std::string(close) + "?";
    }
    message += pods.empty() ? " (this scenario runs no pods)" : " (pods: " + JoinWords(pods) + ")";
    return Fail(ErrorCode::kNotFound, message);
  }
  NodeAgent* agent = world.FindNode(found.node->name());
  const PodState& pod = *found.pod;
  PodExplanation explanation;
  explanation.namespace_name = pod.namespace_name;
  explanation.name = pod.name;
  explanation.node = agent->name();
  explanation.at = world.elapsed();
  std::vector<std::string> names;
  for (const ContainerStatus& status : pod.containers) {
    names.push_back(status.name);
    if (container && status.name != *container) continue;
    explanation.containers.push_back(ExplainContainer(world, *agent, pod, status));
  }
  if (explanation.containers.empty()) {
    std::vector<std::string_view> candidates(names.begin(), names.end());
    std::string message =
        "pod " + wanted + " has no container " + std::string(container.value_or(""));
    if (std::string_view close = internal::Suggest(*container, candidates); !close.empty()) {
      message += "; did you mean " + std::string(close) + "?";
    }
    message += " (containers: " + JoinWords(names) + ")";
    return Fail(ErrorCode::kNotFound, message);
  }
  return explanation;
}

Result<PodExplanation> ExplainPod(const Scenario& scenario, std::string_view namespace_name,
                                  std::string_view name,
                                  std::optional<std::string_view> container) {
  KeptRun run = RunScenarioKeepingWorld(scenario);
  if (run.world == nullptr) {
    std::string message = "the scenario cannot be run";
    for (const Diagnostic& diagnostic : run.result.diagnostics) {
      message += "\n" + diagnostic.ToString();
    }
    if (!run.result.error.empty()) message += "\n" + run.result.error;
    return Fail(ErrorCode::kInvalidArgument, message, scenario.file.generic_string());
  }
  Result<PodExplanation> explained = ExplainPod(*run.world, namespace_name, name, container);
  if (explained) explained->scenario = scenario.file.generic_string();
  return explained;
}

}  // namespace pullsim::scenario
