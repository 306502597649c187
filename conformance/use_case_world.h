#pragma once
// Test-only: a small world for the use-case suites: fake registries by host (in-process
// transports by default), a Cluster fed real manifests, and nodes (node::Kubelet) on one
// virtual clock. Images come from the synthetic builder.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "sim/cluster/cluster.h"
#include "sim/cluster/manifest.h"
#include "sim/core/clock.h"
#include "sim/node/kubelet.h"
#include "sim/oci/image_builder.h"
#include "sim/registry/access.h"
#include "sim/registry/image_loader.h"
#include "sim/registry/in_process_transport.h"
#include "sim/registry/registry.h"

namespace pullsim::testing {

// Options of a registry whose users may pull everything `rules` grants them (pattern → who may
// pull: user names, "anonymous", "authenticated", "*").
inline registry::RegistryOptions PrivateRegistry(
    registry::AuthMode mode, std::vector<std::pair<std::string, std::string>> users,
    std::vector<std::pair<std::string, std::vector<std::string>>> rules) {
  registry::RegistryOptions options;
  options.auth.mode = mode;
  for (auto& [name, password] : users) {
    options.auth.users.push_back(registry::User{std::move(name), std::move(password), {}});
  }
  std::vector<registry::AccessRule> access;
  for (auto& [pattern, pull] : rules) {
    registry::AccessRule rule;
    rule.repositories = *registry::RepositoryGlob::Parse(pattern);
    rule.pull = std::move(pull);
    access.push_back(std::move(rule));
  }
  options.auth.policy = registry::AccessPolicy(std::move(access));
  return options;
}

// A docker config.json naming one registry's credentials.
inline std::string DockerConfig(std::string_view host, std::string_view user,
                                std::string_view password) {
  return std::string(R"({"auths":{")") + std::string(host) + R"(":{"username":")" +
         std::string(user) + R"(","password":")" + std::string(password) + R"("}}})";
}

// A kubernetes.io/dockerconfigjson Secret manifest.
inline std::string PullSecretManifest(std::string_view namespace_name, std::string_view name,
                                      std::string_view host, std::string_view user,
                                      std::string_view password) {
  return "apiVersion: v1\nkind: Secret\nmetadata: {name: " + std::string(name) +
         ", namespace: " + std::string(namespace_name) +
         "}\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '" +
         DockerConfig(host, user, password) + "'\n";
}

// A Pod manifest with one container (and the given pull secrets, policy).
inline std::string PodManifest(std::string_view namespace_name, std::string_view name,
                               std::string_view image, std::string_view policy = {},
                               std::vector<std::string> secrets = {}) {
  std::string text = "apiVersion: v1\nkind: Pod\nmetadata: {name: " + std::string(name) +
                     ", namespace: " + std::string(namespace_name) +
                     "}\nspec:\n  containers:\n  - name: app\n    image: " + std::string(image) +
                     "\n";
  if (!policy.empty()) text += "    imagePullPolicy: " + std::string(policy) + "\n";
  if (!secrets.empty()) {
    text += "  imagePullSecrets:\n";
    for (const std::string& secret : secrets) text += "  - name: " + secret + "\n";
  }
  return text;
}

inline oci::Platform Platform(std::string_view text) { return *oci::SplitPlatform(text); }

class World {
 public:
  explicit World(cluster::ClusterOptions options = {}) : cluster(std::move(options)) {}

  registry::Registry& AddRegistry(const std::string& host, registry::RegistryOptions options = {}) {
    auto& slot = registries_[host];
    slot = std::make_unique<registry::Registry>(clock, std::move(options));
    return *slot;
  }
  registry::Registry& Registry(const std::string& host) { return *registries_.at(host); }

  // Builds `spec` and stores it in the registry of `host` (under spec.repository).
  oci::BuiltImage Push(const std::string& host, const oci::ImageSpec& spec) {
    Result<oci::BuiltImage> image = builder.Build(spec);
    EXPECT_TRUE(image.has_value()) << (image ? "" : image.error().ToString());
    if (!image) return {};
    Result<void> loaded = registry::LoadBuiltImage(*registries_.at(host), *image);
    EXPECT_TRUE(loaded.has_value()) << (loaded ? "" : loaded.error().ToString());
    return *std::move(image);
  }

  // In-process transports to every registry, the node named as the client.
  node::RegistryTransports TransportsFor(const std::string& node_name) {
    node::RegistryTransports transports;
    for (auto& [host, registry] : registries_) {
      auto& transport = transports_.emplace_back(
          std::make_unique<registry::InProcessTransport>(*registry, node_name, host));
      transports[host] = transport.get();
    }
    return transports;
  }

  // A node reaching every registry in process; `files` are written to its file system.
  std::unique_ptr<node::Kubelet> AddNode(node::KubeletOptions options,
                                         std::map<std::string, std::string> files = {},
                                         node::RegistryTransports transports = {}) {
    if (transports.empty()) transports = TransportsFor(options.node_name);
    Result<std::unique_ptr<node::Kubelet>> kubelet =
        node::Kubelet::Create(std::move(options), cluster, std::move(transports), clock);
    EXPECT_TRUE(kubelet.has_value()) << (kubelet ? "" : kubelet.error().ToString());
    if (!kubelet) return nullptr;
    for (auto& [path, bytes] : files) {
      EXPECT_TRUE((*kubelet)->files().WriteAtomic(path, bytes, 0600).has_value());
    }
    return *std::move(kubelet);
  }

  // `kubectl apply -f` of every document; fails the test on an error.
  void Apply(std::string_view yaml) {
    Result<std::vector<cluster::Object>> objects = cluster::ParseManifests(yaml, "test.yaml");
    ASSERT_TRUE(objects.has_value()) << objects.error().ToString();
    for (cluster::Object& object : *objects) {
      Result<cluster::ApplyOutcome> applied = cluster.Apply(std::move(object));
      ASSERT_TRUE(applied.has_value()) << applied.error().ToString() << "\n" << yaml;
    }
  }

  const cluster::Pod& Pod(std::string_view namespace_name, std::string_view name) {
    const cluster::Pod* pod = cluster.FindPod(namespace_name, name);
    EXPECT_NE(pod, nullptr) << namespace_name << "/" << name;
    static const cluster::Pod kNone;
    return pod == nullptr ? kNone : *pod;
  }

  VirtualClock clock;
  cluster::Cluster cluster;
  oci::ImageBuilder builder;

 private:
  std::map<std::string, std::unique_ptr<registry::Registry>> registries_;
  std::vector<std::unique_ptr<registry::InProcessTransport>> transports_;
};

// The reasons of `events`, in order.
inline std::vector<std::string> Reasons(const std::vector<node::Event>& events) {
  std::vector<std::string> reasons;
  for (const node::Event& event : events) reasons.push_back(event.reason);
  return reasons;
}

}  // namespace pullsim::testing
