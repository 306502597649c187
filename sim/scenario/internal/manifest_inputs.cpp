// The parts of LoadManifestScenario that read the node: kubectl's Node, the KubeletConfiguration
// (through the scenario loader's own kubelet reader), and the helpers every part shares.
#include "sim/scenario/internal/manifest_inputs.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "sim/oci/platform.h"
#include "sim/reference/reference.h"
#include "sim/scenario/internal/sections.h"
#include "sim/scenario/internal/values.h"

namespace pullsim::scenario::internal {
namespace {

constexpr std::string_view kKubeletConfigGroup = "kubelet.config.k8s.io/";
// No standard label carries an ARM variant; this one lets a user say it (linux/arm/v6 vs v7).
constexpr std::string_view kVariantLabel = "pullsim.dev/arch-variant";

}  // namespace

std::optional<std::string> ManifestLoader::Read(const InputFile& file, std::string_view flag) {
  if (file.text) return file.text;
  const std::filesystem::path path(file.name);
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    Report(SourceLocation{file.name, 0, 0},
           std::string(flag) + ": no such file (or not a regular file)", ErrorCode::kNotFound);
    return std::nullopt;
  }
  const auto size = std::filesystem::file_size(path, error);
  if (error || size > limits.max_bytes) {
    Report(SourceLocation{file.name, 0, 0},
           std::string(flag) + ": larger than " + std::to_string(limits.max_bytes) + " bytes");
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) {
    Report(SourceLocation{file.name, 0, 0}, std::string(flag) + ": cannot read the file",
           ErrorCode::kNotFound);
    return std::nullopt;
  }
  return text.str();
}

// An Error of another module ("file:line:col field: message") as a Diagnostic.
Diagnostic DiagnosticOf(const Error& error) {
  static const std::regex kWhere(R"(^(.*):(\d+):(\d+)(?: (.*))?$)");
  Diagnostic diagnostic;
  diagnostic.code = error.code;
  diagnostic.message = error.message;
  std::smatch match;
  if (std::regex_match(error.where, match, kWhere)) {
    diagnostic.location =
        SourceLocation{match[1].str(), std::stoi(match[2].str()), std::stoi(match[3].str())};
    diagnostic.field = match[4].str();
  } else {
    diagnostic.location.file = error.where;
  }
  return diagnostic;
}

