#include "sim/cluster/internal/apply_merge.h"

#include <string>

namespace pullsim::cluster::internal {
namespace {

template <typename Value>
void Keep(const SourceMap& source, const std::string& path, Value& applied, const Value& stored) {
  if (!source.Has(path) && applied == Value{}) applied = stored;
}

void MergeMeta(const SourceMap& source, const std::string& path, ObjectMeta& applied,
               const ObjectMeta& stored) {
  Keep(source, path + ".labels", applied.labels, stored.labels);
  Keep(source, path + ".annotations", applied.annotations, stored.annotations);
  Keep(source, path + ".uid", applied.uid, stored.uid);
}

void MergeContainers(const SourceMap& source, const std::string& path,
                     std::vector<Container>& applied, const std::vector<Container>& stored) {
  for (size_t i = 0; i < applied.size(); ++i) {
    for (const Container& old : stored) {
      if (old.name != applied[i].name) continue;
      Keep(source, path + "[" + std::to_string(i) + "].imagePullPolicy",
           applied[i].image_pull_policy, old.image_pull_policy);
    }
  }
}

void MergeSpec(const SourceMap& source, const std::string& path, PodSpec& applied,
               const PodSpec& stored) {
  MergeContainers(source, path + ".initContainers", applied.init_containers,
                  stored.init_containers);
  MergeContainers(source, path + ".containers", applied.containers, stored.containers);
  // Ephemeral containers come from the subresource, never from the manifest.
  Keep(source, path + ".ephemeralContainers", applied.ephemeral_containers,
       stored.ephemeral_containers);
  MergeContainers(source, path + ".ephemeralContainers", applied.ephemeral_containers,
                  stored.ephemeral_containers);
  Keep(source, path + ".imagePullSecrets", applied.image_pull_secrets, stored.image_pull_secrets);
  Keep(source, path + ".serviceAccountName", applied.service_account_name,
       stored.service_account_name);
  Keep(source, path + ".nodeName", applied.node_name, stored.node_name);
}

}  // namespace

void MergeForApply(Object& applied, const Object& stored) {
  const SourceMap& source = SourceOf(applied);
  MergeMeta(source, "metadata", MetaOf(applied), MetaOf(stored));
  if (auto* pod = std::get_if<Pod>(&applied)) {
    MergeSpec(source, "spec", pod->spec, std::get<Pod>(stored).spec);
  } else if (auto* workload = std::get_if<Workload>(&applied)) {
    const Workload& old = std::get<Workload>(stored);
    MergeSpec(source, TemplateSpecPath(*workload), workload->template_spec, old.template_spec);
  } else if (auto* secret = std::get_if<Secret>(&applied)) {
    const Secret& old = std::get<Secret>(stored);
    Keep(source, "type", secret->type, old.type);
    if (!source.Has("data") && !source.Has("stringData") && secret->data.empty()) {
      secret->data = old.data;
    }
    Keep(source, "immutable", secret->immutable, old.immutable);
  } else if (auto* account = std::get_if<ServiceAccount>(&applied)) {
    const ServiceAccount& old = std::get<ServiceAccount>(stored);
    Keep(source, "secrets", account->secrets, old.secrets);
    Keep(source, "imagePullSecrets", account->image_pull_secrets, old.image_pull_secrets);
    Keep(source, "automountServiceAccountToken", account->automount_service_account_token,
         old.automount_service_account_token);
  }
}

}  // namespace pullsim::cluster::internal
