#pragma once
// A whole node wired for pulls, as tests and the scenario runner drive it: the node's platform
// (ARCH-07) and kubelet settings, its files (docker config search, CRED-02/03, cached CRED-16;
// KEP-2535 records), its image store, a RegistryRuntime over the registries it can reach, and
// the image manager (KUB-01..10, KEP2535-*).
//
// EnsurePodImages(pod) runs EnsureImageExists for each container of a Pod the way the kubelet
// starts them: init containers one by one, stopping at the first whose image fails, then every
// regular container. The keyring of each pull is the pod's secrets read from the Cluster (own
// namespace only; CRED-10, CRED-14) ∪ the node's docker config ∪ credential provider plugins
// (CRED-01, CRED-11), each credential tagged with where it came from.
// Runners that interleave many pods build requests with RequestFor() and use manager() directly.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/cluster/cluster.h"
#include "sim/cluster/objects.h"
#include "sim/core/clock.h"
#include "sim/credentials/keyring.h"
#include "sim/credentials/node_docker_config.h"
#include "sim/credentials/provider_plugin.h"
#include "sim/credentials/pull_secret.h"
#include "sim/credentials/search_path.h"
#include "sim/node/events.h"
#include "sim/node/image_manager.h"
#include "sim/node/image_store.h"
#include "sim/node/kubelet_config.h"
#include "sim/node/node_filesystem.h"
#include "sim/node/pull_manager.h"
#include "sim/node/registry_runtime.h"
#include "sim/oci/platform.h"

namespace pullsim::node {

struct KubeletOptions {
  std::string node_name = "node";
  oci::Platform platform = {"linux", "amd64", "", "", {}, {}};
  KubeletSettings settings;        // settings.root_dir is also the docker config "preferred path"
  std::string working_dir = "/";   // the kubelet process's, searched second (CRED-02)
  std::string home_dir = "/root";  // $HOME, searched third ("" = unset)
  RegistryRuntimeOptions runtime;
  credentials::CredentialProviderPlugins* plugins = nullptr;  // optional; must outlive the node
};

// One container's image, as EnsurePodImages leaves it.
struct ContainerPull {
  std::string container_name;
  std::string container_list;  // "initContainers", "containers"
  std::string image;
  reference::PullPolicy pull_policy = reference::PullPolicy::kIfNotPresent;
  EnsureImageResult result;
  std::optional<ContainerWaiting> waiting;  // set when the image could not be ensured
};

struct PodPulls {
  std::vector<ContainerPull> containers;  // in the order they were ensured
  // CRED-14: the FailedToRetrieveImagePullSecret text, when some secrets could not be read.
  std::optional<std::string> missing_secrets_warning;
  // Every container of the pod has its image (none skipped, none failed).
  bool ok = false;
};

class Kubelet {
 public:
  // `cluster`, the transports and `clock` must outlive the node. kInvalidArgument when the
  // settings' verification policy or allowlist is invalid.
  [[nodiscard]] static Result<std::unique_ptr<Kubelet>> Create(KubeletOptions options,
                                                               const cluster::Cluster& cluster,
                                                               RegistryTransports transports,
                                                               VirtualClock& clock);
  ~Kubelet();
  Kubelet(const Kubelet&) = delete;
  Kubelet& operator=(const Kubelet&) = delete;

  // Ensures every image of `pod` (init containers first), advancing the clock as pulls take
  // time; records events, and the Failed "Error: ..." event of each container that must wait.
  PodPulls EnsurePodImages(const cluster::Pod& pod);

  // The pod's side of the keyring, read once per pod sync: its imagePullSecrets from its own
  // namespace (CRED-14) made into one keyring (CRED-10; a decoding error fails every lookup).
  struct PodKeyring {
    Result<credentials::PodSecretKeyring> keyring;
    std::optional<std::string> missing_secrets_warning;
  };
  // Reads the pod's secrets and records CRED-14's warning event on the Pod when some are missing.
  [[nodiscard]] std::shared_ptr<const PodKeyring> ReadPodKeyring(const cluster::Pod& pod);

  // The image manager's request for one container of `pod`: policy as stored (defaulted as
  // POL-01 when empty), keyring = `pod_keyring` ∪ node docker config ∪ plugins, looked up when
  // the pull asks for it.
  [[nodiscard]] ContainerImageRequest RequestFor(const cluster::Pod& pod,
                                                 const cluster::Container& container,
                                                 std::string_view container_list,
                                                 std::shared_ptr<const PodKeyring> pod_keyring);

  [[nodiscard]] const KubeletOptions& options() const { return options_; }
  [[nodiscard]] NodeFileSystem& files() { return files_; }
  [[nodiscard]] ImageStore& store() { return store_; }
  [[nodiscard]] RegistryRuntime& runtime() { return runtime_; }
  [[nodiscard]] EventRecorder& events() { return events_; }
  [[nodiscard]] PullManager& pull_manager() { return pull_manager_; }
  [[nodiscard]] ImageManager& manager() { return manager_; }
  [[nodiscard]] credentials::NodeDockerConfigProvider& docker_config() { return docker_config_; }

 private:
  // The node's files as sim/credentials reads them.
  class CredentialFiles final : public credentials::NodeFileSystem {
   public:
    explicit CredentialFiles(const node::NodeFileSystem& files) : files_(files) {}
    [[nodiscard]] Result<std::string> ReadFile(std::string_view path) const override;

   private:
    const node::NodeFileSystem& files_;
  };

  Kubelet(KubeletOptions options, CredentialVerificationPolicy policy,
          const cluster::Cluster& cluster, RegistryTransports transports, VirtualClock& clock);

  KubeletOptions options_;
  const cluster::Cluster& cluster_;
  VirtualClock& clock_;
  node::NodeFileSystem files_;
  CredentialFiles credential_files_;
  credentials::NodeDockerConfigProvider docker_config_;
  ImageStore store_;
  RegistryRuntime runtime_;
  EventRecorder events_;
  PullManager pull_manager_;
  ImageManager manager_;
};

// A keyring entry as the image manager takes it: the auth fields, the secret's coordinates
// (KEP2535-04), the KEP2535-05 hash of the auth config, and `source` ("secret NS/NAME",
// "node PATH", "plugin NAME").
[[nodiscard]] PullCredential ToPullCredential(const credentials::KeyedCredential& keyed);

}  // namespace pullsim::node
