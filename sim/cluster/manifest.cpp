#include "sim/cluster/manifest.h"

#include <fstream>
#include <sstream>
#include <string>

#include "sim/cluster/internal/pod_decoder.h"
#include "sim/cluster/internal/yaml_reader.h"
#include "sim/core/base64.h"

namespace pullsim::cluster {
namespace {

using internal::ChildPath;
using internal::YamlReader;

constexpr std::string_view kNamespaceFields[] = {"apiVersion", "kind", "metadata", "spec",
                                                 "status"};
constexpr std::string_view kPodFields[] = {"apiVersion", "kind", "metadata", "spec", "status"};
constexpr std::string_view kSecretFields[] = {"apiVersion", "kind", "metadata", "data",
                                              "stringData", "type", "immutable"};
constexpr std::string_view kServiceAccountFields[] = {
    "apiVersion",       "kind",
    "metadata",         "secrets",
    "imagePullSecrets", "automountServiceAccountToken"};
constexpr std::string_view kPodTemplateSpecFields[] = {"metadata", "spec"};
constexpr std::string_view kObjectReferenceFields[] = {
    "kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"};

Result<void> DecodeNamespace(const YamlReader& reader, const YAML::Node& node, Namespace& ns) {
  auto fields = reader.Fields(node, "", kNamespaceFields);
  if (!fields) return std::unexpected(fields.error());
  for (const auto& [key, value] : *fields) {
    if (key == "metadata") return internal::DecodeObjectMeta(reader, value, key, ns.metadata);
  }
  return {};
}

Result<void> DecodePod(const YamlReader& reader, const YAML::Node& node, Pod& pod) {
  auto fields = reader.Fields(node, "", kPodFields);
  if (!fields) return std::unexpected(fields.error());
  for (const auto& [key, value] : *fields) {
    Result<void> decoded;
    if (key == "metadata") decoded = internal::DecodeObjectMeta(reader, value, key, pod.metadata);
    if (key == "spec") decoded = internal::DecodePodSpec(reader, value, key, pod.spec);
    if (!decoded) return decoded;
  }
  return {};
}

// v1 Secret: `data` values are base64; `stringData` is merged over them (Convert_v1_Secret_To_
// core_Secret), so a key in both holds the stringData value.
Result<void> DecodeSecret(const YamlReader& reader, const YAML::Node& node, Secret& secret) {
  auto fields = reader.Fields(node, "", kSecretFields);
  if (!fields) return std::unexpected(fields.error());
  std::map<std::string, std::string> string_data;
  for (const auto& [key, value] : *fields) {
    if (key == "metadata") {
      if (auto decoded = internal::DecodeObjectMeta(reader, value, key, secret.metadata);
          !decoded) {
        return decoded;
      }
    } else if (key == "type") {
      auto text = reader.String(value, key);
      if (!text) return std::unexpected(text.error());
      secret.type = *std::move(text);
    } else if (key == "immutable") {
      auto flag = reader.Bool(value, key);
      if (!flag) return std::unexpected(flag.error());
      secret.immutable = *flag;
    } else if (key == "stringData") {
      auto values = reader.StringMap(value, key);
      if (!values) return std::unexpected(values.error());
      string_data = *std::move(values);
    } else if (key == "data") {
      auto entries = reader.MapEntries(value, key);
      if (!entries) return std::unexpected(entries.error());
      for (const auto& [data_key, data_value] : *entries) {
        const std::string path = internal::KeyPath("data", data_key);
        auto text = reader.String(data_value, path);
        if (!text) return std::unexpected(text.error());
        auto decoded = DecodeBase64(*text, Base64Encoding::kStd);
        if (!decoded) {
          return std::unexpected(reader.Fail(
              data_value, "",
              "Secret in version \"v1\" cannot be handled as a Secret: " + decoded.error().message +
                  " (" + path + ")"));
        }
        secret.data[data_key] = *std::move(decoded);
      }
    }
  }
  for (auto& [key, value] : string_data) secret.data[key] = std::move(value);
  return {};
}

Result<void> DecodeServiceAccount(const YamlReader& reader, const YAML::Node& node,
                                  ServiceAccount& account) {
  auto fields = reader.Fields(node, "", kServiceAccountFields);
  if (!fields) return std::unexpected(fields.error());
  for (const auto& [key, value] : *fields) {
    if (key == "metadata") {
      if (auto decoded = internal::DecodeObjectMeta(reader, value, key, account.metadata);
          !decoded) {
        return decoded;
      }
    } else if (key == "imagePullSecrets") {
      auto references = internal::DecodeLocalReferences(reader, value, key);
      if (!references) return std::unexpected(references.error());
      account.image_pull_secrets = *std::move(references);
    } else if (key == "automountServiceAccountToken") {
      auto flag = reader.Bool(value, key);
      if (!flag) return std::unexpected(flag.error());
      account.automount_service_account_token = *flag;
    } else if (key == "secrets") {
      auto items = reader.Items(value, key);
      if (!items) return std::unexpected(items.error());
      for (size_t i = 0; i < items->size(); ++i) {
        const std::string item_path = internal::IndexPath(key, i);
        auto item_fields = reader.Fields((*items)[i], item_path, kObjectReferenceFields);
        if (!item_fields) return std::unexpected(item_fields.error());
        std::string name;
        for (const auto& [item_key, item_value] : *item_fields) {
          auto text = reader.String(item_value, ChildPath(item_path, item_key));
          if (!text) return std::unexpected(text.error());
          if (item_key == "name") name = *std::move(text);
        }
        account.secrets.push_back(std::move(name));
      }
    }
  }
  return {};
}

// The node at `path` (dot-separated keys) below `root`, or an undefined node. Lookups go through
// const nodes and reset(), never operator= or a non-const operator[], which would write into
// the document.
YAML::Node Descend(const YAML::Node& root, std::string_view path) {
  YAML::Node node = root;
  while (!path.empty()) {
    const size_t dot = path.find('.');
    const std::string key(path.substr(0, dot));
    if (!node.IsDefined() || !node.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
    const YAML::Node parent = node;
    node.reset(parent[key]);
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  return node.IsDefined() ? node : YAML::Node(YAML::NodeType::Undefined);
}

// A workload: metadata and the pod template are decoded; the rest is kept as text (the template
// replaced by a marker, so a template change is not counted twice).
Result<void> DecodeWorkload(const YamlReader& reader, const YAML::Node& node,
                            const WorkloadKind& kind, Workload& workload) {
  workload.kind = std::string(kind.kind);
  workload.template_path = std::string(kind.template_path);
  auto fields = reader.AnyFields(node, "");
  if (!fields) return std::unexpected(fields.error());
  for (const auto& [key, value] : *fields) {
    if (key == "metadata") {
      if (auto decoded = internal::DecodeObjectMeta(reader, value, key, workload.metadata);
          !decoded) {
        return decoded;
      }
    } else if (key != "apiVersion" && key != "kind" && key != "status") {
      workload.other_fields[key] = "";
    }
  }
  const YAML::Node template_node = Descend(node, workload.template_path);
  if (template_node.IsDefined() && !template_node.IsNull()) {
    reader.Record(workload.template_path, template_node);
    auto template_fields =
        reader.Fields(template_node, workload.template_path, kPodTemplateSpecFields);
    if (!template_fields) return std::unexpected(template_fields.error());
    for (const auto& [key, value] : *template_fields) {
      const std::string path = ChildPath(workload.template_path, key);
      auto decoded =
          key == "metadata"
              ? internal::DecodeObjectMeta(reader, value, path, workload.template_metadata)
              : internal::DecodePodSpec(reader, value, path, workload.template_spec);
      if (!decoded) return decoded;
    }
  }
  // The text of everything outside the template: clone, blank the template, then canonicalise.
  YAML::Node outside = YAML::Clone(node);
  const size_t last_dot = workload.template_path.rfind('.');
  YAML::Node parent = last_dot == std::string::npos
                          ? outside
                          : Descend(outside, workload.template_path.substr(0, last_dot));
  if (parent.IsDefined() && parent.IsMap()) {
    parent.remove(workload.template_path.substr(last_dot == std::string::npos ? 0 : last_dot + 1));
  }
  const YAML::Node& outside_view = outside;
  for (auto& [key, text] : workload.other_fields) {
    auto canonical = reader.Canonical(outside_view[key], key);
    if (!canonical) return std::unexpected(canonical.error());
    text = *std::move(canonical);
  }
  return {};
}

Result<Object> DecodeKind(const YamlReader& reader, const YAML::Node& node,
                          std::string_view api_version, std::string_view kind) {
  const auto no_match = [&] {
    return std::unexpected(reader.Fail(node["kind"], "",
                                       "no matches for kind \"" + std::string(kind) +
                                           "\" in version \"" + std::string(api_version) + "\""));
  };
  if (const WorkloadKind* workload_kind = FindWorkloadKind(kind)) {
    if (api_version != workload_kind->api_version) return Result<Object>(no_match());
    Workload workload;
    workload.api_version = std::string(api_version);
    if (auto decoded = DecodeWorkload(reader, node, *workload_kind, workload); !decoded) {
      return std::unexpected(decoded.error());
    }
    return Object(std::move(workload));
  }
  if (api_version != "v1") return Result<Object>(no_match());
  Result<void> decoded;
  Object object;
  if (kind == "Namespace") {
    object = Namespace{};
    decoded = DecodeNamespace(reader, node, std::get<Namespace>(object));
  } else if (kind == "Pod") {
    object = Pod{};
    decoded = DecodePod(reader, node, std::get<Pod>(object));
  } else if (kind == "Secret") {
    object = Secret{};
    decoded = DecodeSecret(reader, node, std::get<Secret>(object));
  } else if (kind == "ServiceAccount") {
    object = ServiceAccount{};
    decoded = DecodeServiceAccount(reader, node, std::get<ServiceAccount>(object));
  } else {
    return Result<Object>(no_match());
  }
  if (!decoded) return std::unexpected(decoded.error());
  return object;
}

// apiVersion and kind of a document, both required.
Result<std::pair<std::string, std::string>> TypeOf(const YamlReader& reader,
                                                   const YAML::Node& node) {
  if (!node.IsMap()) {
    return std::unexpected(reader.Fail(node, "", "a manifest document must be a mapping"));
  }
  auto api_version = reader.String(node["apiVersion"], "apiVersion");
  if (!api_version) return std::unexpected(api_version.error());
  auto kind = reader.String(node["kind"], "kind");
  if (!kind) return std::unexpected(kind.error());
  if (api_version->empty()) return std::unexpected(reader.Fail(node, "", "apiVersion not set"));
  if (kind->empty()) return std::unexpected(reader.Fail(node, "", "kind not set"));
  return std::make_pair(*std::move(api_version), *std::move(kind));
}

Error YamlError(const YAML::Exception& exception, std::string_view file) {
  SourcePosition position{std::string(file), exception.mark.line, exception.mark.column};
  if (exception.mark.is_null()) position.line = -1;
  return Error{ErrorCode::kInvalidArgument, "yaml: " + exception.msg, position.ToString()};
}

}  // namespace

Result<Object> ParseObject(const YAML::Node& node, std::string_view file) {
  SourceMap source;
  const YamlReader reader(file, source);
  try {
    auto type = TypeOf(reader, node);
    if (!type) return std::unexpected(type.error());
    reader.Record("", node);
    auto object = DecodeKind(reader, node, type->first, type->second);
    if (!object) return object;
    std::visit([&](auto& o) { o.source = std::move(source); }, *object);
    return object;
  } catch (const YAML::Exception& exception) {
    // yaml-cpp reports conversion problems by throwing; they must not cross the module API.
    return std::unexpected(YamlError(exception, file));
  }
}

Result<std::vector<Object>> ParseManifestNode(const YAML::Node& node, std::string_view file) {
  std::vector<Object> objects;
  if (!node.IsDefined() || node.IsNull()) return objects;
  SourceMap unused;
  const YamlReader reader(file, unused);
  try {
    const YAML::Node kind = node.IsMap() ? node["kind"] : YAML::Node();
    if (kind.IsDefined() && kind.IsScalar() && kind.Scalar().ends_with("List") &&
        node["items"].IsDefined()) {
      // kind: List (or PodList, SecretList, ...): each item is an object of its own.
      auto items = reader.Items(node["items"], "items");
      if (!items) return std::unexpected(items.error());
      for (const YAML::Node& item : *items) {
        auto object = ParseObject(item, file);
        if (!object) return std::unexpected(object.error());
        objects.push_back(*std::move(object));
      }
      return objects;
    }
  } catch (const YAML::Exception& exception) {
    return std::unexpected(YamlError(exception, file));
  }
  auto object = ParseObject(node, file);
  if (!object) return std::unexpected(object.error());
  objects.push_back(*std::move(object));
  return objects;
}

Result<std::vector<Object>> ParseManifests(std::string_view text, std::string_view file) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& exception) {
    return std::unexpected(YamlError(exception, file));
  }
  std::vector<Object> objects;
  for (const YAML::Node& document : documents) {
    auto parsed = ParseManifestNode(document, file);
    if (!parsed) return std::unexpected(parsed.error());
    for (Object& object : *parsed) objects.push_back(std::move(object));
  }
  return objects;
}

Result<std::vector<Object>> LoadManifestFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, "cannot read manifest file", path.string());
  std::stringstream text;
  text << in.rdbuf();
  return ParseManifests(text.str(), path.string());
}

}  // namespace pullsim::cluster
