#include "sim/credentials/provider_config.h"

#include <algorithm>
#include <initializer_list>
#include <set>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "sim/core/go_quote.h"
#include "sim/credentials/aggregate_error.h"
#include "sim/credentials/internal/go_url.h"

namespace pullsim::credentials {
namespace {

constexpr std::string_view kConfigKind = "CredentialProviderConfig";
constexpr std::string_view kResponseKind = "CredentialProviderResponse";

// API versions the kubelet accepts for the config file and for a plugin's request/response.
const std::set<std::string, std::less<>> kConfigApiVersions = {
    "kubelet.config.k8s.io/v1", "kubelet.config.k8s.io/v1alpha1", "kubelet.config.k8s.io/v1beta1"};
const std::set<std::string, std::less<>> kPluginApiVersions = {
    "credentialprovider.kubelet.k8s.io/v1", "credentialprovider.kubelet.k8s.io/v1alpha1",
    "credentialprovider.kubelet.k8s.io/v1beta1"};

std::string Where(std::string_view file, const YAML::Mark& mark) {
  return std::string(file) + ":" + std::to_string(mark.line + 1) + ":" +
         std::to_string(mark.column + 1);
}

// Strict decoding: a YAML (or JSON) document read field by field, every failure with its place.
class StrictReader {
 public:
  explicit StrictReader(std::string_view file) : file_(file) {}

  std::unexpected<Error> Invalid(const YAML::Node& node, std::string_view path,
                                 std::string message) const {
    return Fail(ErrorCode::kInvalidArgument, std::move(message),
                Where(file_, node.Mark()) + (path.empty() ? "" : " " + std::string(path)));
  }

  // Fails on a key of `node` that is not in `known` (the kubelet decodes strictly).
  std::optional<Error> OnlyKnown(const YAML::Node& node, std::string_view path,
                                 std::initializer_list<std::string_view> known) const {
    for (const auto& entry : node) {
      auto key = entry.first.as<std::string>();
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        std::string field = path.empty() ? key : std::string(path) + "." + key;
        return Invalid(entry.first, field, "strict decoding error: unknown field " + GoQuote(field))
            .error();
      }
    }
    return std::nullopt;
  }

  Result<std::string> String(const YAML::Node& parent, std::string_view key,
                             std::string_view path) const {
    YAML::Node node = parent[std::string(key)];
    if (!node || node.IsNull()) return std::string();
    if (!node.IsScalar()) return Invalid(node, path, "must be a string");
    return node.as<std::string>();
  }

  Result<std::vector<std::string>> Strings(const YAML::Node& parent, std::string_view key,
                                           std::string_view path) const {
    std::vector<std::string> out;
    YAML::Node node = parent[std::string(key)];
    if (!node || node.IsNull()) return out;
    if (!node.IsSequence()) return Invalid(node, path, "must be a list of strings");
    for (const YAML::Node& item : node) {
      if (!item.IsScalar()) return Invalid(item, path, "must be a list of strings");
      out.push_back(item.as<std::string>());
    }
    return out;
  }

