#include "sim/cluster/cluster.h"

#include <array>

#include "sim/cluster/always_pull_images.h"
#include "sim/cluster/defaults.h"
#include "sim/cluster/internal/apply_merge.h"
#include "sim/cluster/validation.h"
#include "sim/cluster/warnings.h"

namespace pullsim::cluster {
namespace {

constexpr std::array<std::string_view, 4> kInitialNamespaces = {"default", "kube-system",
                                                                "kube-public", "kube-node-lease"};

std::string WhereOf(const Object& object, std::string_view path = {}) {
  return SourceOf(object).Find(path).ToString();
}

// Lower-case kind for kubectl's summary: "pod/web".
std::string LowerKind(std::string_view kind) {
  std::string text(kind);
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

// The resource name of a kind, for messages: "Pod" -> "pods", "Deployment" -> "deployments.apps".
std::string ResourceForKind(std::string_view kind) {
  if (const WorkloadKind* workload = FindWorkloadKind(kind)) return std::string(workload->resource);
  return LowerKind(kind) + "s";
}

}  // namespace

std::string_view ApplyActionName(ApplyAction action) {
  switch (action) {
    case ApplyAction::kCreated:
      return "created";
    case ApplyAction::kConfigured:
      return "configured";
    case ApplyAction::kUnchanged:
      return "unchanged";
  }
  return "unchanged";  // unreachable: every enumerator is handled above
}

std::string ApplyOutcome::Summary() const {
  return LowerKind(kind) + "/" + name + " " + std::string(ApplyActionName(action));
}

Cluster::Cluster(ClusterOptions options) : options_(std::move(options)) {
  for (std::string_view name : kInitialNamespaces) {
    Namespace ns;
    ns.metadata.name = std::string(name);
    ns.metadata.uid = NextUid();
    Store(Object(std::move(ns)));
  }
}

std::string Cluster::NextUid() {
  // Deterministic, UUID-shaped (STYLE.md: same scenario, same result).
  std::string digits = std::to_string(++uid_counter_);
  digits.insert(0, 12 - std::min<size_t>(12, digits.size()), '0');
  return "00000000-0000-4000-8000-" + digits;
}

std::string Cluster::GenerateName(std::string_view prefix) {
  // names.SimpleNameGenerator: five characters from this alphabet; deterministic here.
  static constexpr std::string_view kAlphabet = "bcdfghjklmnpqrstvwxz2456789";
  uint64_t state = ++name_counter_ * 0x9E3779B97F4A7C15ULL;
  std::string name(prefix);
  for (int i = 0; i < 5; ++i) {
    state ^= state >> 29;
    state *= 0xBF58476D1CE4E5B9ULL;
    name += kAlphabet[state % kAlphabet.size()];
  }
  return name;
}

void Cluster::Store(Object object) {
  const ObjectMeta& meta = MetaOf(object);
  Key key{std::string(KindOf(object)), meta.namespace_name, meta.name};
  const bool new_namespace = std::holds_alternative<Namespace>(object) && !objects_.contains(key);
  const std::string name = meta.name;
  objects_.insert_or_assign(std::move(key), std::move(object));
  if (new_namespace && options_.create_default_service_accounts) {
    ServiceAccount account;
    account.metadata.name = std::string(kDefaultServiceAccountName);
    account.metadata.namespace_name = name;
    account.metadata.uid = NextUid();
    Store(Object(std::move(account)));
  }
}

Result<ApplyOutcome> Cluster::Apply(Object object) {
  return Write(std::move(object), WriteMode::kApply);
}

Result<ApplyOutcome> Cluster::Create(Object object) {
  return Write(std::move(object), WriteMode::kCreate);
}

Result<ApplyOutcome> Cluster::Replace(Object object) {
  return Write(std::move(object), WriteMode::kReplace);
}

Result<ApplyOutcome> Cluster::Write(Object object, WriteMode mode) {
  ObjectMeta& meta = MetaOf(object);
  if (IsNamespaced(object) && meta.namespace_name.empty()) {
    meta.namespace_name = options_.default_namespace;
  }
  const std::string where = WhereOf(object);
  const std::string resource = ResourceOf(object);
  if (meta.name.empty() && (mode != WriteMode::kCreate || meta.generate_name.empty())) {
    return std::unexpected(
        Error{ErrorCode::kInvalidArgument, "resource name may not be empty", where});
  }
  const Object* existing =
      meta.name.empty() ? nullptr : Find(KindOf(object), meta.namespace_name, meta.name);
  if (mode == WriteMode::kCreate && existing != nullptr) {
    return std::unexpected(ToError(AlreadyExistsStatus(resource, meta.name), where));
  }
  if (mode == WriteMode::kReplace && existing == nullptr) {
    return std::unexpected(ToError(NotFoundStatus(resource, meta.name), where));
  }
  const Operation operation = existing != nullptr ? Operation::kUpdate : Operation::kCreate;
  if (mode == WriteMode::kApply && existing != nullptr) internal::MergeForApply(object, *existing);
  // NamespaceLifecycle: nothing is created in a namespace that does not exist.
  if (IsNamespaced(object) && FindNamespace(meta.namespace_name) == nullptr) {
    return std::unexpected(ToError(NotFoundStatus("namespaces", meta.namespace_name), where));
  }
  return Admit(object, existing, operation, "");
}

Result<ApplyOutcome> Cluster::Admit(Object& object, const Object* existing, Operation operation,
                                    std::string_view subresource) {
  const std::string where = WhereOf(object);
  ApplyOutcome outcome;
  // Decoding already happened; the API server defaults before admission (POL-01, POL-02).
  outcome.changes = DefaultObject(object);

  // Mutating admission, in the API server's plugin order: ServiceAccount, then AlwaysPullImages.
  const ServiceAccountAdmission service_accounts(*this, options_.limit_secret_references);
  const AlwaysPullImages always_pull;
  std::vector<const AdmissionPlugin*> plugins = {&service_accounts};
  if (options_.always_pull_images) plugins.push_back(&always_pull);
  AdmissionRequest request = MakeRequest(operation, object, existing, std::string(subresource));
  for (const AdmissionPlugin* plugin : plugins) {
    if (auto admitted = plugin->Admit(request, outcome.changes); !admitted) {
      return std::unexpected(ToError(admitted.error(), where));
    }
  }

  ObjectMeta& meta = MetaOf(object);
  if (operation == Operation::kCreate) {
    if (meta.name.empty()) meta.name = GenerateName(meta.generate_name);
    if (meta.uid.empty()) meta.uid = NextUid();
  } else if (meta.uid.empty()) {
    meta.uid = MetaOf(*existing).uid;
  }

  ErrorList errors;
  if (subresource == "ephemeralcontainers") {
    errors = ValidatePodEphemeralContainersUpdate(std::get<Pod>(object), std::get<Pod>(*existing));
  } else if (operation == Operation::kCreate) {
    errors = ValidateObjectCreate(object);
  } else {
    errors = ValidateObjectUpdate(object, *existing);
  }
  if (!errors.empty()) {
    return std::unexpected(ToError(InvalidStatus(QualifiedKindOf(object), meta.name, errors),
                                   WhereOf(object, errors.front().path)));
  }

  for (const AdmissionPlugin* plugin : plugins) {
    if (auto validated = plugin->Validate(request); !validated) {
      return std::unexpected(ToError(validated.error(), where));
    }
  }

  outcome.kind = std::string(KindOf(object));
  outcome.namespace_name = meta.namespace_name;
  outcome.name = meta.name;
  outcome.warnings = WarningsFor(object);
  outcome.action = existing == nullptr   ? ApplyAction::kCreated
                   : object == *existing ? ApplyAction::kUnchanged
                                         : ApplyAction::kConfigured;
  std::vector<Change>& history = history_[Key{outcome.kind, outcome.namespace_name, outcome.name}];
  history.insert(history.end(), outcome.changes.begin(), outcome.changes.end());
  Store(std::move(object));
  return outcome;
}

Result<ApplyOutcome> Cluster::AddEphemeralContainers(std::string_view namespace_name,
                                                     std::string_view pod_name,
                                                     std::vector<Container> containers) {
  const Object* existing = Find("Pod", namespace_name, pod_name);
  if (existing == nullptr) return std::unexpected(ToError(NotFoundStatus("pods", pod_name)));
  Object updated = *existing;
  auto& ephemeral = std::get<Pod>(updated).spec.ephemeral_containers;
  for (Container& container : containers) ephemeral.push_back(std::move(container));
  return Admit(updated, existing, Operation::kUpdate, "ephemeralcontainers");
}

Result<void> Cluster::Delete(std::string_view kind, std::string_view namespace_name,
                             std::string_view name) {
  const Key key{std::string(kind), std::string(kind == "Namespace" ? "" : namespace_name),
                std::string(name)};
  const auto it = objects_.find(key);
  if (it == objects_.end()) {
    return std::unexpected(ToError(NotFoundStatus(ResourceForKind(kind), name)));
  }
  objects_.erase(it);
  history_.erase(key);
  if (kind == "Namespace") {
    const auto in_namespace = [&](const auto& entry) { return std::get<1>(entry.first) == name; };
    std::erase_if(objects_, in_namespace);
    std::erase_if(history_, in_namespace);
  }
  return {};
}

std::vector<Change> Cluster::HistoryOf(std::string_view kind, std::string_view namespace_name,
                                       std::string_view name) const {
  const auto it = history_.find(
      std::make_tuple(std::string(kind), std::string(namespace_name), std::string(name)));
  return it == history_.end() ? std::vector<Change>() : it->second;
}

const Object* Cluster::Find(std::string_view kind, std::string_view namespace_name,
                            std::string_view name) const {
  const auto it = objects_.find(
      std::make_tuple(std::string(kind), std::string(namespace_name), std::string(name)));
  return it == objects_.end() ? nullptr : &it->second;
}

const Pod* Cluster::FindPod(std::string_view namespace_name, std::string_view name) const {
  const Object* object = Find("Pod", namespace_name, name);
  return object ? std::get_if<Pod>(object) : nullptr;
}

const Secret* Cluster::FindSecret(std::string_view namespace_name, std::string_view name) const {
  const Object* object = Find("Secret", namespace_name, name);
  return object ? std::get_if<Secret>(object) : nullptr;
}

const ServiceAccount* Cluster::FindServiceAccount(std::string_view namespace_name,
                                                  std::string_view name) const {
  const Object* object = Find("ServiceAccount", namespace_name, name);
  return object ? std::get_if<ServiceAccount>(object) : nullptr;
}

const Namespace* Cluster::FindNamespace(std::string_view name) const {
  const Object* object = Find("Namespace", "", name);
  return object ? std::get_if<Namespace>(object) : nullptr;
}

Result<Secret> Cluster::GetSecret(std::string_view namespace_name, std::string_view name) const {
  const Secret* secret = FindSecret(namespace_name, name);
  if (secret == nullptr) return std::unexpected(ToError(NotFoundStatus("secrets", name)));
  return *secret;
}

std::vector<const Object*> Cluster::List(std::string_view kind,
                                         std::string_view namespace_name) const {
  std::vector<const Object*> found;
  for (auto it =
           objects_.lower_bound(std::make_tuple(std::string(kind), std::string(), std::string()));
       it != objects_.end() && std::get<0>(it->first) == kind; ++it) {
    if (namespace_name.empty() || std::get<1>(it->first) == namespace_name) {
      found.push_back(&it->second);
    }
  }
  return found;
}

std::vector<const Pod*> Cluster::ListPods(std::string_view namespace_name) const {
  std::vector<const Pod*> pods;
  for (const Object* object : List("Pod", namespace_name)) pods.push_back(&std::get<Pod>(*object));
  return pods;
}

std::vector<const Pod*> Cluster::ListPodsOnNode(std::string_view node_name) const {
  std::vector<const Pod*> pods;
  for (const Pod* pod : ListPods()) {
    if (pod->spec.node_name == node_name) pods.push_back(pod);
  }
  return pods;
}

credentials::PullSecret ToPullSecret(const Secret& secret) {
  credentials::PullSecret pull_secret;
  pull_secret.namespace_name = secret.metadata.namespace_name;
  pull_secret.name = secret.metadata.name;
  pull_secret.uid = secret.metadata.uid;
  pull_secret.type = secret.type.empty() ? std::string(kSecretTypeOpaque) : secret.type;
  pull_secret.data = secret.data;
  pull_secret.where = secret.source.Find("").ToString();
  return pull_secret;
}

credentials::SecretGetter Cluster::SecretGetter() const {
  return [this](std::string_view namespace_name,
                std::string_view name) -> Result<credentials::PullSecret> {
    const Secret* secret = FindSecret(namespace_name, name);
    if (secret == nullptr) return std::unexpected(ToError(NotFoundStatus("secrets", name)));
    return ToPullSecret(*secret);
  };
}

credentials::PodPullSecrets Cluster::GetPullSecretsForPod(const Pod& pod) const {
  std::vector<std::string> names;
  for (const LocalObjectReference& reference : pod.spec.image_pull_secrets) {
    names.push_back(reference.name);
  }
  // ADM-08: the pod's namespace, whatever other namespaces hold.
  return credentials::GetPullSecretsForPod(pod.metadata.namespace_name, names, SecretGetter());
}

}  // namespace pullsim::cluster
