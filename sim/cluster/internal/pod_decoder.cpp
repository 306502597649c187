#include "sim/cluster/internal/pod_decoder.h"

#include <string>

namespace pullsim::cluster::internal {
namespace {

// ObjectMeta field names (k8s.io/apimachinery meta/v1).
constexpr std::string_view kObjectMetaFields[] = {"name",
                                                  "generateName",
                                                  "namespace",
                                                  "selfLink",
                                                  "uid",
                                                  "resourceVersion",
                                                  "generation",
                                                  "creationTimestamp",
                                                  "deletionTimestamp",
                                                  "deletionGracePeriodSeconds",
                                                  "labels",
                                                  "annotations",
                                                  "ownerReferences",
                                                  "finalizers",
                                                  "managedFields"};

// core/v1 Container field names; an EphemeralContainer adds targetContainerName.
constexpr std::string_view kContainerFields[] = {"name",
                                                 "image",
                                                 "command",
                                                 "args",
                                                 "workingDir",
                                                 "ports",
                                                 "envFrom",
                                                 "env",
                                                 "resources",
                                                 "resizePolicy",
                                                 "restartPolicy",
                                                 "restartPolicyRules",
                                                 "volumeMounts",
                                                 "volumeDevices",
                                                 "livenessProbe",
                                                 "readinessProbe",
                                                 "startupProbe",
                                                 "lifecycle",
                                                 "terminationMessagePath",
                                                 "terminationMessagePolicy",
                                                 "imagePullPolicy",
                                                 "securityContext",
                                                 "stdin",
                                                 "stdinOnce",
                                                 "tty"};
constexpr std::string_view kEphemeralContainerFields[] = {"name",
                                                          "image",
                                                          "command",
                                                          "args",
                                                          "workingDir",
                                                          "ports",
                                                          "envFrom",
                                                          "env",
                                                          "resources",
                                                          "resizePolicy",
                                                          "restartPolicy",
                                                          "restartPolicyRules",
                                                          "volumeMounts",
                                                          "volumeDevices",
                                                          "livenessProbe",
                                                          "readinessProbe",
                                                          "startupProbe",
                                                          "lifecycle",
                                                          "terminationMessagePath",
                                                          "terminationMessagePolicy",
                                                          "imagePullPolicy",
                                                          "securityContext",
                                                          "stdin",
                                                          "stdinOnce",
                                                          "tty",
                                                          "targetContainerName"};

// core/v1 PodSpec field names.
constexpr std::string_view kPodSpecFields[] = {"volumes",
                                               "initContainers",
                                               "containers",
                                               "ephemeralContainers",
                                               "restartPolicy",
                                               "terminationGracePeriodSeconds",
                                               "activeDeadlineSeconds",
                                               "dnsPolicy",
                                               "nodeSelector",
                                               "serviceAccountName",
                                               "serviceAccount",
                                               "automountServiceAccountToken",
                                               "nodeName",
                                               "hostNetwork",
                                               "hostPID",
                                               "hostIPC",
                                               "shareProcessNamespace",
                                               "securityContext",
                                               "imagePullSecrets",
                                               "hostname",
                                               "subdomain",
                                               "affinity",
                                               "schedulerName",
                                               "tolerations",
                                               "hostAliases",
                                               "priorityClassName",
                                               "priority",
                                               "dnsConfig",
                                               "readinessGates",
                                               "runtimeClassName",
                                               "enableServiceLinks",
                                               "preemptionPolicy",
                                               "overhead",
                                               "topologySpreadConstraints",
                                               "setHostnameAsFQDN",
                                               "os",
                                               "hostUsers",
                                               "schedulingGates",
                                               "resourceClaims",
                                               "resources",
                                               "hostnameOverride"};

constexpr std::string_view kLocalObjectReferenceFields[] = {"name"};

// Type tests that are false for a missing key (yaml-cpp throws when asked the type of one).
bool IsMap(const YAML::Node& node) { return node.IsDefined() && node.IsMap(); }
bool IsSequence(const YAML::Node& node) { return node.IsDefined() && node.IsSequence(); }

// The name at `node`[key] when `node` is a mapping holding a string there, else "".
std::string LenientName(const YAML::Node& node, const char* key) {
  if (!IsMap(node)) return {};
  const YAML::Node value = node[key];
  return IsStringScalar(value) ? value.Scalar() : std::string();
}

// ADM-06 reads which secrets a container's environment names; the rest of env and envFrom is
// not interpreted (and kept as text).
std::vector<EnvSecretReference> EnvSecrets(const YAML::Node& env, const YAML::Node& env_from) {
  std::vector<EnvSecretReference> references;
  if (IsSequence(env)) {
    for (const YAML::Node& item : env) {
      if (!IsMap(item) || !IsMap(item["valueFrom"])) continue;
      const std::string secret = LenientName(item["valueFrom"]["secretKeyRef"], "name");
      if (!secret.empty()) references.push_back({LenientName(item, "name"), secret});
    }
  }
  if (IsSequence(env_from)) {
    for (const YAML::Node& item : env_from) {
      if (!IsMap(item)) continue;
      const std::string secret = LenientName(item["secretRef"], "name");
      if (!secret.empty()) references.push_back({"", secret});
    }
  }
  return references;
}

std::vector<SecretVolume> SecretVolumes(const YAML::Node& volumes) {
  std::vector<SecretVolume> found;
  if (!IsSequence(volumes)) return found;
  for (const YAML::Node& volume : volumes) {
    if (!IsMap(volume)) continue;
    const std::string name = LenientName(volume, "name");
    if (const std::string secret = LenientName(volume["secret"], "secretName"); !secret.empty()) {
      found.push_back({name, secret, false});
    }
    const YAML::Node projected = volume["projected"];
    if (!IsMap(projected) || !IsSequence(projected["sources"])) continue;
    for (const YAML::Node& source : projected["sources"]) {
      if (!IsMap(source)) continue;
      if (const std::string secret = LenientName(source["secret"], "name"); !secret.empty()) {
        found.push_back({name, secret, true});
      }
    }
  }
  return found;
}

Result<Container> DecodeContainer(const YamlReader& reader, const YAML::Node& node,
                                  const std::string& path, bool ephemeral) {
  auto fields = ephemeral ? reader.Fields(node, path, kEphemeralContainerFields)
                          : reader.Fields(node, path, kContainerFields);
  if (!fields) return std::unexpected(fields.error());
  Container container;
  YAML::Node env;
  YAML::Node env_from;
  for (const auto& [key, value] : *fields) {
    const std::string child = ChildPath(path, key);
    std::string* target = nullptr;
    if (key == "name") target = &container.name;
    if (key == "image") target = &container.image;
    if (key == "imagePullPolicy") target = &container.image_pull_policy;
    if (key == "targetContainerName") target = &container.target_container_name;
    if (target != nullptr) {
      auto text = reader.String(value, child);
      if (!text) return std::unexpected(text.error());
      *target = *std::move(text);
      continue;
    }
    if (key == "env") env = value;
    if (key == "envFrom") env_from = value;
    auto text = reader.Canonical(value, child);
    if (!text) return std::unexpected(text.error());
    container.other_fields[key] = *std::move(text);
  }
  container.env_secrets = EnvSecrets(env, env_from);
  return container;
}

Result<std::vector<Container>> DecodeContainers(const YamlReader& reader, const YAML::Node& node,
                                                const std::string& path, bool ephemeral) {
  auto items = reader.Items(node, path);
  if (!items) return std::unexpected(items.error());
  std::vector<Container> containers;
  for (size_t i = 0; i < items->size(); ++i) {
    auto container = DecodeContainer(reader, (*items)[i], IndexPath(path, i), ephemeral);
    if (!container) return std::unexpected(container.error());
    containers.push_back(*std::move(container));
  }
  return containers;
}

}  // namespace

Result<void> DecodeObjectMeta(const YamlReader& reader, const YAML::Node& node,
                              std::string_view path, ObjectMeta& meta) {
  auto fields = reader.Fields(node, path, kObjectMetaFields);
  if (!fields) return std::unexpected(fields.error());
  for (const auto& [key, value] : *fields) {
    const std::string child = ChildPath(path, key);
    if (key == "labels" || key == "annotations") {
      auto values = reader.StringMap(value, child);
      if (!values) return std::unexpected(values.error());
      (key == "labels" ? meta.labels : meta.annotations) = *std::move(values);
      continue;
    }
    std::string* target = nullptr;
    if (key == "name") target = &meta.name;
    if (key == "generateName") target = &meta.generate_name;
    if (key == "namespace") target = &meta.namespace_name;
    if (key == "uid") target = &meta.uid;
    if (target == nullptr) continue;  // server-managed metadata: accepted, not modelled
    auto text = reader.String(value, child);
    if (!text) return std::unexpected(text.error());
    *target = *std::move(text);
  }
  return {};
}

Result<std::vector<LocalObjectReference>> DecodeLocalReferences(const YamlReader& reader,
                                                                const YAML::Node& node,
                                                                std::string_view path) {
  auto items = reader.Items(node, path);
  if (!items) return std::unexpected(items.error());
  std::vector<LocalObjectReference> references;
  for (size_t i = 0; i < items->size(); ++i) {
    const std::string item_path = IndexPath(path, i);
    auto fields = reader.Fields((*items)[i], item_path, kLocalObjectReferenceFields);
    if (!fields) return std::unexpected(fields.error());
    LocalObjectReference reference;
    for (const auto& [key, value] : *fields) {
      auto text = reader.String(value, ChildPath(item_path, key));
      if (!text) return std::unexpected(text.error());
      reference.name = *std::move(text);
    }
    references.push_back(std::move(reference));
  }
  return references;
}

Result<void> DecodePodSpec(const YamlReader& reader, const YAML::Node& node, std::string_view path,
                           PodSpec& spec) {
  auto fields = reader.Fields(node, path, kPodSpecFields);
  if (!fields) return std::unexpected(fields.error());
  std::string deprecated_service_account;
  for (const auto& [key, value] : *fields) {
    const std::string child = ChildPath(path, key);
    if (key == "containers" || key == "initContainers" || key == "ephemeralContainers") {
      auto containers = DecodeContainers(reader, value, child, key == "ephemeralContainers");
      if (!containers) return std::unexpected(containers.error());
      (key == "containers"       ? spec.containers
       : key == "initContainers" ? spec.init_containers
                                 : spec.ephemeral_containers) = *std::move(containers);
    } else if (key == "imagePullSecrets") {
      auto references = DecodeLocalReferences(reader, value, child);
      if (!references) return std::unexpected(references.error());
      spec.image_pull_secrets = *std::move(references);
    } else if (key == "serviceAccountName" || key == "serviceAccount" || key == "nodeName") {
      auto text = reader.String(value, child);
      if (!text) return std::unexpected(text.error());
      (key == "serviceAccountName" ? spec.service_account_name
       : key == "serviceAccount"   ? deprecated_service_account
                                   : spec.node_name) = *std::move(text);
    } else {
      if (key == "volumes") spec.secret_volumes = SecretVolumes(value);
      auto text = reader.Canonical(value, child);
      if (!text) return std::unexpected(text.error());
      spec.other_fields[key] = *std::move(text);
    }
  }
  // v1 conversion: serviceAccount is a deprecated alias; serviceAccountName wins when both are
  // set.
  if (spec.service_account_name.empty()) spec.service_account_name = deprecated_service_account;
  return {};
}

}  // namespace pullsim::cluster::internal
