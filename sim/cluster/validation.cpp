#include "sim/cluster/validation.h"

#include <set>
#include <string>

#include "sim/cluster/internal/meta_validation.h"
#include "sim/cluster/internal/names.h"
#include "sim/cluster/internal/spec_diff.h"
#include "sim/core/unicode.h"

namespace pullsim::cluster {
namespace {

using internal::NameRule;

std::string Index(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

// validatePullPolicy (POL-03): "" only when defaulting was bypassed.
void ValidatePullPolicy(const std::string& policy, const std::string& path, ErrorList& errors) {
  if (policy == "Always" || policy == "IfNotPresent" || policy == "Never") return;
  if (policy.empty()) {
    errors.push_back(RequiredField(path));
  } else {
    errors.push_back(NotSupportedField(path, policy, {"Always", "IfNotPresent", "Never"}));
  }
}

// validateContainerCommon: name, image (POL-04: required; the grammar is the node's business),
// imagePullPolicy (POL-03).
void ValidateContainerCommon(const Container& container, const std::string& path,
                             ErrorList& errors) {
  if (container.name.empty()) {
    errors.push_back(RequiredField(path + ".name"));
  } else {
    for (std::string& message : internal::IsDNS1123Label(container.name)) {
      errors.push_back(InvalidField(path + ".name", container.name, std::move(message)));
    }
  }
  if (container.image.empty()) errors.push_back(RequiredField(path + ".image"));
  ValidatePullPolicy(container.image_pull_policy, path + ".imagePullPolicy", errors);
}

// validateContainerOnlyForPod (POL-04): pods only, templates accept the whitespace.
void ValidateContainerOnlyForPod(const Container& container, const std::string& path,
                                 ErrorList& errors) {
  if (container.image.size() != TrimSpace(container.image).size()) {
    errors.push_back(InvalidField(path + ".image", container.image,
                                  "must not have leading or trailing whitespace"));
  }
}

// Fields an ephemeral container may not set, in the API type's field order.
constexpr std::string_view kNotForEphemeral[] = {
    "ports",         "resources",      "resizePolicy", "restartPolicy", "restartPolicyRules",
    "livenessProbe", "readinessProbe", "startupProbe", "lifecycle"};

void ValidatePodSpec(const PodSpec& spec, const std::string& path, ErrorList& errors) {
  std::set<std::string, std::less<>> names;
  const std::string containers_path = path + ".containers";
  if (spec.containers.empty()) errors.push_back(RequiredField(containers_path));
  for (size_t i = 0; i < spec.containers.size(); ++i) {
    const Container& container = spec.containers[i];
    ValidateContainerCommon(container, Index(containers_path, i), errors);
    if (!names.insert(container.name).second) {
      errors.push_back(DuplicateField(Index(containers_path, i) + ".name", container.name));
    }
  }
  const std::string init_path = path + ".initContainers";
  for (size_t i = 0; i < spec.init_containers.size(); ++i) {
    const Container& container = spec.init_containers[i];
    ValidateContainerCommon(container, Index(init_path, i), errors);
    if (!names.insert(container.name).second) {
      errors.push_back(DuplicateField(Index(init_path, i) + ".name", container.name));
    }
  }
  const std::set<std::string, std::less<>> other_names = names;
  const std::string ephemeral_path = path + ".ephemeralContainers";
  for (size_t i = 0; i < spec.ephemeral_containers.size(); ++i) {
    const Container& container = spec.ephemeral_containers[i];
    const std::string item = Index(ephemeral_path, i);
    ValidateContainerCommon(container, item, errors);
    ValidateContainerOnlyForPod(container, item, errors);
    if (!names.insert(container.name).second) {
      errors.push_back(DuplicateField(item + ".name", container.name));
    }
    for (std::string_view field : kNotForEphemeral) {
      if (container.other_fields.contains(std::string(field))) {
        errors.push_back(ForbiddenField(item + "." + std::string(field),
                                        "cannot be set for an Ephemeral Container"));
      }
    }
    if (!container.target_container_name.empty() &&
        !other_names.contains(container.target_container_name)) {
      errors.push_back(
          NotFoundField(item + ".targetContainerName", container.target_container_name));
    }
  }
  if (!spec.service_account_name.empty()) {
    for (std::string& message : internal::IsDNS1123Subdomain(spec.service_account_name)) {
      errors.push_back(
          InvalidField(path + ".serviceAccountName", spec.service_account_name, message));
    }
  }
  if (!spec.node_name.empty()) {
    for (std::string& message : internal::IsDNS1123Subdomain(spec.node_name)) {
      errors.push_back(InvalidField(path + ".nodeName", spec.node_name, message));
    }
  }
}

// The fields ValidatePodUpdate lets change besides images; the simulator keeps them as text.
constexpr std::string_view kMutableOtherFields[] = {"activeDeadlineSeconds", "tolerations"};

constexpr std::string_view kUpdatableFields =
    "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
    "`spec.tolerations` (only additions to existing tolerations),"
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously "
    "negative)";

}  // namespace

ErrorList ValidatePod(const Pod& pod) {
  ErrorList errors;
  internal::ValidateObjectMeta(pod.metadata, true, NameRule::kDNSSubdomain, "metadata", errors);
  ValidatePodSpec(pod.spec, "spec", errors);
  return errors;
}

ErrorList ValidatePodCreate(const Pod& pod) {
  ErrorList errors = ValidatePod(pod);
  if (!pod.spec.ephemeral_containers.empty()) {
    errors.push_back(ForbiddenField("spec.ephemeralContainers", "cannot be set on create"));
  }
  for (size_t i = 0; i < pod.spec.containers.size(); ++i) {
    ValidateContainerOnlyForPod(pod.spec.containers[i], Index("spec.containers", i), errors);
  }
  for (size_t i = 0; i < pod.spec.init_containers.size(); ++i) {
    ValidateContainerOnlyForPod(pod.spec.init_containers[i], Index("spec.initContainers", i),
                                errors);
  }
  return errors;
}

ErrorList ValidatePodUpdate(const Pod& new_pod, const Pod& old_pod) {
  ErrorList errors;
  internal::ValidateObjectMetaUpdate(new_pod.metadata, old_pod.metadata, errors);
  for (FieldError& error : ValidatePod(new_pod)) errors.push_back(std::move(error));
  if (new_pod.spec.containers.size() != old_pod.spec.containers.size()) {
    errors.push_back(
        ForbiddenField("spec.containers", "pod updates may not add or remove containers"));
    return errors;
  }
  for (size_t i = 0; i < new_pod.spec.containers.size(); ++i) {
    const Container& container = new_pod.spec.containers[i];
    const std::string path = Index("spec.containers", i);
    if (container.image.empty()) errors.push_back(RequiredField(path + ".image"));
    ValidateContainerOnlyForPod(container, path, errors);
  }
  // POL-05: with the images (and the few other mutable fields) copied from the old pod, the spec
  // must be unchanged; imagePullPolicy, the service account and pull secrets are not mutable.
  PodSpec munged = new_pod.spec;
  for (size_t i = 0; i < munged.containers.size(); ++i) {
    munged.containers[i].image = old_pod.spec.containers[i].image;
  }
  for (size_t i = 0; i < munged.init_containers.size() && i < old_pod.spec.init_containers.size();
       ++i) {
    munged.init_containers[i].image = old_pod.spec.init_containers[i].image;
  }
  for (std::string_view field : kMutableOtherFields) {
    const std::string key(field);
    munged.other_fields.erase(key);
    if (auto it = old_pod.spec.other_fields.find(key); it != old_pod.spec.other_fields.end()) {
      munged.other_fields[key] = it->second;
    }
  }
  if (munged != old_pod.spec) {
    std::string detail = "pod updates may not change fields other than ";
    detail += kUpdatableFields;
    for (const std::string& line : internal::DescribeSpecChanges(old_pod.spec, munged, "spec")) {
      detail += "\n  " + line;
    }
    errors.push_back(ForbiddenField("spec", std::move(detail)));
  }
  return errors;
}

ErrorList ValidatePodEphemeralContainersUpdate(const Pod& new_pod, const Pod& old_pod) {
  ErrorList errors;
  internal::ValidateObjectMetaUpdate(new_pod.metadata, old_pod.metadata, errors);
  for (FieldError& error : ValidatePod(new_pod)) errors.push_back(std::move(error));
  if (old_pod.metadata.annotations.contains("kubernetes.io/config.mirror")) {
    return {ForbiddenField("", "static pods do not support ephemeral containers")};
  }
  for (const Container& old_container : old_pod.spec.ephemeral_containers) {
    const Container* current = nullptr;
    for (const Container& candidate : new_pod.spec.ephemeral_containers) {
      if (candidate.name == old_container.name) current = &candidate;
    }
    if (current == nullptr) {
      errors.push_back(ForbiddenField(
          "spec.ephemeralContainers",
          "existing ephemeral containers \"" + old_container.name + "\" may not be removed"));
    } else if (!(*current == old_container)) {
      errors.push_back(ForbiddenField(
          "spec.ephemeralContainers",
          "existing ephemeral containers \"" + old_container.name + "\" may not be changed"));
    }
  }
  return errors;
}

ErrorList ValidateWorkload(const Workload& workload) {
  ErrorList errors;
  internal::ValidateObjectMeta(workload.metadata, true, NameRule::kDNSSubdomain, "metadata",
                               errors);
  internal::ValidateLabelsAndAnnotations(workload.template_metadata,
                                         workload.template_path + ".metadata", errors);
  ValidatePodSpec(workload.template_spec, TemplateSpecPath(workload), errors);
  return errors;
}

ErrorList ValidateServiceAccount(const ServiceAccount& account) {
  ErrorList errors;
  internal::ValidateObjectMeta(account.metadata, true, NameRule::kDNSSubdomain, "metadata", errors);
  return errors;
}

ErrorList ValidateNamespace(const Namespace& ns) {
  ErrorList errors;
  internal::ValidateObjectMeta(ns.metadata, false, NameRule::kDNSLabel, "metadata", errors);
  return errors;
}

ErrorList ValidateObjectCreate(const Object& object) {
  struct {
    ErrorList operator()(const Namespace& o) const { return ValidateNamespace(o); }
    ErrorList operator()(const Pod& o) const { return ValidatePodCreate(o); }
    ErrorList operator()(const Secret& o) const { return ValidateSecret(o); }
    ErrorList operator()(const ServiceAccount& o) const { return ValidateServiceAccount(o); }
    ErrorList operator()(const Workload& o) const { return ValidateWorkload(o); }
  } visitor;
  return std::visit(visitor, object);
}

ErrorList ValidateObjectUpdate(const Object& new_object, const Object& old_object) {
  // Same alternative on both sides: the store keys objects by kind.
  ErrorList errors;
  if (const auto* pod = std::get_if<Pod>(&new_object)) {
    return ValidatePodUpdate(*pod, std::get<Pod>(old_object));
  }
  if (const auto* secret = std::get_if<Secret>(&new_object)) {
    return ValidateSecretUpdate(*secret, std::get<Secret>(old_object));
  }
  internal::ValidateObjectMetaUpdate(MetaOf(new_object), MetaOf(old_object), errors);
  for (FieldError& error : ValidateObjectCreate(new_object)) errors.push_back(std::move(error));
  return errors;
}

}  // namespace pullsim::cluster