 private:
  std::string file_;
};

Result<YAML::Node> LoadOne(std::string_view text, std::string_view file) {
  try {
    YAML::Node root = YAML::Load(std::string(text));
    if (!root.IsMap()) {
      return Fail(ErrorCode::kInvalidArgument, "expected a map", Where(file, root.Mark()));
    }
    return root;
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own text for this is "bad file".
    return Fail(ErrorCode::kInvalidArgument,
                "nested too deeply (depth " + std::to_string(e.depth()) + ")", Where(file, e.mark));
  } catch (const YAML::Exception& e) {
    return Fail(ErrorCode::kInvalidArgument, e.msg, Where(file, e.mark));
  }
}

std::string Quoted(std::string_view value) { return GoQuote(value); }

Result<CredentialProviderSpec> ReadProvider(const StrictReader& reader, const YAML::Node& node,
                                            const std::string& path, bool& has_duration) {
  if (!node.IsMap()) return reader.Invalid(node, path, "must be a map");
  if (auto unknown = reader.OnlyKnown(node, path,
                                      {"name", "matchImages", "defaultCacheDuration", "apiVersion",
                                       "args", "env", "tokenAttributes"})) {
    return std::unexpected(*unknown);
  }
  CredentialProviderSpec spec;
  auto name = reader.String(node, "name", path + ".name");
  if (!name) return std::unexpected(name.error());
  spec.name = *std::move(name);
  auto images = reader.Strings(node, "matchImages", path + ".matchImages");
  if (!images) return std::unexpected(images.error());
  spec.match_images = *std::move(images);
  auto api_version = reader.String(node, "apiVersion", path + ".apiVersion");
  if (!api_version) return std::unexpected(api_version.error());
  spec.api_version = *std::move(api_version);
  auto args = reader.Strings(node, "args", path + ".args");
  if (!args) return std::unexpected(args.error());
  spec.args = *std::move(args);
  YAML::Node duration = node["defaultCacheDuration"];
  has_duration = duration && !duration.IsNull();
  if (has_duration) {
    if (!duration.IsScalar()) {
      return reader.Invalid(duration, path + ".defaultCacheDuration", "must be a duration");
    }
    auto parsed = ParseDuration(duration.as<std::string>());
    if (!parsed) {
      return reader.Invalid(duration, path + ".defaultCacheDuration", parsed.error().message);
    }
    spec.default_cache_duration = *parsed;
  }
  YAML::Node env = node["env"];
  if (env && !env.IsNull()) {
    if (!env.IsSequence()) return reader.Invalid(env, path + ".env", "must be a list");
    for (std::size_t i = 0; i < env.size(); ++i) {
      std::string env_path = path + ".env[" + std::to_string(i) + "]";
      YAML::Node item = env[i];
      if (!item.IsMap()) return reader.Invalid(item, env_path, "must be a map");
      if (auto unknown = reader.OnlyKnown(item, env_path, {"name", "value"})) {
        return std::unexpected(*unknown);
      }
      auto env_name = reader.String(item, "name", env_path + ".name");
      if (!env_name) return std::unexpected(env_name.error());
      auto env_value = reader.String(item, "value", env_path + ".value");
      if (!env_value) return std::unexpected(env_value.error());
      spec.env.emplace_back(*env_name, *env_value);
    }
  }
  // tokenAttributes (KEP-4412 service-account tokens) are accepted; the simulation passes no
  // tokens to its plugins.
  return spec;
}

// validateCredentialProviderConfig, with upstream's field paths and texts.
std::vector<std::string> Validate(const CredentialProviderConfig& config,
                                  const std::vector<bool>& has_duration) {
  std::vector<std::string> errors;
  if (config.providers.empty()) {
    errors.push_back("providers: Required value: at least 1 item in plugins is required");
  }
  std::set<std::string, std::less<>> seen;
  for (std::size_t i = 0; i < config.providers.size(); ++i) {
    const CredentialProviderSpec& provider = config.providers[i];
    std::string name = Quoted(provider.name);
    if (provider.name.find('/') != std::string::npos) {
      errors.push_back("providers.name: Invalid value: " + name +
                       ": provider name cannot contain '/'");
    }
    if (provider.name.find(' ') != std::string::npos) {
      errors.push_back("providers.name: Invalid value: " + name +
                       ": provider name cannot contain spaces");
    }
    if (provider.name == ".") {
      errors.push_back("providers.name: Invalid value: " + name + ": provider name cannot be '.'");
    }
    if (provider.name == "..") {
      errors.push_back("providers.name: Invalid value: " + name + ": provider name cannot be '..'");
    }
    if (!seen.insert(provider.name).second) {
      errors.push_back("providers.name: Duplicate value: " + name);
    }
    if (provider.api_version.empty()) {
      errors.push_back("providers.apiVersion: Required value");
    } else if (!kPluginApiVersions.contains(provider.api_version)) {
      std::string supported;
      for (const std::string& version : kPluginApiVersions) {
        if (!supported.empty()) supported += ", ";
        supported += Quoted(version);
      }
      errors.push_back("providers.apiVersion: Unsupported value: " + Quoted(provider.api_version) +
                       ": supported values: " + supported);
    }
    if (provider.match_images.empty()) {
      errors.push_back(
          "providers.matchImages: Required value: at least 1 item in matchImages is required");
    }
    for (const std::string& image : provider.match_images) {
      auto parsed = internal::ParseGoUrl("https://" + image);
      if (!parsed) {
        errors.push_back("providers.matchImages: Invalid value: " + Quoted(image) +
                         ": match image is invalid: " + parsed.error().message);
      }
    }
    if (!has_duration[i]) {
      errors.push_back("providers.defaultCacheDuration: Required value");
    } else if (provider.default_cache_duration < Duration::zero()) {
      errors.push_back("providers.defaultCacheDuration: Invalid value: " +
                       FormatDuration(provider.default_cache_duration) +
                       ": must be greater than or equal to 0");
    }
  }
  return errors;
}

}  // namespace

