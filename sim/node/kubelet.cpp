#include "sim/node/kubelet.h"

#include "sim/credentials/lookup.h"
#include "sim/node/pull_credentials.h"

namespace pullsim::node {

PullCredential ToPullCredential(const credentials::KeyedCredential& keyed) {
  PullCredential credential;
  credential.username = keyed.credential.username;
  credential.password = keyed.credential.password;
  credential.email = keyed.credential.email;
  const credentials::CredentialSource& source = keyed.credential.source;
  if (source.kind == credentials::CredentialSource::Kind::kSecret) {
    credential.secret =
        SecretCoordinates{source.secret_uid, source.secret_namespace, source.secret_name};
  }
  // KEP2535-05: the hash covers the auth config the keyring returns, which names no server.
  credential.credential_hash = CredentialHash(credential);
  credential.server_address = keyed.key;
  credential.source = source.ToString();
  return credential;
}

Result<std::string> Kubelet::CredentialFiles::ReadFile(std::string_view path) const {
  return files_.Read(path);
}

Result<std::unique_ptr<Kubelet>> Kubelet::Create(KubeletOptions options,
                                                 const cluster::Cluster& cluster,
                                                 RegistryTransports transports,
                                                 VirtualClock& clock) {
  const KubeletSettings& settings = options.settings;
  Result<CredentialVerificationPolicy> policy = CredentialVerificationPolicy::Create(
      settings.verification_policy, settings.preloaded_images_verification_allowlist,
      settings.version);
  if (!policy) return std::unexpected(policy.error());
  return std::unique_ptr<Kubelet>(
      new Kubelet(std::move(options), *std::move(policy), cluster, std::move(transports), clock));
}

Kubelet::Kubelet(KubeletOptions options, CredentialVerificationPolicy policy,
                 const cluster::Cluster& cluster, RegistryTransports transports,
                 VirtualClock& clock)
    : options_(std::move(options)),
      cluster_(cluster),
      clock_(clock),
      credential_files_(files_),
      docker_config_(credential_files_,
                     credentials::KubeletPaths{options_.settings.root_dir, options_.working_dir,
                                               options_.home_dir},
                     clock),
      runtime_(store_, options_.platform, std::move(transports), clock, options_.runtime),
      pull_manager_(files_, options_.settings.root_dir, std::move(policy), clock,
                    options_.settings.version),
      manager_(options_.settings, runtime_, clock, events_, &pull_manager_) {}

Kubelet::~Kubelet() = default;

std::shared_ptr<const Kubelet::PodKeyring> Kubelet::ReadPodKeyring(const cluster::Pod& pod) {
  credentials::PodPullSecrets secrets = cluster_.GetPullSecretsForPod(pod);
  const ObjectReference pod_ref{"Pod", pod.metadata.namespace_name, pod.metadata.name,
                                pod.metadata.uid, ""};
  RecordMissingPullSecrets(secrets.warning, pod_ref, events_, clock_.Now());
  return std::make_shared<const PodKeyring>(
      PodKeyring{credentials::MakePodSecretKeyring(secrets.secrets), std::move(secrets.warning)});
}

ContainerImageRequest Kubelet::RequestFor(const cluster::Pod& pod,
                                          const cluster::Container& container,
                                          std::string_view container_list,
                                          std::shared_ptr<const PodKeyring> pod_keyring) {
  ContainerImageRequest request;
  request.pod =
      ObjectReference{"Pod", pod.metadata.namespace_name, pod.metadata.name, pod.metadata.uid, ""};
  request.container_name = container.name;
  request.container_list = std::string(container_list);
  request.image = container.image;
  const std::optional<reference::PullPolicy> policy =
      reference::ParsePullPolicy(container.image_pull_policy);
  request.pull_policy = policy ? *policy : reference::DefaultPullPolicy(container.image);
  request.lookup_credentials = [this, pod_keyring = std::move(pod_keyring),
                                image = container.image]() -> Result<std::vector<PullCredential>> {
    if (!pod_keyring->keyring) return std::unexpected(pod_keyring->keyring.error());
    const credentials::Keyring node_keyring = docker_config_.MakeKeyring();
    Result<credentials::PullCredentials> found = credentials::LookupPullCredentials(
        image, &pod_keyring->keyring->keyring, &node_keyring, options_.plugins);
    if (!found) return std::unexpected(found.error());
    std::vector<PullCredential> credentials;
    credentials.reserve(found->credentials.size());
    for (const credentials::KeyedCredential& keyed : found->credentials) {
      credentials.push_back(ToPullCredential(keyed));
    }
    return credentials;
  };
  return request;
}

PodPulls Kubelet::EnsurePodImages(const cluster::Pod& pod) {
  PodPulls pulls;
  std::shared_ptr<const PodKeyring> keyring = ReadPodKeyring(pod);
  pulls.missing_secrets_warning = keyring->missing_secrets_warning;
  pulls.ok = true;

  // Returns false when the container's image could not be ensured.
  auto ensure = [&](const cluster::Container& container, std::string_view list) {
    ContainerImageRequest request = RequestFor(pod, container, list, keyring);
    ContainerPull& pull = pulls.containers.emplace_back();
    pull.container_name = container.name;
    pull.container_list = std::string(list);
    pull.image = container.image;
    pull.pull_policy = request.pull_policy;
    pull.result = manager_.EnsureImageExists(std::move(request), clock_);
    if (pull.result.ok()) return true;
    const ObjectReference container_ref{"Pod", pod.metadata.namespace_name, pod.metadata.name,
                                        pod.metadata.uid, ContainerFieldPath(container.name, list)};
    pull.waiting = RecordContainerStartFailure(pull.result, container_ref, events_, clock_.Now());
    pulls.ok = false;
    return false;
  };

  // The kubelet starts init containers one at a time; one that cannot start holds the rest.
  for (const cluster::Container& container : pod.spec.init_containers) {
    if (!ensure(container, "initContainers")) return pulls;
  }
  for (const cluster::Container& container : pod.spec.containers) ensure(container, "containers");
  return pulls;
}

}  // namespace pullsim::node
