#pragma once
// The Kubernetes objects the simulator keeps (core/v1 Namespace, Pod, Secret, ServiceAccount, and
// the pod template of workloads), as the API server holds them after decoding: only the fields
// that image handling reads are modelled; every other field is kept as canonical text so updates
// can still tell whether it changed (POL-05).

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/cluster/source_position.h"

namespace pullsim::cluster {

// metadata. Only what the simulator uses; other metadata keys are accepted and ignored.
// Members have default initializers so designated initializers may name only some of them.
struct ObjectMeta {
  std::string name{};
  std::string generate_name{};
  std::string namespace_name{};  // "" for cluster-scoped objects; defaulted to "default" on apply
  std::string uid{};
  std::map<std::string, std::string> labels{};
  std::map<std::string, std::string> annotations{};
  friend bool operator==(const ObjectMeta&, const ObjectMeta&) = default;
};

// LocalObjectReference: a name in the referring object's namespace (ADM-08).
struct LocalObjectReference {
  std::string name;
  friend bool operator==(const LocalObjectReference&, const LocalObjectReference&) = default;
};

// A reference from a container's environment to a secret (env[].valueFrom.secretKeyRef or
// envFrom[].secretRef); ADM-06 checks them against the service account's mountable secrets.
struct EnvSecretReference {
  std::string env_name;  // "" for envFrom
  std::string secret_name;
  friend bool operator==(const EnvSecretReference&, const EnvSecretReference&) = default;
};

enum class ContainerKind { kInit, kRegular, kEphemeral };

struct Container {
  std::string name{};
  std::string image{};
  // As stored: "" until defaulting (POL-01); any text until validation (POL-03).
  std::string image_pull_policy{};
  std::string target_container_name{};  // ephemeral containers only
  std::vector<EnvSecretReference> env_secrets{};
  // Fields not modelled above: name -> canonical text of the value.
  std::map<std::string, std::string> other_fields{};
  friend bool operator==(const Container&, const Container&) = default;
};

// A pod volume that names a secret (volumes[].secret or a projected secret source).
struct SecretVolume {
  std::string volume_name;
  std::string secret_name;
  bool projected = false;
  friend bool operator==(const SecretVolume&, const SecretVolume&) = default;
};

struct PodSpec {
  std::vector<Container> init_containers;
  std::vector<Container> containers;
  std::vector<Container> ephemeral_containers;
  std::vector<LocalObjectReference> image_pull_secrets;
  std::string service_account_name;
  std::string node_name;
  std::vector<SecretVolume> secret_volumes;
  std::map<std::string, std::string> other_fields;
  friend bool operator==(const PodSpec&, const PodSpec&) = default;
};

struct Pod {
  ObjectMeta metadata;
  PodSpec spec;
  SourceMap source;  // positions by field path; not part of equality
  friend bool operator==(const Pod& a, const Pod& b) {
    return a.metadata == b.metadata && a.spec == b.spec;
  }
};

// Secret types the simulator knows by name (CRED-10, CRED-15); any other text is kept as is.
inline constexpr std::string_view kSecretTypeOpaque = "Opaque";
inline constexpr std::string_view kSecretTypeDockerConfigJson = "kubernetes.io/dockerconfigjson";
inline constexpr std::string_view kSecretTypeDockercfg = "kubernetes.io/dockercfg";
inline constexpr std::string_view kDockerConfigJsonKey = ".dockerconfigjson";
inline constexpr std::string_view kDockercfgKey = ".dockercfg";

struct Secret {
  ObjectMeta metadata;
  std::string type;  // "" until defaulting sets Opaque
  // Decoded bytes by key; `stringData` is merged over `data` on decoding, as the API server does.
  std::map<std::string, std::string> data;
  std::optional<bool> immutable;
  SourceMap source;
  friend bool operator==(const Secret& a, const Secret& b) {
    return a.metadata == b.metadata && a.type == b.type && a.data == b.data &&
           a.immutable == b.immutable;
  }
};

struct ServiceAccount {
  ObjectMeta metadata;
  std::vector<std::string> secrets;  // secrets[].name: the mountable secrets (ADM-06)
  std::vector<LocalObjectReference> image_pull_secrets;
  std::optional<bool> automount_service_account_token;
  SourceMap source;
  friend bool operator==(const ServiceAccount& a, const ServiceAccount& b) {
    return a.metadata == b.metadata && a.secrets == b.secrets &&
           a.image_pull_secrets == b.image_pull_secrets &&
           a.automount_service_account_token == b.automount_service_account_token;
  }
};

struct Namespace {
  ObjectMeta metadata;
  SourceMap source;
  friend bool operator==(const Namespace& a, const Namespace& b) {
    return a.metadata == b.metadata;
  }
};

// A workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob,
// ReplicationController) or a PodTemplate: only its pod template is modelled (POL-02). No
// controller runs, so no pods are created from it.
struct Workload {
  std::string api_version;  // "apps/v1"
  std::string kind;         // "Deployment"
  ObjectMeta metadata;
  std::string template_path;  // "spec.template", "spec.jobTemplate.spec.template", "template"
  ObjectMeta template_metadata;
  PodSpec template_spec;
  std::map<std::string, std::string> other_fields;  // everything outside the template
  SourceMap source;
  friend bool operator==(const Workload& a, const Workload& b) {
    return a.api_version == b.api_version && a.kind == b.kind && a.metadata == b.metadata &&
           a.template_path == b.template_path && a.template_metadata == b.template_metadata &&
           a.template_spec == b.template_spec && a.other_fields == b.other_fields;
  }
};

// The workload kinds whose pod template the API server defaults (POL-02).
struct WorkloadKind {
  std::string_view kind;           // "Deployment"
  std::string_view api_version;    // "apps/v1"
  std::string_view resource;       // "deployments.apps"
  std::string_view template_path;  // "spec.template"
};
// The entry for `kind`, or nullptr when it is not a workload kind.
[[nodiscard]] const WorkloadKind* FindWorkloadKind(std::string_view kind);

using Object = std::variant<Namespace, Pod, Secret, ServiceAccount, Workload>;

// "Pod", "Secret", ..., or the workload's kind.
[[nodiscard]] std::string_view KindOf(const Object& object);
// "v1", or the workload's apiVersion.
[[nodiscard]] std::string_view ApiVersionOf(const Object& object);
// The group-qualified resource the API serves the object under: "pods", "deployments.apps".
[[nodiscard]] std::string ResourceOf(const Object& object);
// The kind as the API server names it in errors: "Pod", "Deployment.apps".
[[nodiscard]] std::string QualifiedKindOf(const Object& object);
[[nodiscard]] bool IsNamespaced(const Object& object);
[[nodiscard]] const ObjectMeta& MetaOf(const Object& object);
[[nodiscard]] ObjectMeta& MetaOf(Object& object);
[[nodiscard]] const SourceMap& SourceOf(const Object& object);
// "ns/name" or "name", for messages.
[[nodiscard]] std::string KeyOf(const Object& object);

// Calls `visit` for every container of `spec` with its kind and field path, in the API server's
// order (VisitContainersWithPath): init containers, regular containers, ephemeral containers.
// `spec_path` is "spec" for a pod, "spec.template.spec" for a Deployment. Stops when `visit`
// returns false.
using ContainerVisitor =
    std::function<bool(Container& container, ContainerKind kind, const std::string& path)>;
using ConstContainerVisitor =
    std::function<bool(const Container& container, ContainerKind kind, const std::string& path)>;
void VisitContainers(PodSpec& spec, std::string_view spec_path, const ContainerVisitor& visit);
void VisitContainers(const PodSpec& spec, std::string_view spec_path,
                     const ConstContainerVisitor& visit);

// The field path of a workload's pod spec: template_path + ".spec".
[[nodiscard]] std::string TemplateSpecPath(const Workload& workload);

}  // namespace pullsim::cluster
