// Cluster settings and nodes: admission plugins, credential providers, kubelet settings, files.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <limits>

#include "sim/scenario/internal/sections.h"
#include "sim/scenario/internal/values.h"

namespace pullsim::scenario::internal {
namespace {

constexpr std::int64_t kInt32Min = std::numeric_limits<std::int32_t>::min();
constexpr std::int64_t kInt32Max = std::numeric_limits<std::int32_t>::max();

constexpr std::array<std::string_view, 4> kVerificationPolicies = {
    "NeverVerify", "NeverVerifyPreloadedImages", "NeverVerifyAllowlistedImages", "AlwaysVerify"};
constexpr std::array<std::string_view, 3> kCacheKeyTypes = {"Image", "Registry", "Global"};
constexpr std::array<std::string_view, 3> kProviderApiVersions = {
    "credentialprovider.kubelet.k8s.io/v1", "credentialprovider.kubelet.k8s.io/v1beta1",
    "credentialprovider.kubelet.k8s.io/v1alpha1"};

// An absolute path without "." or ".." components.
std::optional<std::string> ReadAbsolutePath(Context& context, const Field& field) {
  auto text = context.NonEmptyString(field);
  if (!text) return std::nullopt;
  std::filesystem::path path(*text);
  if (!text->starts_with("/") || path.lexically_normal().generic_string() != *text) {
    context.Error(field,
                  "expected an absolute path such as \"/var/lib/kubelet\", without \".\", "
                  "\"..\", \"//\" or a trailing '/', got \"" +
                      *text + "\"");
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> ReadChoice(Context& context, const Field& field,
                                      std::span<const std::string_view> choices,
                                      std::string_view what) {
  auto text = context.String(field);
  if (!text) return std::nullopt;
  if (std::find(choices.begin(), choices.end(), *text) != choices.end()) return text;
  context.UnknownWord(field, *text, choices, what);
  return std::nullopt;
}

}  // namespace

void ReadKubelet(Context& context, const Field& field, KubeletSettings& kubelet,
                 bool whole_configuration) {
  auto map =
      whole_configuration
          ? context.FreeMap(field)
          : context.Map(field, {"serializeImagePulls", "maxParallelImagePulls", "registryPullQPS",
                                "registryBurst", "imagePullCredentialsVerificationPolicy",
                                "preloadedImagesVerificationAllowlist", "featureGates", "rootDir"});
  if (!map) return;
  if (auto f = map->Get("serializeImagePulls")) kubelet.serialize_image_pulls = context.Bool(*f);
  // KUB-11: the kubelet's own validation texts, so a scenario reads like the kubelet's log.
  auto read_int = [&](std::string_view key, std::optional<std::int32_t>& out) {
    auto f = map->Get(key);
    if (!f) return;
    if (auto value = context.Integer(*f, kInt32Min, kInt32Max))
      out = static_cast<std::int32_t>(*value);
  };
  read_int("maxParallelImagePulls", kubelet.max_parallel_image_pulls);
  read_int("registryPullQPS", kubelet.registry_pull_qps);
  read_int("registryBurst", kubelet.registry_burst);
  if (kubelet.registry_pull_qps && *kubelet.registry_pull_qps < 0) {
    context.Error(*map->Get("registryPullQPS"),
                  "invalid configuration: registryPullQPS (--registry-qps) " +
                      std::to_string(*kubelet.registry_pull_qps) +
                      " must not be a negative number");
  }
  if (kubelet.registry_burst && *kubelet.registry_burst < 0) {
    context.Error(*map->Get("registryBurst"),
                  "invalid configuration: registryBurst (--registry-burst) " +
                      std::to_string(*kubelet.registry_burst) + " must not be a negative number");
  }
  if (kubelet.max_parallel_image_pulls) {
    if (*kubelet.max_parallel_image_pulls < 1) {
      context.Error(*map->Get("maxParallelImagePulls"),
                    "invalid configuration: maxParallelImagePulls " +
                        std::to_string(*kubelet.max_parallel_image_pulls) +
                        " must be a positive number");
    } else if (*kubelet.max_parallel_image_pulls > 1 &&
               kubelet.serialize_image_pulls.value_or(false)) {
      context.Error(*map->Get("maxParallelImagePulls"),
                    "invalid configuration: maxParallelImagePulls cannot be larger than 1 unless "
                    "SerializeImagePulls (--serialize-image-pulls) is set to false");
    }
  }
  if (auto f = map->Get("imagePullCredentialsVerificationPolicy")) {
    kubelet.image_pull_credentials_verification_policy =
        ReadChoice(context, *f, kVerificationPolicies, "imagePullCredentialsVerificationPolicy");
  }
  if (auto f = map->Get("preloadedImagesVerificationAllowlist")) {
    kubelet.preloaded_images_verification_allowlist =
        context.StringList(*f).value_or(std::vector<std::string>{});
  }
  if (auto f = map->Get("featureGates"); f && whole_configuration) {
    // A real configuration names gates pullsim does not simulate: only the known ones count.
    auto gates = context.FreeMap(*f);
    const auto known = KnownFeatureGates();
    for (const Field& entry : gates ? gates->entries() : std::vector<Field>{}) {
      if (std::find(known.begin(), known.end(), entry.key.Scalar()) == known.end()) continue;
      if (auto on = context.Bool(entry)) kubelet.feature_gates[entry.key.Scalar()] = *on;
    }
  } else if (f) {
    kubelet.feature_gates = ReadFeatureGates(context, *f).value_or(std::map<std::string, bool>{});
  }
  if (whole_configuration) return;  // the root directory is a flag, not a configuration field
  if (auto f = map->Get("rootDir")) kubelet.root_dir = ReadAbsolutePath(context, *f).value_or("/");
}

namespace {

std::optional<NodeFile> ReadFile(Context& context, const Field& field) {
  auto map = context.Map(field, {"path", "json", "text", "readable"}, {"path"});
  if (!map) return std::nullopt;
  std::size_t before = context.errors();
  NodeFile file;
  file.location = context.Location(field);
  if (auto path = map->Get("path")) file.path = ReadAbsolutePath(context, *path).value_or("");
  auto json = map->Get("json");
  auto text = map->Get("text");
  if (json && text) {
    context.Error(text->key.Mark(), text->path, "give the content once: json or text, not both");
  } else if (json) {
    // The kubelet reads these files as JSON: written as YAML here, stored as JSON text.
    if (auto value = ReadJson(context, *json)) file.content = value->dump(2) + "\n";
  } else if (text) {
    file.content = context.String(*text).value_or("");
  } else {
    context.Error(map->self().value.Mark(), field.path,
                  "missing the file's content: json (a YAML value written as JSON) or text");
  }
  if (auto readable = map->Get("readable")) file.readable = context.Bool(*readable).value_or(true);
  if (context.errors() != before) return std::nullopt;
  return file;
}

}  // namespace

bool LoadState::HasNode(std::string_view name) const {
  return std::any_of(scenario.nodes.begin(), scenario.nodes.end(),
                     [&](const Node& node) { return node.name == name; });
}

void ReadCluster(LoadState& state, const Field& field) {
  Context& context = state.context;
  auto map = context.Map(field, {"version", "admissionPlugins", "limitSecretReferences",
                                 "featureGates", "credentialProviders"});
  if (!map) return;
  Cluster& cluster = state.scenario.cluster;
  cluster.location = context.Location(field);
  if (auto f = map->Get("version")) {
    if (auto version = context.String(*f)) {
      int minor = 0;
      bool ok = version->starts_with("1.") && version->size() <= 4 && version->size() >= 4 &&
                std::isdigit(static_cast<unsigned char>((*version)[2])) &&
                std::isdigit(static_cast<unsigned char>((*version)[3]));
      if (ok) minor = ((*version)[2] - '0') * 10 + ((*version)[3] - '0');
      if (!ok || minor < 20 || minor > 40) {
        context.Error(*f,
                      "expected a Kubernetes minor version from \"1.20\" to \"1.40\", such as "
                      "\"1.35\", got \"" +
                          *version + "\"");
      } else {
        cluster.version = *version;
      }
    }
  }
  if (auto f = map->Get("admissionPlugins")) {
    if (auto items = context.List(*f)) {
      cluster.admission_plugins.clear();
      for (const Field& item : *items) {
        auto plugin = context.Word(item, AdmissionPluginNames(), "admission plugin");
        if (!plugin) continue;
        if (std::find(cluster.admission_plugins.begin(), cluster.admission_plugins.end(),
                      *plugin) != cluster.admission_plugins.end()) {
          context.Error(item, "admission plugin \"" + item.value.Scalar() + "\" is listed twice");
          continue;
        }
        cluster.admission_plugins.push_back(*plugin);
      }
      // The API server runs its plugins in its own order, whatever order they are enabled in.
      std::sort(cluster.admission_plugins.begin(), cluster.admission_plugins.end());
    }
  }
  if (auto f = map->Get("limitSecretReferences")) {
    cluster.limit_secret_references = context.Bool(*f).value_or(false);
  }
  if (auto f = map->Get("featureGates")) {
    cluster.feature_gates = ReadFeatureGates(context, *f).value_or(std::map<std::string, bool>{});
  }
  if (auto f = map->Get("credentialProviders")) {
    auto items = context.List(*f);
    for (const Field& item : items.value_or(std::vector<Field>{})) {
      auto provider_map = context.Map(
          item, {"name", "matchImages", "defaultCacheDuration", "apiVersion", "response", "error"},
          {"name", "matchImages", "defaultCacheDuration"});
      if (!provider_map) continue;
      CredentialProvider provider;
      provider.location = context.Location(item);
      provider.api_version = kProviderApiVersions[0];
      if (auto name = provider_map->Get("name")) {
        provider.name = context.NonEmptyString(*name).value_or("");
        for (const CredentialProvider& seen : cluster.credential_providers) {
          if (!provider.name.empty() && seen.name == provider.name) {
            context.Error(*name, "credential provider \"" + provider.name +
                                     "\" is declared twice (first at line " +
                                     std::to_string(seen.location.line) + ")");
          }
        }
      }
      if (auto match = provider_map->Get("matchImages")) {
        provider.match_images = context.StringList(*match).value_or(std::vector<std::string>{});
        if (provider.match_images.empty() && match->value.IsSequence()) {
          context.Error(*match, "list at least one image pattern");
        }
      }
      if (auto duration = provider_map->Get("defaultCacheDuration")) {
        provider.default_cache_duration = context.DurationValue(*duration).value_or(Duration{0});
      }
      if (auto api = provider_map->Get("apiVersion")) {
        provider.api_version =
            ReadChoice(context, *api, kProviderApiVersions, "apiVersion").value_or("");
      }
      auto response = provider_map->Get("response");
      auto error = provider_map->Get("error");
      if (response && error) {
        context.Error(error->key.Mark(), error->path,
                      "a provider answers with a response or fails with an error, not both");
      } else if (error) {
        provider.error = context.NonEmptyString(*error).value_or("");
      } else if (response) {
        auto answer =
            context.Map(*response, {"cacheKeyType", "cacheDuration", "auth"}, {"cacheKeyType"});
        if (answer) {
          if (auto type = answer->Get("cacheKeyType")) {
            provider.cache_key_type =
                ReadChoice(context, *type, kCacheKeyTypes, "cacheKeyType").value_or("");
          }
          if (auto duration = answer->Get("cacheDuration")) {
            provider.cache_duration = context.DurationValue(*duration);
          }
          if (auto auth = answer->Get("auth")) {
            auto entries = context.FreeMap(*auth);
            for (const Field& entry : entries ? entries->entries() : std::vector<Field>{}) {
              auto credential =
                  context.Map(entry, {"username", "password"}, {"username", "password"});
              if (!credential) continue;
              ProviderAuth auth_entry;
              auth_entry.registry = entry.key.Scalar();
              auth_entry.location = context.Location(entry.key.Mark());
              if (auto user = credential->Get("username")) {
                auth_entry.username = context.String(*user).value_or("");
              }
              if (auto password = credential->Get("password")) {
                auth_entry.password = context.String(*password).value_or("");
              }
              provider.auth.push_back(std::move(auth_entry));
            }
          }
        }
      } else {
        context.Error(
            provider_map->self().value.Mark(), item.path,
            "missing the simulated plugin's answer: response (cacheKeyType, auth) or error");
      }
      cluster.credential_providers.push_back(std::move(provider));
    }
  }
}

void ReadNodes(LoadState& state, const Field& field) {
  Context& context = state.context;
  auto items = context.List(field);
  if (!items) return;
  for (const Field& item : *items) {
    auto map = context.Map(item, {"name", "platform", "kubelet", "env", "cwd", "files", "images"},
                           {"name"});
    if (!map) continue;
    Node node;
    node.location = context.Location(item);
    node.platform = "linux/amd64";
    if (auto f = map->Get("name")) {
      if (auto name = ReadObjectName(context, *f)) {
        auto same = std::find_if(state.scenario.nodes.begin(), state.scenario.nodes.end(),
                                 [&](const Node& seen) { return seen.name == *name; });
        if (same != state.scenario.nodes.end()) {
          context.Error(*f, "node \"" + *name + "\" is declared twice (first at line " +
                                std::to_string(same->location.line) + ")");
          continue;
        }
        node.name = *name;
      }
    }
    if (auto f = map->Get("platform")) node.platform = ReadPlatform(context, *f).value_or("");
    if (auto f = map->Get("kubelet")) ReadKubelet(context, *f, node.kubelet, false);
    if (auto f = map->Get("env")) {
      auto env = context.FreeMap(*f);
      for (const Field& entry : env ? env->entries() : std::vector<Field>{}) {
        const std::string& name = entry.key.Scalar();
        bool ok = !name.empty() && !std::isdigit(static_cast<unsigned char>(name.front())) &&
                  std::all_of(name.begin(), name.end(), [](char c) {
                    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
                  });
        if (!ok) {
          context.Error(entry.key.Mark(), entry.path,
                        "invalid environment variable name \"" + name + "\"");
          continue;
        }
        if (auto value = context.String(entry)) node.env[name] = *value;
      }
    }
    if (auto f = map->Get("cwd")) node.cwd = ReadAbsolutePath(context, *f).value_or("/");
    if (auto f = map->Get("files")) {
      auto files = context.List(*f);
      for (const Field& file_field : files.value_or(std::vector<Field>{})) {
        auto file = ReadFile(context, file_field);
        if (!file) continue;
        auto same = std::find_if(node.files.begin(), node.files.end(),
                                 [&](const NodeFile& seen) { return seen.path == file->path; });
        if (same != node.files.end()) {
          context.Error(file_field, "file \"" + file->path + "\" is given twice (first at line " +
                                        std::to_string(same->location.line) + ")");
          continue;
        }
        node.files.push_back(std::move(*file));
      }
    }
    if (auto f = map->Get("images")) {
      auto images = context.List(*f);
      for (const Field& image : images.value_or(std::vector<Field>{})) {
        if (!ReadReference(context, image, false)) continue;
        node.images.push_back(Located<std::string>{image.value.Scalar(), context.Location(image)});
      }
    }
    if (!node.name.empty()) state.scenario.nodes.push_back(std::move(node));
  }
}

}  // namespace pullsim::scenario::internal
