#include "sim/scenario/run_summary.h"

#include <algorithm>
#include <utility>

#include "sim/oci/index.h"
#include "sim/oci/media_type.h"
#include "sim/oci/platform.h"
#include "sim/scenario/names.h"

namespace pullsim::scenario {
namespace {

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string text;
  for (const std::string& part : parts) {
    if (!text.empty()) text += separator;
    text += part;
  }
  return text;
}

std::vector<ImageSummary> ImagesOf(const RegistryFleet& fleet, const std::string& host) {
  std::vector<ImageSummary> images;
  const registry::ContentStore* content = fleet.ContentOf(host);
  if (content == nullptr) return images;
  const registry::ContentStore& store = *content;
  for (const std::string& repository : store.Repositories()) {
    for (const std::string& tag : store.Tags(repository).value_or(std::vector<std::string>{})) {
      auto manifest = store.GetManifest(repository, tag);
      if (!manifest) continue;
      ImageSummary image;
      image.reference = repository + ":" + tag;
      image.digest = (*manifest).digest.str();
      const std::string& media_type = (*manifest).media_type;
      if (media_type == oci::media_type::kOciIndex ||
          media_type == oci::media_type::kDockerManifestList) {
        if (Result<oci::Index> index = oci::ParseIndex((*manifest).bytes.view(), media_type)) {
          for (const oci::Descriptor& entry : index->manifests) {
            if (entry.platform) image.platforms.push_back(oci::FormatPlatform(*entry.platform));
          }
        }
      }
      images.push_back(std::move(image));
    }
  }
  return images;
}

NodeSummary SummarizeNode(const Node& node, const Cluster& settings) {
  NodeSummary summary;
  summary.name = node.name;
  summary.platform = node.platform;
  const KubeletSettings& kubelet = node.kubelet;
  auto add = [&](std::string key, std::string value) {
    summary.kubelet.emplace_back(std::move(key), std::move(value));
  };
  if (kubelet.serialize_image_pulls) {
    add("serializeImagePulls", *kubelet.serialize_image_pulls ? "true" : "false");
  }
  if (kubelet.max_parallel_image_pulls) {
    add("maxParallelImagePulls", std::to_string(*kubelet.max_parallel_image_pulls));
  }
  if (kubelet.registry_pull_qps) add("registryPullQPS", std::to_string(*kubelet.registry_pull_qps));
  if (kubelet.registry_burst) add("registryBurst", std::to_string(*kubelet.registry_burst));
  if (kubelet.image_pull_credentials_verification_policy) {
    add("imagePullCredentialsVerificationPolicy",
        *kubelet.image_pull_credentials_verification_policy);
  }
  if (!kubelet.preloaded_images_verification_allowlist.empty()) {
    add("preloadedImagesVerificationAllowlist",
        Join(kubelet.preloaded_images_verification_allowlist, ", "));
  }
  std::map<std::string, bool> gates = settings.feature_gates;
  for (const auto& [gate, on] : kubelet.feature_gates) gates[gate] = on;
  for (const auto& [gate, on] : gates) add("featureGates." + gate, on ? "true" : "false");
  if (kubelet.root_dir != "/var/lib/kubelet") add("rootDir", kubelet.root_dir);
  for (const NodeFile& file : node.files) summary.files.push_back(file.path);
  for (const Located<std::string>& image : node.images) summary.images.push_back(image.value);
  return summary;
}

std::string PhaseEndLabel(const PhaseRecord& phase) { return phase.label; }

}  // namespace

WorldSummary SummarizeWorld(const Scenario& scenario, const Simulation& world,
                            std::vector<ObjectSummary> objects) {
  WorldSummary summary;
  summary.cluster_version = scenario.cluster.version;
  for (AdmissionPlugin plugin : scenario.cluster.admission_plugins) {
    summary.admission_plugins.emplace_back(NameIn(AdmissionPluginNames(), plugin));
  }
  for (const auto& [gate, on] : scenario.cluster.feature_gates) {
    summary.feature_gates.emplace_back(gate, on ? "true" : "false");
  }
  for (const Registry& described : scenario.registries) {
    RegistrySummary registry;
    registry.host = described.host;
    const registry::AuthMode mode = described.config.options.auth.mode;
    registry.auth =
        mode == registry::AuthMode::kNone ? "anonymous" : std::string(registry::AuthModeName(mode));
    for (const registry::User& user : described.config.options.auth.users) {
      registry.users.push_back(user.name);
    }
    registry.images = ImagesOf(world.registries(), described.host);
    summary.registries.push_back(std::move(registry));
  }
  for (const Node& node : scenario.nodes) {
    summary.nodes.push_back(SummarizeNode(node, scenario.cluster));
  }
  summary.objects = std::move(objects);
  return summary;
}

