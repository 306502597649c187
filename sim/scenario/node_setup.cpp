// Building a node of the scenario (kubelet settings, credential-provider plugins, files,
// pre-pulled images) and the steps that change it (removeImage, editFile).
#include <utility>

#include "sim/node/kubelet_config.h"
#include "sim/oci/platform.h"
#include "sim/scenario/node_agent.h"
#include "sim/scenario/node_images.h"

namespace pullsim::scenario {
namespace {

constexpr std::string_view kEnsureSecretPulledImages = "KubeletEnsureSecretPulledImages";

}  // namespace

Result<std::unique_ptr<NodeAgent>> NodeAgent::Create(const Node& node, const Cluster& settings,
                                                     const cluster::Cluster& cluster,
                                                     RegistryFleet& fleet, VirtualClock& clock,
                                                     VirtualClock& wire_clock, std::uint64_t seed) {
  const std::string where = node.location.ToString();
  auto fail = [&](const Error& error) -> Result<std::unique_ptr<NodeAgent>> {
    return std::unexpected(Error{error.code, "node " + node.name + ": " + error.message, where});
  };
  std::unique_ptr<NodeAgent> agent(new NodeAgent(node.name, cluster, clock, seed));

  // KUB-11 / KEP2535-01/02: the kubelet's configuration, defaulted and validated as upstream.
  Result<node::KubeletVersion> version = node::KubeletVersion::Parse(settings.version);
  if (!version) return fail(version.error());
  node::KubeletConfig config;
  config.root_dir = node.kubelet.root_dir;
  config.serialize_image_pulls = node.kubelet.serialize_image_pulls;
  config.max_parallel_image_pulls = node.kubelet.max_parallel_image_pulls;
  config.registry_pull_qps = node.kubelet.registry_pull_qps;
  config.registry_burst = node.kubelet.registry_burst;
  config.image_pull_credentials_verification_policy =
      node.kubelet.image_pull_credentials_verification_policy;
  config.preloaded_images_verification_allowlist =
      node.kubelet.preloaded_images_verification_allowlist;
  std::optional<bool> gate;
  if (auto it = settings.feature_gates.find(std::string(kEnsureSecretPulledImages));
      it != settings.feature_gates.end()) {
    gate = it->second;
  }
  if (auto it = node.kubelet.feature_gates.find(std::string(kEnsureSecretPulledImages));
      it != node.kubelet.feature_gates.end()) {
    gate = it->second;
  }
  Result<node::KubeletSettings> resolved = node::ResolveKubeletSettings(config, *version, gate);
  if (!resolved) return fail(resolved.error());

  node::KubeletOptions options;
  options.node_name = node.name;
  Result<oci::Platform> platform = oci::SplitPlatform(node.platform);
  if (!platform) return fail(platform.error());
  options.platform = *platform;
  options.settings = *std::move(resolved);
  options.working_dir = node.cwd;
  auto home = node.env.find("HOME");
  options.home_dir = home == node.env.end() ? "" : home->second;
  options.runtime.wire_clock = &wire_clock;

  // CRED-17: each kubelet runs its own plugins, with its own cache.
  if (!settings.credential_providers.empty()) {
    agent->plugins_ = std::make_unique<credentials::CredentialProviderPlugins>();
    for (const CredentialProvider& provider : settings.credential_providers) {
      credentials::CredentialProviderSpec spec;
      spec.name = provider.name;
      spec.match_images = provider.match_images;
      spec.default_cache_duration = provider.default_cache_duration;
      spec.api_version = provider.api_version;
      credentials::CredentialProviderResponse response;
      if (provider.cache_key_type == "Registry") {
        response.cache_key_type = credentials::CredentialProviderResponse::CacheKeyType::kRegistry;
      } else if (provider.cache_key_type == "Global") {
        response.cache_key_type = credentials::CredentialProviderResponse::CacheKeyType::kGlobal;
      }
      response.cache_duration = provider.cache_duration;
      for (const ProviderAuth& auth : provider.auth) {
        response.auth.Set(auth.registry,
                          credentials::DockerConfigEntry{auth.username, auth.password, ""});
      }
      const std::string error = provider.error;
      credentials::CredentialProviderFunction function =
          [response, error](std::string_view) -> Result<credentials::CredentialProviderResponse> {
        if (!error.empty()) return Fail(ErrorCode::kUnavailable, error);
        return response;
      };
      agent->plugins_->Register(std::make_unique<credentials::CredentialProviderPlugin>(
          std::move(spec), std::move(function), clock));
    }
    options.plugins = agent->plugins_.get();
  }

  Result<node::RegistryTransports> transports = fleet.TransportsFor(node.name);
  if (!transports) return fail(transports.error());
  Result<std::unique_ptr<node::Kubelet>> kubelet =
      node::Kubelet::Create(std::move(options), cluster, *std::move(transports), clock);
  if (!kubelet) return fail(kubelet.error());
  agent->kubelet_ = *std::move(kubelet);

  for (const NodeFile& file : node.files) {
    if (Result<void> written = agent->kubelet_->files().WriteAtomic(file.path, file.content, 0600);
        !written) {
      return std::unexpected(Error{written.error().code,
                                   "node " + node.name + ": " + written.error().message,
                                   file.location.ToString()});
    }
    if (!file.readable) agent->unreadable_.insert(file.path);
  }
  agent->ApplyReadFaults();

  oci::ImageBuilder builder;
  for (const Located<std::string>& image : node.images) {
    Result<PreloadedImage> preloaded = PreloadImage(*agent->kubelet_, fleet, builder, image.value);
    if (!preloaded) {
      return std::unexpected(Error{preloaded.error().code,
                                   "node " + node.name + ": pre-pulled image \"" + image.value +
                                       "\": " + preloaded.error().message,
                                   image.location.ToString()});
    }
    agent->preloaded_[preloaded->image_id] = preloaded->manifest;
  }
  return agent;
}

void NodeAgent::ApplyReadFaults() {
  node::NodeFileSystem& files = kubelet_->files();
  files.ClearFaults();
  for (const std::string& path : unreadable_) {
    files.FailReads(path, "open " + path + ": permission denied");
  }
}

// ---- steps ------------------------------------------------------------------------------------

Result<void> NodeAgent::RemoveImage(std::string_view reference) {
  node::ImageStore& store = kubelet_->store();
  const node::StoredImage* image = store.Resolve(reference);
  if (image == nullptr) {
    return Fail(ErrorCode::kNotFound,
                "node " + name_ + " has no image \"" + std::string(reference) + "\"");
  }
  const std::string id = image->id;
  return store.RemoveImage(id);
}

Result<void> NodeAgent::EditFile(const EditFileStep& step) {
  node::NodeFileSystem& files = kubelet_->files();
  if (!step.content) {
    unreadable_.erase(step.path);
    ApplyReadFaults();
    return files.Remove(step.path);
  }
  if (step.readable) {
    unreadable_.erase(step.path);
  } else {
    unreadable_.insert(step.path);
  }
  ApplyReadFaults();
  return files.WriteAtomic(step.path, *step.content, 0600);
}

}  // namespace pullsim::scenario
