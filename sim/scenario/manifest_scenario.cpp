#include "sim/scenario/manifest_scenario.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "sim/cluster/manifest.h"
#include "sim/reference/reference.h"
#include "sim/registry/registry_config.h"
#include "sim/scenario/external_registry.h"
#include "sim/scenario/internal/manifest_inputs.h"
#include "sim/scenario/internal/reader.h"
#include "sim/scenario/internal/yaml_guard.h"
#include "sim/scenario/names.h"

namespace pullsim::scenario {
namespace {

using internal::Child;
using internal::Context;
using internal::DiagnosticOf;
using internal::Field;
using internal::IsSupportedMinor;
using internal::Lookup;
using internal::MinorVersion;
using internal::ScalarAt;
using Loader = internal::ManifestLoader;

constexpr std::array<std::string_view, 4> kInitialNamespaces = {"default", "kube-system",
                                                                "kube-public", "kube-node-lease"};
// Kinds of the core, apps and batch groups that are read but not simulated; a kind of these
// groups outside the lists is a typo. Kinds of other groups (RBAC, networking, custom
// resources) are ignored with a warning.
constexpr std::array<std::string_view, 13> kOtherCoreKinds = {"ConfigMap",
                                                              "Service",
                                                              "Endpoints",
                                                              "Event",
                                                              "LimitRange",
                                                              "Node",
                                                              "PersistentVolume",
                                                              "PersistentVolumeClaim",
                                                              "PodTemplate",
                                                              "ResourceQuota",
                                                              "ReplicationController",
                                                              "Binding",
                                                              "ComponentStatus"};
constexpr std::array<std::string_view, 5> kAppsKinds = {"Deployment", "StatefulSet", "DaemonSet",
                                                        "ReplicaSet", "ControllerRevision"};
constexpr std::array<std::string_view, 2> kBatchKinds = {"Job", "CronJob"};
constexpr std::array<std::string_view, 4> kSimulatedKinds = {"Namespace", "ServiceAccount",
                                                             "Secret", "Pod"};

template <std::size_t N>
bool Contains(const std::array<std::string_view, N>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// ---- manifests --------------------------------------------------------------------------------

struct ObjectKey {
  ObjectKind kind;
  std::string namespace_name;
  std::string name;
  auto operator<=>(const ObjectKey&) const = default;
};

struct ManifestReader {
  explicit ManifestReader(Loader& owner) : loader(owner) {}

  Loader& loader;
  std::vector<Manifest> objects;
  std::map<ObjectKey, SourceLocation> seen;
  // Registry hosts the pods' images name, with where each was first named.
  std::map<std::string, SourceLocation> image_hosts;

  void ReadDocument(Context& context, const Field& document) {
    if (!document.value.IsMap()) {
      context.Error(document, "a manifest document must be a mapping, got " +
                                  Context::Describe(document.value));
      return;
    }
    std::optional<std::string> api_version = ScalarAt(document.value, "apiVersion");
    std::optional<std::string> kind = ScalarAt(document.value, "kind");
    if (!api_version || !kind) {
      context.Error(
          document,
          "a Kubernetes object needs apiVersion and kind (e.g. apiVersion: v1, kind: Pod)");
      return;
    }
    const Field kind_field = *Child(document, "kind");
    if (kind->ends_with("List") && Lookup(document.value, "items").IsDefined()) {
      auto items = context.List(*Child(document, "items"));
      for (const Field& item : items.value_or(std::vector<Field>{})) ReadDocument(context, item);
      return;
    }
    const bool core = *api_version == "v1";
    if (core && Contains(kSimulatedKinds, *kind)) {
      ReadObject(context, document);
      return;
    }
    const bool apps = *api_version == "apps/v1";
    const bool batch = *api_version == "batch/v1";
    if ((core && Contains(kOtherCoreKinds, *kind)) || (apps && Contains(kAppsKinds, *kind)) ||
        (batch && Contains(kBatchKinds, *kind))) {
      std::string why = "ignored: explain reads Pods, Secrets, ServiceAccounts and Namespaces";
      if (cluster::FindWorkloadKind(*kind) != nullptr) {
        why =
            "ignored: no controller runs here, so it makes no pods; give its pods instead "
            "(kubectl get pod NAME -o yaml)";
      } else if (*kind == "Node") {
        why = "ignored: give the node with --node";
      }
      loader.Warn(context, document, *kind + " " + NameOf(document) + why);
      return;
    }
    if (core || apps || batch) {
      std::vector<std::string_view> known(kSimulatedKinds.begin(), kSimulatedKinds.end());
      if (core) known.insert(known.end(), kOtherCoreKinds.begin(), kOtherCoreKinds.end());
      if (apps) known.assign(kAppsKinds.begin(), kAppsKinds.end());
      if (batch) known.assign(kBatchKinds.begin(), kBatchKinds.end());
      context.Error(kind_field, "no matches for kind \"" + *kind + "\" in version \"" +
                                    *api_version + "\"" + Context::Hint(*kind, known));
      return;
    }
    loader.Warn(context, document,
                *kind + " (" + *api_version + ") " + NameOf(document) +
                    "ignored: explain reads Pods, Secrets, ServiceAccounts and Namespaces");
  }

  // "web " for an object with metadata.name "web", else "".
  static std::string NameOf(const Field& document) {
    std::optional<std::string> name = ScalarAt(Lookup(document.value, "metadata"), "name");
    return name ? *name + " " : "";
  }

  void ReadObject(Context& context, const Field& document) {
    Result<cluster::Object> object = cluster::ParseObject(document.value, context.file());
    if (!object) {
      Diagnostic diagnostic = DiagnosticOf(object.error());
      if (diagnostic.location.line == 0) diagnostic.location = context.Location(document);
      context.sink().Add(std::move(diagnostic));
      return;
    }
    const cluster::ObjectMeta& meta = cluster::MetaOf(*object);
    const cluster::SourceMap& source = cluster::SourceOf(*object);
    auto at = [&](std::string_view path) {
      const cluster::SourcePosition position = source.Find(path);
      return SourceLocation{context.file(), position.line + 1, position.column + 1};
    };
    Manifest manifest;
    manifest.node = document.value;
    manifest.kind = *ParseName(ObjectKindNames(), cluster::KindOf(*object));
    manifest.api_version = "v1";
    manifest.location = context.Location(document);
    manifest.name = meta.name;
    if (meta.name.empty()) {
      loader.Report(at("metadata"), cluster::QualifiedKindOf(*object) +
                                        ": metadata.name is required (generateName is not "
                                        "simulated)");
      return;
    }
    if (cluster::IsNamespaced(*object)) {
      manifest.namespace_name = meta.namespace_name.empty() ? "default" : meta.namespace_name;
    }
    if (const auto* pod = std::get_if<cluster::Pod>(&*object)) {
      cluster::VisitContainers(
          pod->spec, "spec",
          [&](const cluster::Container& container, cluster::ContainerKind, const std::string&) {
            manifest.containers.push_back(container.name);
            return true;
          });
      const std::string node_name = loader.node ? loader.node->name : "";
      if (!pod->spec.node_name.empty() && pod->spec.node_name != node_name) {
        loader.Report(at("spec.nodeName"),
                      "pod " + manifest.namespace_name + "/" + manifest.name +
                          " is bound to node \"" + pod->spec.node_name +
                          "\", but --node gives node \"" + node_name +
                          "\"; give that node's kubectl get node -o yaml, or drop spec.nodeName");
        return;
      }
      manifest.node_name = node_name;  // no scheduler: the one node
      cluster::VisitContainers(pod->spec, "spec",
                               [&](const cluster::Container& container, cluster::ContainerKind,
                                   const std::string& path) {
                                 if (auto ref = reference::ParseDockerRef(container.image)) {
                                   image_hosts.try_emplace(ref->domain, at(path + ".image"));
                                 }
                                 return true;
                               });
    }
    const ObjectKey key{manifest.kind, manifest.namespace_name, manifest.name};
    if (auto [first, added] = seen.try_emplace(key, manifest.location); !added) {
      loader.Report(manifest.location, manifest.Describe() + " is given twice (first at " +
                                           first->second.ToString() + ")");
      return;
    }
    objects.push_back(std::move(manifest));
  }

  // Namespaces, service accounts, secrets, then pods (each in the order given), with a Namespace
  // made for each namespace an object names that no manifest creates.
  std::vector<Manifest> Ordered() {
    std::vector<Manifest> out;
    std::set<std::string> namespaces(kInitialNamespaces.begin(), kInitialNamespaces.end());
    for (const Manifest& manifest : objects) {
      if (manifest.kind == ObjectKind::kNamespace) namespaces.insert(manifest.name);
    }
    for (const Manifest& manifest : objects) {
      if (manifest.kind == ObjectKind::kNamespace ||
          !namespaces.insert(manifest.namespace_name).second) {
        continue;
      }
      Manifest created;
      created.node["apiVersion"] = "v1";
      created.node["kind"] = "Namespace";
      created.node["metadata"]["name"] = manifest.namespace_name;
      created.kind = ObjectKind::kNamespace;
      created.api_version = "v1";
      created.name = manifest.namespace_name;
      created.location = manifest.location;  // where it was first named
      out.push_back(std::move(created));
    }
    for (ObjectKind kind : {ObjectKind::kNamespace, ObjectKind::kServiceAccount,
                            ObjectKind::kSecret, ObjectKind::kPod}) {
      for (const Manifest& manifest : objects) {
        if (manifest.kind == kind) out.push_back(manifest);
      }
    }
    return out;
  }
};

// ---- command-line values ----------------------------------------------------------------------

SourceLocation FlagLocation(std::string_view flag, std::string_view value) {
  return SourceLocation{std::string(flag) + " " + std::string(value), 0, 0};
}

// "HOST=VALUE" → {HOST, VALUE}; a value with no '=' before its first '/' has no host.
std::pair<std::string, std::string> SplitHost(const std::string& text) {
  const std::size_t equals = text.find('=');
  if (equals == std::string::npos || text.substr(0, equals).find('/') != std::string::npos) {
    return {"", text};
  }
  return {text.substr(0, equals), text.substr(equals + 1)};
}

bool IsRegistryHost(std::string_view host) {
  Result<reference::Reference> ref = reference::ParseNormalizedNamed(std::string(host) + "/x/y");
  return ref && ref->domain == host;
}

// Hands each document of each file to `read`, skipping empty ones ("---" with nothing after it,
// as kubectl allows); a file that cannot be read or parsed is reported and skipped.
template <typename ReadDocument>
void ForEachDocument(Loader& loader, const std::vector<InputFile>& files, std::string_view flag,
                     ReadDocument read) {
  for (const InputFile& file : files) {
    std::optional<std::string> text = loader.Read(file, flag);
    if (!text) continue;
    Context context(file.name, loader.sink);
    auto documents = internal::ParseYaml(*text, loader.limits, context);
    if (!documents) continue;
    std::size_t index = 0;
    for (const YAML::Node& document : *documents) {
      if (document.IsNull()) continue;
      read(context, Field{YAML::Node(), document, "[" + std::to_string(index++) + "]"});
    }
  }
}

void ReadRegistry(Loader& loader, const std::string& text) {
  const SourceLocation where = FlagLocation("--registry", text);
  auto [host, target] = SplitHost(text);
  Registry registry;
  registry.location = where;
  if (target.starts_with("http://") || target.starts_with("https://")) {
    std::string authority = target.substr(target.find("://") + 3);
    while (!authority.empty() && authority.back() == '/') authority.pop_back();
    if (target.starts_with("https://") && authority.ends_with(":443")) {
      authority.resize(authority.size() - 4);
    }
    if (target.starts_with("http://") && authority.ends_with(":80")) {
      authority.resize(authority.size() - 3);
    }
    if (host.empty()) host = authority;
    registry::HttpTransportOptions options;
    options.verify_tls = !loader.inputs.insecure_skip_tls_verify;
    options.connect_timeout_seconds = 5;
    if (Result<void> answers = CheckRegistryAnswers(target, options); !answers) {
      loader.Report(where, answers.error().message, answers.error().code);
      return;
    }
    registry.external_url = target;
    registry.verify_tls = options.verify_tls;
  } else {
    Result<registry::RegistryConfig> config = registry::LoadRegistryConfig(target);
    if (!config) {
      Diagnostic diagnostic = DiagnosticOf(config.error());
      if (diagnostic.location.file.empty()) diagnostic.location = where;
      loader.sink.Add(std::move(diagnostic));
      return;
    }
    registry::AuthOptions& auth = config->options.auth;
    const bool service_written = auth.service != registry::AuthOptions{}.service;
    if (host.empty() && service_written) host = auth.service;
    if (host.empty()) {
      loader.Report(where, "which registry host does " + target + " serve? give --registry HOST=" +
                               target + " (or write its service: in the file)");
      return;
    }
    if (!service_written) auth.service = auth.realm = host;  // as a scenario's registries
    registry.config = *std::move(config);
    registry.location = SourceLocation{target, 0, 0};
  }
  if (!IsRegistryHost(host)) {
    loader.Report(where, "\"" + host +
                             "\" is not a registry host as image names spell it (registry.test, "
                             "registry.test:5000, 127.0.0.1:5000)");
    return;
  }
  for (const Registry& seen : loader.scenario.registries) {
    if (seen.host == host) {
      loader.Report(where, "registry host " + host + " is given twice (first by " +
                               seen.location.ToString() + ")");
      return;
    }
  }
  registry.host = host;
  loader.scenario.registries.push_back(std::move(registry));
}

void ReadNodeFile(Loader& loader, Node& node, const std::string& text) {
  const SourceLocation where = FlagLocation("--node-file", text);
  const std::size_t equals = text.find('=');
  if (equals == std::string::npos) {
    loader.Report(where,
                  "expected NODE_PATH=LOCAL_FILE, such as "
                  "/var/lib/kubelet/config.json=./config.json");
    return;
  }
  NodeFile file;
  file.path = text.substr(0, equals);
  if (!file.path.starts_with("/") ||
      std::filesystem::path(file.path).lexically_normal().generic_string() != file.path) {
    loader.Report(where,
                  "the node path \"" + file.path +
                      "\" must be absolute, without \".\", \"..\", \"//\" or a trailing '/'");
    return;
  }
  for (const NodeFile& seen : node.files) {
    if (seen.path == file.path) {
      loader.Report(where, "the node file " + file.path + " is given twice");
      return;
    }
  }
  const std::string local = text.substr(equals + 1);
  std::optional<std::string> content = loader.Read(InputFile{local, std::nullopt}, "--node-file");
  if (!content) return;
  file.content = *std::move(content);
  file.location = SourceLocation{local, 0, 0};
  node.files.push_back(std::move(file));
}

void ReadCluster(Loader& loader) {
  Cluster& cluster = loader.scenario.cluster;
  for (const std::string& list : loader.inputs.admission) {
    std::stringstream parts(list);
    std::string name;
    while (std::getline(parts, name, ',')) {
      std::optional<AdmissionPlugin> plugin = ParseName(AdmissionPluginNames(), name);
      if (!plugin) {
        std::vector<std::string_view> names;
        for (const auto& entry : AdmissionPluginNames()) names.push_back(entry.name);
        loader.Report(
            FlagLocation("--admission", list),
            "\"" + name + "\" is not a simulated admission plugin" + Context::Hint(name, names));
        continue;
      }
      if (std::find(cluster.admission_plugins.begin(), cluster.admission_plugins.end(), *plugin) ==
          cluster.admission_plugins.end()) {
        cluster.admission_plugins.push_back(*plugin);
      }
    }
  }
  std::sort(cluster.admission_plugins.begin(), cluster.admission_plugins.end());
  const std::string& flag = loader.inputs.cluster_version;
  if (!flag.empty()) {
    std::optional<std::string> minor = MinorVersion(flag);
    if (!minor || !IsSupportedMinor(*minor)) {
      loader.Report(FlagLocation("--cluster-version", flag),
                    "expected a Kubernetes minor version from \"1.20\" to \"1.40\", such as "
                    "\"1.35\"");
      return;
    }
    cluster.version = *minor;
    if (loader.kubelet_version && loader.kubelet_version->value != *minor) {
      loader.warnings.push_back(Diagnostic{
          ErrorCode::kInvalidArgument, loader.kubelet_version->location, "",
          "the node's kubelet is " + loader.kubelet_version->value +
              "; simulating API server and kubelet both as --cluster-version " + *minor});
    }
  } else if (loader.kubelet_version) {
    cluster.version = loader.kubelet_version->value;
  }
}

}  // namespace

namespace {

LoadResult<ManifestScenario> Load(const ManifestScenarioInputs& inputs) {
  Loader loader(inputs);
  Scenario& scenario = loader.scenario;
  scenario.name = "manifests";
  scenario.description = "pullsim explain of manifests given on the command line";
  scenario.directory = ".";

  if (inputs.node.empty()) {
    loader.Report(SourceLocation{"--node", 0, 0},
                  "give the node: --node NODE.yaml (kubectl get node NAME -o yaml)");
  }
  ForEachDocument(loader, inputs.node, "--node", [&](Context& context, const Field& document) {
    ReadNodeDocument(loader, context, document);
  });
  if (!inputs.node.empty() && !loader.node && loader.sink.empty()) {
    loader.Report(SourceLocation{inputs.node.front().name, 0, 0},
                  "no Node here: give kubectl get node NAME -o yaml");
  }
  if (loader.node && loader.kubelet) loader.node->kubelet = *loader.kubelet;

  for (const std::string& text : inputs.registries) ReadRegistry(loader, text);
  if (loader.node) {
    for (const std::string& text : inputs.node_files) ReadNodeFile(loader, *loader.node, text);
  }
  ReadCluster(loader);

  ManifestReader manifests(loader);
  if (inputs.manifests.empty()) {
    loader.Report(SourceLocation{"-f", 0, 0}, "give the pod: -f pod.yaml (and its secrets)");
  }
  ForEachDocument(loader, inputs.manifests, "-f", [&](Context& context, const Field& document) {
    manifests.ReadDocument(context, document);
  });
  if (loader.sink.empty() &&
      std::none_of(manifests.objects.begin(), manifests.objects.end(),
                   [](const Manifest& m) { return m.kind == ObjectKind::kPod; })) {
    loader.Report(SourceLocation{inputs.manifests.front().name, 0, 0},
                  "no Pod in the manifests: explain needs a pod (kubectl get pod NAME -o yaml)");
  }

  if (!loader.sink.empty()) return std::unexpected(loader.sink.Take());
  for (const auto& [host, where] : manifests.image_hosts) {
    if (std::none_of(scenario.registries.begin(), scenario.registries.end(),
                     [&](const Registry& r) { return r.host == host; })) {
      loader.warnings.push_back(Diagnostic{
          ErrorCode::kInvalidArgument, where, "",
          "no --registry serves " + host +
              ": pulls from it fail as a node without DNS for it would (images already on the "
              "node may still be used)"});
    }
  }

  ManifestScenario out;
  scenario.file = inputs.manifests.front().name;
  scenario.nodes.push_back(*std::move(loader.node));
  scenario.objects = manifests.Ordered();
  for (const Manifest& manifest : scenario.objects) {
    if (manifest.kind == ObjectKind::kPod) {
      out.pods.push_back(manifest.namespace_name + "/" + manifest.name);
    }
  }
  scenario.steps.push_back(Step{AdvanceStep{inputs.run_for}, SourceLocation{"--for", 0, 0}});
  out.scenario = std::move(scenario);
  out.warnings = std::move(loader.warnings);
  return out;
}

}  // namespace

LoadResult<ManifestScenario> LoadManifestScenario(const ManifestScenarioInputs& inputs) {
  try {
    return Load(inputs);
  } catch (const YAML::Exception& exception) {
    // Every read above checks a node before it converts it; should one slip, it is an error
    // of pullsim's, reported, never an exception across the module (STYLE.md §2).
    LoadError error;
    error.diagnostics.push_back(Diagnostic{ErrorCode::kInternal, SourceLocation{}, "",
                                           "unexpected YAML structure: " + exception.msg});
    return std::unexpected(std::move(error));
  }
}

}  // namespace pullsim::scenario