ObjectSummary SummarizeObject(const Manifest& manifest, const cluster::Cluster& cluster) {
  ObjectSummary summary;
  summary.kind = std::string(ObjectKindName(manifest.kind));
  summary.namespace_name = manifest.kind == ObjectKind::kNamespace ? "" : manifest.namespace_name;
  summary.name = manifest.name;
  switch (manifest.kind) {
    case ObjectKind::kNamespace:
      break;
    case ObjectKind::kSecret:
      if (const cluster::Secret* secret =
              cluster.FindSecret(manifest.namespace_name, manifest.name)) {
        summary.detail = "type " + secret->type;
      }
      break;
    case ObjectKind::kServiceAccount:
      if (const cluster::ServiceAccount* account =
              cluster.FindServiceAccount(manifest.namespace_name, manifest.name)) {
        std::vector<std::string> names;
        for (const cluster::LocalObjectReference& secret : account->image_pull_secrets) {
          names.push_back(secret.name);
        }
        if (!names.empty()) summary.detail = "imagePullSecrets: " + Join(names, ", ");
      }
      break;
    case ObjectKind::kPod:
      if (const cluster::Pod* pod = cluster.FindPod(manifest.namespace_name, manifest.name)) {
        std::vector<std::string> images;
        for (const auto* list : {&pod->spec.init_containers, &pod->spec.containers}) {
          for (const cluster::Container& container : *list) {
            images.push_back(container.image + " (" + container.image_pull_policy + ")");
          }
        }
        summary.detail = "node " + manifest.node_name + "; " + Join(images, ", ");
        if (!pod->spec.image_pull_secrets.empty()) {
          std::vector<std::string> names;
          for (const cluster::LocalObjectReference& secret : pod->spec.image_pull_secrets) {
            names.push_back(secret.name);
          }
          summary.detail += "; imagePullSecrets: " + Join(names, ", ");
        }
      }
      break;
  }
  return summary;
}

std::vector<PodResult> SummarizePods(const Simulation& world) {
  std::vector<PodResult> pods;
  const Timestamp start = world.start();
  const Timestamp now = world.now();
  for (const auto& agent : world.nodes()) {
    for (const PodState* pod : agent->pods()) {
      PodResult result;
      result.namespace_name = pod->namespace_name;
      result.name = pod->name;
      result.node = agent->name();
      for (const ContainerStatus& status : pod->containers) {
        ContainerResult container;
        container.name = status.name;
        container.image = status.image;
        container.pull_policy = status.pull_policy;
        container.state = std::string(ContainerStateName(status.state));
        container.reason = status.reason;
        container.message = status.message;
        if (!status.image_ref.empty()) {
          if (std::optional<ChosenManifest> chosen = agent->ChosenFor(status.image_ref)) {
            container.platform = chosen->platform;
            container.digest = chosen->digest;
          }
        }
        if (status.started_at) container.started_at = *status.started_at - start;
        container.credentials = status.attempts;
        result.containers.push_back(std::move(container));
      }
      for (const PhaseRecord& phase : pod->timeline) {
        result.timeline.push_back(TimelineInterval{phase.container, phase.kind, phase.start - start,
                                                   phase.end.value_or(now) - start,
                                                   PhaseEndLabel(phase)});
      }
      std::stable_sort(
          result.timeline.begin(), result.timeline.end(),
          [](const TimelineInterval& a, const TimelineInterval& b) { return a.start < b.start; });
      for (const node::Event& event : agent->EventsOf(*pod)) {
        result.events.push_back(EventRecord{event.time - start, event.type, event.reason,
                                            event.message, event.object.field_path});
      }
      pods.push_back(std::move(result));
    }
  }
  return pods;
}

void SummarizeRequests(const Simulation& world, std::size_t max, ScenarioResult& result) {
  const Timestamp start = world.start();
  std::vector<RegistryFleet::LoggedRequest> requests = world.registries().Requests();
  result.requests_omitted = world.registries().RequestsOmitted();
  for (RegistryFleet::LoggedRequest& logged : requests) {
    if (result.requests.size() >= max) {
      ++result.requests_omitted;
      continue;
    }
    const registry::RequestLogEntry& entry = logged.entry;
    result.requests.push_back(RequestRecord{entry.time - start, logged.host, entry.client,
                                            entry.identity.empty() ? "anonymous" : entry.identity,
                                            entry.method, entry.path, entry.status,
                                            entry.response_bytes});
  }
}

}  // namespace pullsim::scenario