// The value at `key` of `map`; an undefined node when `map` is no mapping or lacks the key.
// (Walks the entries: yaml-cpp's operator[] on a missing key gives a node that throws later.)
YAML::Node Lookup(const YAML::Node& map, std::string_view key) {
  if (map.IsDefined() && map.IsMap()) {
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (it->first.IsScalar() && it->first.Scalar() == key) return it->second;
    }
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

// The string at `key` of `map`, when it is a plain non-empty scalar.
std::optional<std::string> ScalarAt(const YAML::Node& map, std::string_view key) {
  const YAML::Node value = Lookup(map, key);
  if (!value.IsDefined() || !value.IsScalar() || value.Scalar().empty()) return std::nullopt;
  return value.Scalar();
}

// The field `key` of `map` with its path, when written.
std::optional<Field> Child(const Field& map, std::string_view key) {
  if (!map.value.IsMap()) return std::nullopt;
  for (auto it = map.value.begin(); it != map.value.end(); ++it) {
    if (it->first.IsScalar() && it->first.Scalar() == key) {
      return Field{it->first, it->second, JoinPath(map.path, key)};
    }
  }
  return std::nullopt;
}

// "v1.30.4-eks-a737599", "v1.35.0+k3s1" → "1.30", the minor release pullsim simulates.
std::optional<std::string> MinorVersion(std::string_view text) {
  static const std::regex kVersion(R"(^v?1\.([0-9]{2})(\.[0-9]+)?([-+].*)?$)");
  std::match_results<std::string_view::const_iterator> match;
  if (!std::regex_match(text.begin(), text.end(), match, kVersion)) return std::nullopt;
  return "1." + match[1].str();
}

bool IsSupportedMinor(std::string_view version) {
  if (version.size() != 4 || !version.starts_with("1.")) return false;
  const int minor = (version[2] - '0') * 10 + (version[3] - '0');
  return std::isdigit(static_cast<unsigned char>(version[2])) &&
         std::isdigit(static_cast<unsigned char>(version[3])) && minor >= 20 && minor <= 40;
}

namespace {

// `kubectl get node NAME -o yaml`: the name, the platform (status.nodeInfo, else the
// kubernetes.io/os and arch labels), the kubelet's version and the images on the node. Every
// other field is what a real node reports and is ignored.
void ReadNode(ManifestLoader& loader, Context& context, const Field& object) {
  if (loader.node) {
    context.Error(object, "a second Node (the first is " + loader.node->name + " at " +
                              loader.node->location.ToString() +
                              "); explain simulates one node: give one with "
                              "kubectl get node NAME -o yaml");
    return;
  }
  Node node;
  node.location = context.Location(object);
  std::optional<Field> metadata = Child(object, "metadata");
  std::optional<Field> name = metadata ? Child(*metadata, "name") : std::nullopt;
  if (!name) {
    context.Error(object, "a Node needs metadata.name");
  } else {
    node.name = ReadObjectName(context, *name).value_or("");
  }
  std::optional<Field> labels = metadata ? Child(*metadata, "labels") : std::nullopt;
  std::optional<Field> status = Child(object, "status");
  std::optional<Field> info = status ? Child(*status, "nodeInfo") : std::nullopt;

  // The platform: nodeInfo is what the kubelet reports of itself; the labels are set from it.
  auto pick = [&](std::string_view info_key,
                  std::initializer_list<std::string_view> label_keys) -> std::optional<Field> {
    if (info) {
      if (auto f = Child(*info, info_key); f && ScalarAt(info->value, info_key)) return f;
    }
    for (std::string_view key : label_keys) {
      if (labels) {
        if (auto f = Child(*labels, key); f && ScalarAt(labels->value, key)) return f;
      }
    }
    return std::nullopt;
  };
  std::optional<Field> os = pick("operatingSystem", {"kubernetes.io/os", "beta.kubernetes.io/os"});
  std::optional<Field> arch =
      pick("architecture", {"kubernetes.io/arch", "beta.kubernetes.io/arch"});
  std::optional<Field> variant = labels ? Child(*labels, kVariantLabel) : std::optional<Field>{};
  if (!arch) {
    context.Error(status ? *status : object,
                  "the Node has no architecture: expected status.nodeInfo.architecture or the "
                  "label kubernetes.io/arch (kubectl get node NAME -o yaml prints both)");
  }
  if (!os) {
    context.Error(status ? *status : object,
                  "the Node has no operating system: expected status.nodeInfo.operatingSystem "
                  "or the label kubernetes.io/os");
  }
  if (os && arch) {
    std::string platform = os->value.Scalar() + "/" + arch->value.Scalar();
    if (variant) {
      if (auto text = context.NonEmptyString(*variant)) platform += "/" + *text;
    }
    if (Result<oci::Platform> parsed = oci::SplitPlatform(platform); !parsed) {
      context.Error(*arch, "platform \"" + platform + "\": " + parsed.error().message);
    } else {
      node.platform = platform;
    }
  }

  if (info) {
    if (auto version = Child(*info, "kubeletVersion")) {
      if (auto text = context.NonEmptyString(*version)) {
        std::optional<std::string> minor = MinorVersion(*text);
        if (!minor || !IsSupportedMinor(*minor)) {
          context.Error(*version, "kubelet version \"" + *text +
                                      "\": pullsim simulates kubelets v1.20 to v1.40");
        } else {
          loader.kubelet_version = Located<std::string>{*minor, context.Location(*version)};
        }
      }
    }
  }

  // status.images: what the node holds, each image with its names (repo digests and tags); no
  // pull records, so KEP-2535 counts them as preloaded.
  std::optional<Field> images = status ? Child(*status, "images") : std::nullopt;
  if (images && images->value.IsSequence()) {
    std::size_t index = 0;
    for (const YAML::Node& image : images->value) {
      Field image_field{YAML::Node(), image, IndexPath(images->path, index++)};
      std::optional<Field> names = Child(image_field, "names");
      if (!names) continue;
      auto items = context.List(*names);
      for (const Field& item : items.value_or(std::vector<Field>{})) {
        auto text = context.NonEmptyString(item);
        if (!text) continue;
        if (Result<reference::Reference> ref = reference::ParseDockerRef(*text); !ref) {
          context.Error(item, "image name \"" + *text + "\": " + ref.error().message);
          continue;
        }
        const bool seen = std::any_of(node.images.begin(), node.images.end(),
                                      [&](const auto& other) { return other.value == *text; });
        if (!seen) node.images.push_back({*text, context.Location(item)});
      }
    }
  }
  if (!node.name.empty()) loader.node = std::move(node);
}

// A KubeletConfiguration, read by the scenario loader's own kubelet reader.
void ReadKubeletConfiguration(ManifestLoader& loader, Context& context, const Field& object) {
  if (!loader.kubelet_config_location.file.empty()) {
    context.Error(object, "a second KubeletConfiguration (the first is at " +
                              loader.kubelet_config_location.ToString() + ")");
    return;
  }
  loader.kubelet_config_location = context.Location(object);
  KubeletSettings settings;
  ReadKubelet(context, object, settings, true);
  loader.kubelet = std::move(settings);
}

}  // namespace

void ReadNodeDocument(ManifestLoader& loader, Context& context, const Field& document) {
  if (!document.value.IsMap()) {
    context.Error(document, "expected a Node, KubeletConfiguration or CredentialProviderConfig, " +
                                Context::Describe(document.value));
    return;
  }
  // The kubelet's /configz answer: {"kubeletconfig": {...}} without apiVersion and kind.
  if (!Lookup(document.value, "kind").IsDefined() &&
      Lookup(document.value, "kubeletconfig").IsDefined()) {
    ReadKubeletConfiguration(loader, context, *Child(document, "kubeletconfig"));
    return;
  }
  std::optional<std::string> api_version = ScalarAt(document.value, "apiVersion");
  std::optional<std::string> kind = ScalarAt(document.value, "kind");
  if (!api_version || !kind) {
    context.Error(document,
                  "a node document needs apiVersion and kind (kind: Node, "
                  "KubeletConfiguration or CredentialProviderConfig)");
    return;
  }
  Field kind_field = *Child(document, "kind");
  if (kind->ends_with("List") && Lookup(document.value, "items").IsDefined()) {
    auto items = context.List(*Child(document, "items"));
    for (const Field& item : items.value_or(std::vector<Field>{})) {
      ReadNodeDocument(loader, context, item);
    }
    return;
  }
  if (*kind == "Node" && *api_version == "v1") {
    ReadNode(loader, context, document);
  } else if (*kind == "KubeletConfiguration" && api_version->starts_with(kKubeletConfigGroup)) {
    ReadKubeletConfiguration(loader, context, document);
  } else if (*kind == "CredentialProviderConfig" && api_version->starts_with(kKubeletConfigGroup)) {
    // CRED-17: plugins are programs on the node; what they would answer is not known here.
    std::string names;
    if (auto providers = Child(document, "providers"); providers && providers->value.IsSequence()) {
      for (const YAML::Node& provider : providers->value) {
        if (auto name = ScalarAt(provider, "name")) names += (names.empty() ? "" : ", ") + *name;
      }
    }
    loader.Warn(context, document,
                "CredentialProviderConfig ignored: pullsim cannot run the node's credential "
                "provider plugins (" +
                    (names.empty() ? std::string("none listed") : names) +
                    "), so the credentials they would give are not considered");
  } else {
    static constexpr std::array<std::string_view, 3> kNodeKinds = {"Node", "KubeletConfiguration",
                                                                   "CredentialProviderConfig"};
    const std::string_view close = Suggest(*kind, kNodeKinds);
    context.Error(kind_field, "kind \"" + *kind + "\" (" + *api_version +
                                  ") is not a node document: expected Node (v1), "
                                  "KubeletConfiguration or CredentialProviderConfig "
                                  "(kubelet.config.k8s.io)" +
                                  (close.empty() || close == *kind
                                       ? std::string()
                                       : "; did you mean \"" + std::string(close) + "\"?"));
  }
}

}  // namespace pullsim::scenario::internal
