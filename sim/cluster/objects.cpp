#include "sim/cluster/objects.h"

#include <array>

namespace pullsim::cluster {
namespace {

constexpr std::array<WorkloadKind, 8> kWorkloadKinds = {{
    {"Deployment", "apps/v1", "deployments.apps", "spec.template"},
    {"StatefulSet", "apps/v1", "statefulsets.apps", "spec.template"},
    {"DaemonSet", "apps/v1", "daemonsets.apps", "spec.template"},
    {"ReplicaSet", "apps/v1", "replicasets.apps", "spec.template"},
    {"Job", "batch/v1", "jobs.batch", "spec.template"},
    {"CronJob", "batch/v1", "cronjobs.batch", "spec.jobTemplate.spec.template"},
    {"ReplicationController", "v1", "replicationcontrollers", "spec.template"},
    {"PodTemplate", "v1", "podtemplates", "template"},
}};

template <typename Spec, typename Visitor>
void VisitContainersImpl(Spec& spec, std::string_view spec_path, const Visitor& visit) {
  const std::string base(spec_path);
  const auto visit_list = [&](auto& list, ContainerKind kind, const char* field) {
    for (size_t i = 0; i < list.size(); ++i) {
      if (!visit(list[i], kind, base + "." + field + "[" + std::to_string(i) + "]")) return false;
    }
    return true;
  };
  if (!visit_list(spec.init_containers, ContainerKind::kInit, "initContainers")) return;
  if (!visit_list(spec.containers, ContainerKind::kRegular, "containers")) return;
  visit_list(spec.ephemeral_containers, ContainerKind::kEphemeral, "ephemeralContainers");
}

}  // namespace

const WorkloadKind* FindWorkloadKind(std::string_view kind) {
  for (const WorkloadKind& entry : kWorkloadKinds) {
    if (entry.kind == kind) return &entry;
  }
  return nullptr;
}

std::string_view KindOf(const Object& object) {
  struct {
    std::string_view operator()(const Namespace&) const { return "Namespace"; }
    std::string_view operator()(const Pod&) const { return "Pod"; }
    std::string_view operator()(const Secret&) const { return "Secret"; }
    std::string_view operator()(const ServiceAccount&) const { return "ServiceAccount"; }
    std::string_view operator()(const Workload& w) const { return w.kind; }
  } visitor;
  return std::visit(visitor, object);
}

std::string_view ApiVersionOf(const Object& object) {
  if (const auto* workload = std::get_if<Workload>(&object)) return workload->api_version;
  return "v1";
}

std::string ResourceOf(const Object& object) {
  struct {
    std::string operator()(const Namespace&) const { return "namespaces"; }
    std::string operator()(const Pod&) const { return "pods"; }
    std::string operator()(const Secret&) const { return "secrets"; }
    std::string operator()(const ServiceAccount&) const { return "serviceaccounts"; }
    std::string operator()(const Workload& w) const {
      const WorkloadKind* kind = FindWorkloadKind(w.kind);
      return kind != nullptr ? std::string(kind->resource) : w.kind;
    }
  } visitor;
  return std::visit(visitor, object);
}

std::string QualifiedKindOf(const Object& object) {
  std::string kind(KindOf(object));
  const std::string_view version = ApiVersionOf(object);
  if (const size_t slash = version.find('/'); slash != std::string_view::npos) {
    kind += ".";
    kind += version.substr(0, slash);
  }
  return kind;
}

bool IsNamespaced(const Object& object) { return !std::holds_alternative<Namespace>(object); }

const ObjectMeta& MetaOf(const Object& object) {
  return std::visit([](const auto& o) -> const ObjectMeta& { return o.metadata; }, object);
}

ObjectMeta& MetaOf(Object& object) {
  return std::visit([](auto& o) -> ObjectMeta& { return o.metadata; }, object);
}

const SourceMap& SourceOf(const Object& object) {
  return std::visit([](const auto& o) -> const SourceMap& { return o.source; }, object);
}

std::string KeyOf(const Object& object) {
  const ObjectMeta& meta = MetaOf(object);
  const std::string& name = meta.name.empty() ? meta.generate_name : meta.name;
  if (meta.namespace_name.empty()) return name;
  return meta.namespace_name + "/" + name;
}

void VisitContainers(PodSpec& spec, std::string_view spec_path, const ContainerVisitor& visit) {
  VisitContainersImpl(spec, spec_path, visit);
}

void VisitContainers(const PodSpec& spec, std::string_view spec_path,
                     const ConstContainerVisitor& visit) {
  VisitContainersImpl(spec, spec_path, visit);
}

std::string TemplateSpecPath(const Workload& workload) { return workload.template_path + ".spec"; }

}  // namespace pullsim::cluster