Result<CredentialProviderConfig> ParseCredentialProviderConfig(std::string_view text,
                                                               std::string_view file_name) {
  auto root = LoadOne(text, file_name);
  if (!root) return std::unexpected(root.error());
  StrictReader reader(file_name);
  CredentialProviderConfig config;
  std::vector<bool> has_duration;
  try {
    auto kind = reader.String(*root, "kind", "kind");
    if (!kind) return std::unexpected(kind.error());
    if (*kind != kConfigKind) {
      return reader.Invalid(*root, "kind", "failed to decode " + Quoted(*kind) + " (wrong Kind)");
    }
    auto api_version = reader.String(*root, "apiVersion", "apiVersion");
    if (!api_version) return std::unexpected(api_version.error());
    if (!kConfigApiVersions.contains(*api_version)) {
      return reader.Invalid(
          *root, "apiVersion",
          "no kind \"CredentialProviderConfig\" is registered for version " + Quoted(*api_version));
    }
    config.api_version = *std::move(api_version);
    if (auto unknown = reader.OnlyKnown(*root, "", {"apiVersion", "kind", "providers"})) {
      return std::unexpected(*unknown);
    }
    YAML::Node providers = (*root)["providers"];
    if (providers && !providers.IsNull()) {
      if (!providers.IsSequence()) return reader.Invalid(providers, "providers", "must be a list");
      for (std::size_t i = 0; i < providers.size(); ++i) {
        bool duration = false;
        auto spec =
            ReadProvider(reader, providers[i], "providers[" + std::to_string(i) + "]", duration);
        if (!spec) return std::unexpected(spec.error());
        config.providers.push_back(*std::move(spec));
        has_duration.push_back(duration);
      }
    }
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own text for this is "bad file".
    return Fail(ErrorCode::kInvalidArgument,
                "nested too deeply (depth " + std::to_string(e.depth()) + ")",
                Where(file_name, e.mark));
  } catch (const YAML::Exception& e) {
    return Fail(ErrorCode::kInvalidArgument, e.msg, Where(file_name, e.mark));
  }
  std::vector<std::string> errors = Validate(config, has_duration);
  if (!errors.empty()) {
    // errs.ToAggregate(): a repeated message is kept once, then NewAggregate's text.
    return Fail(ErrorCode::kInvalidArgument,
                "failed to validate credential provider config: " + AggregateErrorText(errors),
                std::string(file_name));
  }
  return config;
}

Result<CredentialProviderResponse> ParseCredentialProviderResponse(
    std::string_view text, std::string_view expected_api_version, std::string_view file_name) {
  auto root = LoadOne(text, file_name);
  if (!root) return std::unexpected(root.error());
  StrictReader reader(file_name);
  CredentialProviderResponse response;
  try {
    auto api_version = reader.String(*root, "apiVersion", "apiVersion");
    if (!api_version) return std::unexpected(api_version.error());
    if (*api_version != expected_api_version) {
      return reader.Invalid(*root, "apiVersion",
                            "apiVersion from credential plugin response did not match expected "
                            "apiVersion:" +
                                std::string(expected_api_version) +
                                ", actual apiVersion:" + *api_version);
    }
    auto kind = reader.String(*root, "kind", "kind");
    if (!kind) return std::unexpected(kind.error());
    if (*kind != kResponseKind) {
      return reader.Invalid(
          *root, "kind",
          "failed to decode CredentialProviderResponse, unexpected Kind: " + Quoted(*kind));
    }
    if (auto unknown = reader.OnlyKnown(
            *root, "", {"apiVersion", "kind", "cacheKeyType", "cacheDuration", "auth"})) {
      return std::unexpected(*unknown);
    }
    auto key_type = reader.String(*root, "cacheKeyType", "cacheKeyType");
    if (!key_type) return std::unexpected(key_type.error());
    if (*key_type == "Image") {
      response.cache_key_type = CredentialProviderResponse::CacheKeyType::kImage;
    } else if (*key_type == "Registry") {
      response.cache_key_type = CredentialProviderResponse::CacheKeyType::kRegistry;
    } else if (*key_type == "Global") {
      response.cache_key_type = CredentialProviderResponse::CacheKeyType::kGlobal;
    } else {
      return reader.Invalid(
          *root, "cacheKeyType",
          "credential provider plugin did not return a valid cacheKeyType: " + Quoted(*key_type));
    }
    YAML::Node duration = (*root)["cacheDuration"];
    if (duration && !duration.IsNull()) {
      if (!duration.IsScalar())
        return reader.Invalid(duration, "cacheDuration", "must be a duration");
      auto parsed = ParseDuration(duration.as<std::string>());
      if (!parsed) return reader.Invalid(duration, "cacheDuration", parsed.error().message);
      response.cache_duration = *parsed;
    }
    YAML::Node auth = (*root)["auth"];
    if (auth && !auth.IsNull()) {
      if (!auth.IsMap()) return reader.Invalid(auth, "auth", "must be a map");
      for (const auto& entry : auth) {
        auto key = entry.first.as<std::string>();
        std::string path = "auth[" + Quoted(key) + "]";
        const YAML::Node& value = entry.second;
        DockerConfigEntry credentials;
        if (value && !value.IsNull()) {
          if (!value.IsMap()) return reader.Invalid(value, path, "must be a map");
          if (auto unknown = reader.OnlyKnown(value, path, {"username", "password"})) {
            return std::unexpected(*unknown);
          }
          auto username = reader.String(value, "username", path + ".username");
          if (!username) return std::unexpected(username.error());
          auto password = reader.String(value, "password", path + ".password");
          if (!password) return std::unexpected(password.error());
          credentials.username = *std::move(username);
          credentials.password = *std::move(password);
        }
        response.auth.Set(key, std::move(credentials));
      }
    }
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own text for this is "bad file".
    return Fail(ErrorCode::kInvalidArgument,
                "nested too deeply (depth " + std::to_string(e.depth()) + ")",
                Where(file_name, e.mark));
  } catch (const YAML::Exception& e) {
    return Fail(ErrorCode::kInvalidArgument, e.msg, Where(file_name, e.mark));
  }
  return response;
}

}  // namespace pullsim::credentials
