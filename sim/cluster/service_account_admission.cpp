#include "sim/cluster/service_account_admission.h"

#include <set>
#include <string>

namespace pullsim::cluster {
namespace {

bool Ignores(const AdmissionRequest& request) {
  if (request.resource != "pods") return true;
  if (!request.subresource.empty() && request.subresource != "ephemeralcontainers") return true;
  return request.pod() == nullptr;
}

bool IsMirrorPod(const Pod& pod) {
  return pod.metadata.annotations.contains(std::string(kMirrorPodAnnotation));
}

// podutil.VisitPodSecretNames over what the simulator models: pull secrets (even an empty
// name), secret volumes, and secrets named by any container's environment.
bool ReferencesAnySecret(const Pod& pod) {
  if (!pod.spec.image_pull_secrets.empty() || !pod.spec.secret_volumes.empty()) return true;
  bool found = false;
  VisitContainers(pod.spec, "spec", [&](const Container& c, ContainerKind, const std::string&) {
    found = !c.env_secrets.empty();
    return !found;
  });
  return found;
}

// Go's strconv.ParseBool accepting true.
bool ParsesAsTrue(std::string_view text) {
  return text == "1" || text == "t" || text == "T" || text == "true" || text == "TRUE" ||
         text == "True";
}

std::string EnvMessage(std::string_view container_kind, const Container& container,
                       const EnvSecretReference& reference, std::string_view account) {
  std::string text = std::string(container_kind) + " " + container.name;
  // An envFrom reference has no variable name.
  text += reference.env_name.empty() ? " with envFrom" : " with envVar " + reference.env_name;
  return text + " referencing secret.secretName=\"" + reference.secret_name +
         "\" is not allowed because service account " + std::string(account) +
         " does not reference that secret";
}

// ADM-06 (limitSecretReferences): the first reference the account does not list, in upstream's
// order: secret volumes, init and regular containers' env and envFrom, then pull secrets.
std::string FirstUnlistedReference(const ServiceAccount& account, const Pod& pod) {
  const std::set<std::string, std::less<>> mountable(account.secrets.begin(),
                                                     account.secrets.end());
  const std::string& name = account.metadata.name;
  for (const SecretVolume& volume : pod.spec.secret_volumes) {
    if (volume.projected || mountable.contains(volume.secret_name)) continue;
    return "volume with secret.secretName=\"" + volume.secret_name +
           "\" is not allowed because service account " + name + " does not reference that secret";
  }
  const auto check = [&](const std::vector<Container>& containers, std::string_view kind) {
    for (const Container& container : containers) {
      for (const EnvSecretReference& reference : container.env_secrets) {
        if (!mountable.contains(reference.secret_name)) {
          return EnvMessage(kind, container, reference, name);
        }
      }
    }
    return std::string();
  };
  if (std::string message = check(pod.spec.init_containers, "init container"); !message.empty()) {
    return message;
  }
  if (std::string message = check(pod.spec.containers, "container"); !message.empty()) {
    return message;
  }
  std::set<std::string, std::less<>> pull_secrets;
  for (const LocalObjectReference& reference : account.image_pull_secrets) {
    pull_secrets.insert(reference.name);
  }
  for (size_t i = 0; i < pod.spec.image_pull_secrets.size(); ++i) {
    const std::string& secret = pod.spec.image_pull_secrets[i].name;
    if (!pull_secrets.contains(secret)) {
      return "imagePullSecrets[" + std::to_string(i) + "].name=\"" + secret +
             "\" is not allowed because service account " + name +
             " does not reference that imagePullSecret";
    }
  }
  return {};
}

}  // namespace

bool ServiceAccountAdmission::EnforcesMountableSecrets(const ServiceAccount& account) const {
  if (limit_secret_references_) return true;
  const auto it =
      account.metadata.annotations.find(std::string(kEnforceMountableSecretsAnnotation));
  return it != account.metadata.annotations.end() && ParsesAsTrue(it->second);
}

std::expected<const ServiceAccount*, ApiStatus> ServiceAccountAdmission::Lookup(
    const AdmissionRequest& request, const Pod& pod) const {
  // Upstream retries the lookup of "default" up to 10 times (~100-200 ms apart) because the
  // service-account controller may not have created it yet; the simulated controller creates it
  // with the namespace, so one lookup gives the same answer.
  const ServiceAccount* account =
      lister_->FindServiceAccount(request.namespace_name, pod.spec.service_account_name);
  if (account != nullptr) return account;
  return std::unexpected(ForbiddenFor(
      request, "error looking up service account " + request.namespace_name + "/" +
                   pod.spec.service_account_name + ": " +
                   NotFoundStatus("serviceaccount", pod.spec.service_account_name).message));
}

AdmissionResult ServiceAccountAdmission::Admit(AdmissionRequest& request,
                                               std::vector<Change>& changes) const {
  if (Ignores(request)) return {};
  // ADM-05: only CREATE mutates.
  if (request.operation != Operation::kCreate) return {};
  Pod& pod = *request.pod();
  // ADM-07: a mirror pod's spec is never changed, only checked.
  if (IsMirrorPod(pod)) return Validate(request);
  if (pod.spec.service_account_name.empty()) {
    pod.spec.service_account_name = std::string(kDefaultServiceAccountName);
    changes.push_back(
        {kServiceAccountPlugin, "spec.serviceAccountName", "", pod.spec.service_account_name});
  }
  auto account = Lookup(request, pod);
  if (!account) return std::unexpected(account.error());
  // ADM-05: the account's pull secrets, in order, only into a pod that lists none (no merge).
  if (pod.spec.image_pull_secrets.empty()) {
    for (const LocalObjectReference& reference : (*account)->image_pull_secrets) {
      changes.push_back(
          {kServiceAccountPlugin,
           "spec.imagePullSecrets[" + std::to_string(pod.spec.image_pull_secrets.size()) + "].name",
           "", reference.name});
      pod.spec.image_pull_secrets.push_back({reference.name});
    }
  }
  return Validate(request);
}

AdmissionResult ServiceAccountAdmission::Validate(const AdmissionRequest& request) const {
  if (Ignores(request)) return {};
  const Pod& pod = *request.pod();
  const std::string pod_key = request.namespace_name + "/" + pod.metadata.name;
  if (request.operation == Operation::kUpdate && request.subresource == "ephemeralcontainers") {
    if (pod.spec.service_account_name.empty()) {
      return std::unexpected(
          ForbiddenFor(request, "no service account specified for pod " + pod_key));
    }
    auto account = Lookup(request, pod);
    if (!account) return std::unexpected(account.error());
    if (!EnforcesMountableSecrets(**account)) return {};
    const std::set<std::string, std::less<>> mountable((*account)->secrets.begin(),
                                                       (*account)->secrets.end());
    for (const Container& container : pod.spec.ephemeral_containers) {
      for (const EnvSecretReference& reference : container.env_secrets) {
        if (!mountable.contains(reference.secret_name)) {
          return std::unexpected(ForbiddenFor(
              request,
              EnvMessage("ephemeral container", container, reference, (*account)->metadata.name)));
        }
      }
    }
    return {};
  }
  if (request.operation != Operation::kCreate) return {};
  if (IsMirrorPod(pod)) {
    // ADM-07
    if (!pod.spec.service_account_name.empty()) {
      return std::unexpected(
          ForbiddenFor(request, "a mirror pod may not reference service accounts"));
    }
    if (ReferencesAnySecret(pod)) {
      return std::unexpected(ForbiddenFor(request, "a mirror pod may not reference secrets"));
    }
    return {};
  }
  if (pod.spec.service_account_name.empty()) {
    return std::unexpected(
        ForbiddenFor(request, "no service account specified for pod " + pod_key));
  }
  auto account = Lookup(request, pod);
  if (!account) return std::unexpected(account.error());
  // ADM-06
  if (EnforcesMountableSecrets(**account)) {
    if (std::string message = FirstUnlistedReference(**account, pod); !message.empty()) {
      return std::unexpected(ForbiddenFor(request, message));
    }
  }
  return {};
}

}  // namespace pullsim::cluster
