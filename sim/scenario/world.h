#pragma once
// The world of a scenario as written: registries and their images, cluster settings, nodes and
// Kubernetes objects (format: fixtures/README.md). Plain values; each part a person wrote keeps
// its SourceLocation.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/core/clock.h"
#include "sim/registry/registry_config.h"
#include "sim/scenario/source_location.h"

namespace pullsim::scenario {

// ---- registries -------------------------------------------------------------------------------

// A registry of the scenario: its host and a REGISTRY.yaml description (auth, users, access
// rules, images, rate limits, faults), in the registry module's own types, so the runner hands
// `config` to registry::Registry as it is and `pullsim serve --config` reads the same words.
struct Registry {
  std::string host;  // "registry.test", "registry.test:5000", "docker.io"
  // auth.service and auth.realm are the host; images[i].where names their file:line:col.
  registry::RegistryConfig config;
  SourceLocation location;
  // Set: a real registry at this base URL ("http://127.0.0.1:5000"), which nodes reach over
  // HTTP; `config` is then not used (`pullsim explain --registry URL`).
  std::string external_url;
  bool verify_tls = true;  // for an https external_url
};

// ---- cluster ----------------------------------------------------------------------------------

enum class AdmissionPlugin { kServiceAccount, kAlwaysPullImages };

// One registry entry of a CredentialProviderResponse `auth` map.
struct ProviderAuth {
  std::string registry;  // the key, a host glob with optional path ("*.registry.test")
  std::string username;
  std::string password;
  SourceLocation location;
};

// A kubelet credential-provider plugin (CredentialProviderConfig.providers[i], CRED-17) and the
// answer the simulated plugin gives: `auth` entries, or `error` when the plugin fails.
struct CredentialProvider {
  std::string name;
  std::vector<std::string> match_images;
  Duration default_cache_duration{0};
  std::string api_version;                 // "credentialprovider.kubelet.k8s.io/v1"
  std::string cache_key_type;              // response: "Image", "Registry" or "Global"
  std::optional<Duration> cache_duration;  // response; unset = default_cache_duration
  std::vector<ProviderAuth> auth;
  std::string error;  // non-empty: the plugin fails with this text
  SourceLocation location;
};

struct Cluster {
  std::string version = "1.35";  // Kubernetes minor version of API server and kubelets
  // Enabled plugins, in the API server's order (ServiceAccount before AlwaysPullImages).
  std::vector<AdmissionPlugin> admission_plugins = {AdmissionPlugin::kServiceAccount};
  bool limit_secret_references = false;       // ServiceAccount plugin option (ADM-06)
  std::map<std::string, bool> feature_gates;  // defaults for every node
  std::vector<CredentialProvider> credential_providers;
  SourceLocation location;
};

// ---- nodes ------------------------------------------------------------------------------------

// KubeletConfiguration fields (v1beta1 names); unset means upstream's default (KUB-11).
struct KubeletSettings {
  std::optional<bool> serialize_image_pulls;
  std::optional<std::int32_t> max_parallel_image_pulls;
  std::optional<std::int32_t> registry_pull_qps;
  std::optional<std::int32_t> registry_burst;
  std::optional<std::string> image_pull_credentials_verification_policy;  // KEP2535-02
  std::vector<std::string> preloaded_images_verification_allowlist;       // KEP2535-08
  std::map<std::string, bool> feature_gates;                              // over the cluster's
  std::string root_dir = "/var/lib/kubelet";                              // --root-dir
};

// A file on the node. `content` is the bytes: JSON text for files written as YAML, or the text
// as written.
struct NodeFile {
  std::string path;  // absolute
  std::string content;
  bool readable = true;  // false: the file exists but cannot be read
  SourceLocation location;
};

struct Node {
  std::string name;
  std::string platform;  // "linux/amd64", as written
  KubeletSettings kubelet;
  std::map<std::string, std::string> env;  // the kubelet's environment: HOME, ...
  std::string cwd = "/";                   // the kubelet's working directory
  std::vector<NodeFile> files;
  std::vector<Located<std::string>> images;  // pre-pulled references, as written
  SourceLocation location;
};

// ---- Kubernetes objects -----------------------------------------------------------------------

enum class ObjectKind { kNamespace, kSecret, kServiceAccount, kPod };

// A Kubernetes object as written (a real manifest, as `kubectl apply -f` takes it). `node` keeps
// yaml-cpp's marks, 0-based, relative to `location.file`; the cluster module reads the object
// itself. The loader checks only what it needs to cross-check the scenario.
struct Manifest {
  YAML::Node node;
  ObjectKind kind = ObjectKind::kPod;
  std::string api_version;     // "v1"
  std::string namespace_name;  // "default" when not written; "" for a Namespace
  std::string name;
  std::string node_name;  // Pods: spec.nodeName, or the scenario's only node when not written
  std::vector<std::string> containers;  // Pods: names of init, regular and ephemeral containers
  SourceLocation location;

  // "Pod default/web", "Namespace tenant-a"
  [[nodiscard]] std::string Describe() const;
};

}  // namespace pullsim::scenario
