#pragma once
// The simulated API server and its object store: objects are written through the API server's
// path (namespace lifecycle, defaulting, mutating admission, validation, validating admission,
// warnings) and read back by namespace and name, as the kubelet reads pods, secrets and service
// accounts (ADM-01..08, POL-01..05, CRED-15).

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "sim/cluster/admission.h"
#include "sim/cluster/objects.h"
#include "sim/cluster/service_account_admission.h"
#include "sim/core/result.h"
#include "sim/credentials/pull_secret.h"

namespace pullsim::cluster {

struct ClusterOptions {
  // AlwaysPullImages in the admission chain (ADM-01..04); off by default, as upstream.
  bool always_pull_images = false;
  // The ServiceAccount plugin's LimitSecretReferences option (ADM-06); off upstream.
  bool limit_secret_references = false;
  // Stand-in for kube-controller-manager's service-account controller: every namespace gets a
  // `default` ServiceAccount when it is created. Off: pods naming no account are refused until
  // one is applied (ADM-05).
  bool create_default_service_accounts = true;
  // The namespace kubectl fills in for a namespaced object that names none.
  std::string default_namespace = "default";
};

// kubectl's words for what a write did.
enum class ApplyAction { kCreated, kConfigured, kUnchanged };
[[nodiscard]] std::string_view ApplyActionName(ApplyAction action);  // "created", ...

struct ApplyOutcome {
  std::string kind;
  std::string namespace_name;
  std::string name;
  ApplyAction action = ApplyAction::kCreated;
  std::vector<Change> changes;        // defaulting and admission, in the order they happened
  std::vector<std::string> warnings;  // API warnings (ADM-08)
  // `pod/web created`, as kubectl prints it.
  [[nodiscard]] std::string Summary() const;
};

// The kubelet's view of a Secret (credentials::PullSecret): namespace, name, uid, type, decoded
// data, and the manifest position for messages.
[[nodiscard]] credentials::PullSecret ToPullSecret(const Secret& secret);

class Cluster final : public ServiceAccountLister {
 public:
  // Starts with the namespaces a new cluster has (default, kube-system, kube-public,
  // kube-node-lease), each with its `default` ServiceAccount unless the controller is off.
  explicit Cluster(ClusterOptions options = {});

  [[nodiscard]] const ClusterOptions& options() const { return options_; }
  // Enables or disables AlwaysPullImages for later writes (a plugin turned on in a live cluster).
  void set_always_pull_images(bool enabled) { options_.always_pull_images = enabled; }

  // `kubectl apply`: creates the object, or updates the stored one; for an update, fields the
  // manifest leaves out keep their stored values (the effect of apply's patch on fields set by
  // defaulting and admission: imagePullPolicy, serviceAccountName, imagePullSecrets, ...).
  // Errors are the API server's messages: kNotFound (`namespaces "x" not found`),
  // kPermissionDenied (`pods "web" is forbidden: ...`), kInvalidArgument (`Pod "web" is invalid:
  // ...`); `where` points at the object's manifest, or the offending field when known.
  [[nodiscard]] Result<ApplyOutcome> Apply(Object object);
  // POST: kFailedPrecondition (`pods "web" already exists`) when the object exists.
  [[nodiscard]] Result<ApplyOutcome> Create(Object object);
  // PUT, a full replace: omitted fields are omitted (and defaulted again); kNotFound when absent.
  [[nodiscard]] Result<ApplyOutcome> Replace(Object object);
  // The pods/ephemeralcontainers subresource (`kubectl debug`): adds `containers` to the pod's
  // ephemeral containers. AlwaysPullImages does not see subresources (ADM-02).
  [[nodiscard]] Result<ApplyOutcome> AddEphemeralContainers(std::string_view namespace_name,
                                                            std::string_view pod_name,
                                                            std::vector<Container> containers);
  // Deletes an object (a namespace with everything in it); kNotFound when absent.
  [[nodiscard]] Result<void> Delete(std::string_view kind, std::string_view namespace_name,
                                    std::string_view name);

  // Reads. Pointers stay valid until the next write to the cluster.
  [[nodiscard]] const Object* Find(std::string_view kind, std::string_view namespace_name,
                                   std::string_view name) const;
  [[nodiscard]] const Pod* FindPod(std::string_view namespace_name, std::string_view name) const;
  [[nodiscard]] const Secret* FindSecret(std::string_view namespace_name,
                                         std::string_view name) const;
  [[nodiscard]] const ServiceAccount* FindServiceAccount(std::string_view namespace_name,
                                                         std::string_view name) const override;
  [[nodiscard]] const Namespace* FindNamespace(std::string_view name) const;
  // A copy of the secret, or kNotFound `secrets "<name>" not found`.
  [[nodiscard]] Result<Secret> GetSecret(std::string_view namespace_name,
                                         std::string_view name) const;

  // Objects of `kind` in `namespace_name` ("" for every namespace), ordered by namespace and name.
  [[nodiscard]] std::vector<const Object*> List(std::string_view kind,
                                                std::string_view namespace_name = {}) const;
  [[nodiscard]] std::vector<const Pod*> ListPods(std::string_view namespace_name = {}) const;
  // Pods bound to `node_name` (spec.nodeName), every namespace.
  [[nodiscard]] std::vector<const Pod*> ListPodsOnNode(std::string_view node_name) const;

  // Every change defaulting and admission made to the object over all its accepted writes, in
  // order, so a report can say why a field holds its value ("imagePullPolicy Always, set by
  // AlwaysPullImages"). Empty for an unknown object. Deleting the object forgets its history.
  [[nodiscard]] std::vector<Change> HistoryOf(std::string_view kind,
                                              std::string_view namespace_name,
                                              std::string_view name) const;

  // How the kubelet gets a secret (credentials::SecretGetter): by namespace and name, kNotFound
  // `secrets "<name>" not found` otherwise. It reads this cluster, which must outlive it.
  [[nodiscard]] credentials::SecretGetter SecretGetter() const;
  // ADM-08 / CRED-14: getPullSecretsForPod for `pod`: references are names only and resolve in
  // the pod's own namespace; what is missing is named in the FailedToRetrieveImagePullSecret
  // warning (credentials::GetPullSecretsForPod).
  [[nodiscard]] credentials::PodPullSecrets GetPullSecretsForPod(const Pod& pod) const;

 private:
  enum class WriteMode { kApply, kCreate, kReplace };
  using Key = std::tuple<std::string, std::string, std::string>;  // kind, namespace, name

  Result<ApplyOutcome> Write(Object object, WriteMode mode);
  Result<ApplyOutcome> Admit(Object& object, const Object* existing, Operation operation,
                             std::string_view subresource);
  void Store(Object object);
  std::string GenerateName(std::string_view prefix);
  std::string NextUid();

  ClusterOptions options_;
  std::map<Key, Object, std::less<>> objects_;
  std::map<Key, std::vector<Change>, std::less<>> history_;
  uint64_t uid_counter_ = 0;
  uint64_t name_counter_ = 0;
};

}  // namespace pullsim::cluster
