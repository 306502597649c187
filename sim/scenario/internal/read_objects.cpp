// Kubernetes objects: real manifests written inline or read from files beside the scenario. Only
// what the scenario needs to cross-check is read here; the cluster module reads the objects.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "sim/scenario/internal/sections.h"
#include "sim/scenario/internal/values.h"

namespace pullsim::scenario::internal {
namespace {

constexpr std::array<std::string_view, 3> kContainerLists = {"initContainers", "containers",
                                                             "ephemeralContainers"};

std::string PodKey(std::string_view namespace_name, std::string_view name) {
  return std::string(namespace_name) + "/" + std::string(name);
}

void ReadPodSpec(LoadState& state, Context& context, const MapView& object, Manifest& manifest) {
  auto spec = object.Get("spec");
  if (!spec) {
    context.Error(object.self().value.Mark(), object.self().path, "a Pod needs a spec");
    return;
  }
  auto spec_map = context.FreeMap(*spec);
  if (!spec_map) return;
  for (std::string_view list : kContainerLists) {
    auto containers = spec_map->Get(list);
    if (!containers || !containers->value.IsSequence()) continue;
    for (const YAML::Node& container : containers->value) {
      if (container.IsMap() && container["name"] && container["name"].IsScalar()) {
        manifest.containers.push_back(container["name"].Scalar());
      }
    }
  }
  if (auto node_name = spec_map->Get("nodeName")) {
    auto name = context.NonEmptyString(*node_name);
    if (!name) return;
    if (!state.HasNode(*name)) {
      std::vector<std::string_view> names;
      for (const Node& node : state.scenario.nodes) names.push_back(node.name);
      context.UnknownWord(*node_name, *name, names, "node");
      return;
    }
    manifest.node_name = *name;
  } else if (state.scenario.nodes.size() == 1) {
    manifest.node_name = state.scenario.nodes.front().name;  // no scheduler: the only node
  } else {
    context.Error(spec->key.Mark(), spec->path,
                  "missing spec.nodeName: pods are not scheduled, so name one of the scenario's " +
                      std::to_string(state.scenario.nodes.size()) + " nodes");
  }
}

void ReadObject(LoadState& state, Context& context, const Field& field,
                std::vector<Manifest>& out) {
  auto object = context.FreeMap(field);
  if (!object) return;
  std::size_t before = context.errors();
  auto api_version = object->Get("apiVersion");
  auto kind_field = object->Get("kind");
  if (!api_version || !kind_field) {
    context.Error(field.value.Mark(), field.path,
                  "a Kubernetes object needs apiVersion and kind (e.g. apiVersion: v1, kind: Pod)");
    return;
  }
  auto version = context.NonEmptyString(*api_version);
  auto kind_text = context.NonEmptyString(*kind_field);
  if (!version || !kind_text) return;
  if (*kind_text == "List" && *version == "v1") {
    // `kubectl get -o yaml` writes lists of objects this way.
    auto items = object->Get("items");
    if (!items) {
      context.Error(field.value.Mark(), field.path, "a List needs items");
      return;
    }
    auto list = context.List(*items);
    for (const Field& item : list.value_or(std::vector<Field>{}))
      ReadObject(state, context, item, out);
    return;
  }
  auto kind = context.Word(*kind_field, ObjectKindNames(), "kind");
  if (!kind) return;
  if (*version != "v1") {
    context.Error(*api_version, *kind_text + " has apiVersion \"v1\", got \"" + *version + "\"");
    return;
  }
  Manifest manifest;
  manifest.node = field.value;
  manifest.kind = *kind;
  manifest.api_version = *version;
  manifest.location = context.Location(field);
  auto metadata = object->Get("metadata");
  if (!metadata) {
    context.Error(field.value.Mark(), field.path, "missing required field \"metadata\"");
    return;
  }
  auto meta = context.FreeMap(*metadata);
  if (!meta) return;
  if (auto name = meta->Get("name")) {
    manifest.name = ReadObjectName(context, *name).value_or("");
  } else {
    context.Error(metadata->value.Mark(), metadata->path, "missing required field \"name\"");
  }
  if (auto namespace_field = meta->Get("namespace")) {
    if (*kind == ObjectKind::kNamespace) {
      context.Error(namespace_field->key.Mark(), namespace_field->path,
                    "a Namespace is not in a namespace");
    } else {
      manifest.namespace_name = ReadObjectName(context, *namespace_field).value_or("");
    }
  } else if (*kind != ObjectKind::kNamespace) {
    manifest.namespace_name = "default";
  }
  if (*kind == ObjectKind::kPod) ReadPodSpec(state, context, *object, manifest);
  if (context.errors() != before) return;
  if (manifest.kind == ObjectKind::kPod) {
    auto& containers = state.pods[PodKey(manifest.namespace_name, manifest.name)];
    containers.insert(manifest.containers.begin(), manifest.containers.end());
  }
  out.push_back(std::move(manifest));
}

void ReadManifestFile(LoadState& state, const Field& field, std::vector<Manifest>& out) {
  Context& context = state.context;
  auto text = context.NonEmptyString(field);
  if (!text) return;
  std::filesystem::path relative(*text);
  if (relative.is_absolute()) {
    context.Error(field,
                  "manifest file \"" + *text + "\" must be relative to the scenario's folder");
    return;
  }
  std::filesystem::path path = (state.scenario.directory / relative).lexically_normal();
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    context.Error(field, "no manifest file \"" + path.generic_string() + "\"");
    return;
  }
  auto size = std::filesystem::file_size(path, error);
  if (error || size > state.limits.max_bytes) {
    context.Error(field, "manifest file \"" + path.generic_string() + "\" is larger than " +
                             std::to_string(state.limits.max_bytes) + " bytes");
    return;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in && !in.eof()) {
    context.Error(field, "cannot read manifest file \"" + path.generic_string() + "\"");
    return;
  }
  Context file_context(path.generic_string(), context.sink());
  auto documents = ParseYaml(bytes.str(), state.limits, file_context);
  if (!documents) return;
  std::size_t count = 0;
  for (std::size_t i = 0; i < documents->size(); ++i) {
    const YAML::Node& document = (*documents)[i];
    if (document.IsNull()) continue;  // "---" with nothing after it, as kubectl allows
    ++count;
    ReadObject(state, file_context, Field{YAML::Node(), document, "[" + std::to_string(i) + "]"},
               out);
  }
  if (count == 0) context.Error(field, "manifest file \"" + path.generic_string() + "\" is empty");
}

void ReadOne(LoadState& state, const Field& field, std::vector<Manifest>& out) {
  if (field.value.IsMap() && field.value.size() == 1 && field.value["file"]) {
    ReadManifestFile(
        state, Field{field.value.begin()->first, field.value["file"], JoinPath(field.path, "file")},
        out);
    return;
  }
  ReadObject(state, state.context, field, out);
}

}  // namespace

std::vector<Manifest> ReadManifests(LoadState& state, const Field& field) {
  std::vector<Manifest> out;
  if (field.value.IsSequence()) {
    auto items = state.context.List(field);
    if (items && items->empty()) state.context.Error(field, "list at least one object");
    for (const Field& item : items.value_or(std::vector<Field>{})) ReadOne(state, item, out);
  } else if (field.value.IsMap()) {
    ReadOne(state, field, out);
  } else {
    state.context.Error(field,
                        "expected a Kubernetes object, {file: path}, or a list of them, got " +
                            Context::Describe(field.value));
  }
  return out;
}

}  // namespace pullsim::scenario::internal
