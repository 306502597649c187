#include "sim/credentials/pull_secret.h"

#include <memory>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "sim/core/base64.h"

namespace pullsim::credentials {
namespace {

std::string Where(std::string_view file, const YAML::Mark& mark) {
  // yaml-cpp marks are 0-based; editors count from 1.
  return std::string(file) + ":" + std::to_string(mark.line + 1) + ":" +
         std::to_string(mark.column + 1);
}

std::unexpected<Error> Invalid(std::string_view file, const YAML::Node& node,
                               std::string_view field, std::string message) {
  std::string where = Where(file, node.Mark());
  if (!field.empty()) where += " " + std::string(field);
  return Fail(ErrorCode::kInvalidArgument, std::move(message), std::move(where));
}

Result<std::string> ScalarField(std::string_view file, const YAML::Node& parent,
                                std::string_view field, std::string_view path) {
  YAML::Node node = parent[std::string(field)];
  if (!node || node.IsNull()) return std::string();
  if (!node.IsScalar()) return Invalid(file, node, path, "must be a string");
  return node.as<std::string>();
}

// A map of string -> string (data or stringData); base64-decoded when `base64`.
Result<std::map<std::string, std::string>> StringMap(std::string_view file, const YAML::Node& node,
                                                     std::string_view field, bool base64) {
  std::map<std::string, std::string> out;
  if (!node || node.IsNull()) return out;
  if (!node.IsMap()) return Invalid(file, node, field, "must be a map of strings");
  for (const auto& entry : node) {
    if (!entry.first.IsScalar()) {
      return Invalid(file, entry.first, field, "keys must be strings");
    }
    auto key = entry.first.as<std::string>();
    std::string path = std::string(field) + "[" + key + "]";
    const YAML::Node& value = entry.second;
    std::string text;
    if (value && !value.IsNull()) {
      if (!value.IsScalar()) return Invalid(file, value, path, "must be a string");
      text = value.as<std::string>();
    }
    if (base64) {
      // The API server decodes []byte fields with Go's padded standard base64.
      auto decoded = DecodeBase64(text, Base64Encoding::kStd);
      if (!decoded) return Invalid(file, value, path, decoded.error().message);
      text = *std::move(decoded);
    }
    out[key] = std::move(text);
  }
  return out;
}

Result<PullSecret> ReadSecret(std::string_view file, const YAML::Node& doc) {
  PullSecret secret;
  secret.where = Where(file, doc.Mark());
  auto api_version = ScalarField(file, doc, "apiVersion", "apiVersion");
  if (!api_version) return std::unexpected(api_version.error());
  if (*api_version != "v1") {
    return Invalid(file, doc, "apiVersion",
                   "Secret needs apiVersion \"v1\", got \"" + *api_version + "\"");
  }
  YAML::Node metadata = doc["metadata"];
  if (!metadata || !metadata.IsMap()) {
    return Invalid(file, doc, "metadata", "Secret needs metadata with a name");
  }
  auto name = ScalarField(file, metadata, "name", "metadata.name");
  if (!name) return std::unexpected(name.error());
  if (name->empty()) return Invalid(file, metadata, "metadata.name", "Secret needs a name");
  secret.name = *std::move(name);
  auto namespace_name = ScalarField(file, metadata, "namespace", "metadata.namespace");
  if (!namespace_name) return std::unexpected(namespace_name.error());
  secret.namespace_name = *std::move(namespace_name);
  auto uid = ScalarField(file, metadata, "uid", "metadata.uid");
  if (!uid) return std::unexpected(uid.error());
  secret.uid = *std::move(uid);
  auto type = ScalarField(file, doc, "type", "type");
  if (!type) return std::unexpected(type.error());
  if (!type->empty()) secret.type = *std::move(type);  // the API server defaults to Opaque
  auto data = StringMap(file, doc["data"], "data", true);
  if (!data) return std::unexpected(data.error());
  secret.data = *std::move(data);
  auto string_data = StringMap(file, doc["stringData"], "stringData", false);
  if (!string_data) return std::unexpected(string_data.error());
  for (auto& [key, value] : *string_data) secret.data[key] = std::move(value);
  return secret;
}

Result<std::vector<PullSecret>> ReadDocument(std::string_view file, const YAML::Node& doc,
                                             std::size_t number) {
  std::vector<PullSecret> secrets;
  if (!doc || doc.IsNull()) return secrets;
  if (!doc.IsMap()) {
    return Invalid(file, doc, "", "document " + std::to_string(number) + " is not a map");
  }
  auto kind = ScalarField(file, doc, "kind", "kind");
  if (!kind) return std::unexpected(kind.error());
  if (*kind == "List" || *kind == "SecretList") {
    YAML::Node items = doc["items"];
    if (items && !items.IsNull()) {
      if (!items.IsSequence()) return Invalid(file, items, "items", "must be a list");
      for (const YAML::Node& item : items) {
        auto inner = ReadDocument(file, item, number);
        if (!inner) return inner;
        secrets.insert(secrets.end(), inner->begin(), inner->end());
      }
    }
    return secrets;
  }
  if (*kind != "Secret") {
    return Invalid(file, doc, "kind",
                   "expected kind Secret, got " + (kind->empty() ? "none" : "\"" + *kind + "\""));
  }
  auto secret = ReadSecret(file, doc);
  if (!secret) return std::unexpected(secret.error());
  secrets.push_back(*std::move(secret));
  return secrets;
}

}  // namespace

Result<std::vector<PullSecret>> ReadPullSecrets(std::string_view yaml, std::string_view file_name) {
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(std::string(yaml));
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own text for this is "bad file".
    return Fail(ErrorCode::kInvalidArgument,
                "nested too deeply (depth " + std::to_string(e.depth()) + ")",
                Where(file_name, e.mark));
  } catch (const YAML::Exception& e) {
    return Fail(ErrorCode::kInvalidArgument, e.msg, Where(file_name, e.mark));
  }
  std::vector<PullSecret> secrets;
  try {
    for (std::size_t i = 0; i < docs.size(); ++i) {
      auto read = ReadDocument(file_name, docs[i], i + 1);
      if (!read) return read;
      secrets.insert(secrets.end(), std::make_move_iterator(read->begin()),
                     std::make_move_iterator(read->end()));
    }
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own text for this is "bad file".
    return Fail(ErrorCode::kInvalidArgument,
                "nested too deeply (depth " + std::to_string(e.depth()) + ")",
                Where(file_name, e.mark));
  } catch (const YAML::Exception& e) {
    return Fail(ErrorCode::kInvalidArgument, e.msg, Where(file_name, e.mark));
  }
  return secrets;
}

Result<PodSecretKeyring> MakePodSecretKeyring(std::span<const PullSecret> secrets) {
  PodSecretKeyring result;
  for (const PullSecret& secret : secrets) {
    std::string_view data_key;
    DockerConfigFormat format = DockerConfigFormat::kConfigJson;
    if (secret.type == kSecretTypeDockerConfigJson) {
      data_key = kDockerConfigJsonKey;
    } else if (secret.type == kSecretTypeDockercfg) {
      data_key = kDockercfgKey;
      format = DockerConfigFormat::kDockercfg;
    } else {
      continue;  // CRED-10: other types are ignored silently
    }
    auto value = secret.data.find(std::string(data_key));
    if (value == secret.data.end() || value->second.empty()) continue;
    std::string name = "secret " + secret.namespace_name + "/" + secret.name + " data[" +
                       std::string(data_key) + "]";
    auto parsed = ParseDockerConfig(value->second, format, name);
    // KUB-14: one undecodable secret fails the whole keyring, with the decoder's own words.
    if (!parsed) return std::unexpected(parsed.error());
    CredentialSource source =
        CredentialSource::Secret(secret.namespace_name, secret.name, secret.uid);
    for (std::string& warning : parsed->warnings) result.warnings.push_back(std::move(warning));
    for (std::string& dropped : result.keyring.Add(parsed->config, source)) {
      result.warnings.push_back(name + ": " + dropped);
    }
    ++result.secrets_used;
  }
  return result;
}

PodPullSecrets GetPullSecretsForPod(std::string_view pod_namespace,
                                    std::span<const std::string> secret_names,
                                    const SecretGetter& get_secret) {
  PodPullSecrets result;
  for (const std::string& name : secret_names) {
    if (name.empty()) continue;  // API validation once let these through; no warning
    auto secret = get_secret(pod_namespace, name);
    if (!secret) {
      result.missing.push_back(name);
      continue;
    }
    result.secrets.push_back(*std::move(secret));
  }
  if (!result.missing.empty()) {
    std::string names;
    for (const std::string& name : result.missing) {
      if (!names.empty()) names += ", ";
      names += name;
    }
    result.warning = "Unable to retrieve some image pull secrets (" + names +
                     "); attempting to pull the image may not succeed.";
  }
  return result;
}

SecretGetter SecretsIn(std::vector<PullSecret> secrets) {
  auto shared = std::make_shared<const std::vector<PullSecret>>(std::move(secrets));
  return [shared](std::string_view namespace_name, std::string_view name) -> Result<PullSecret> {
    for (const PullSecret& secret : *shared) {
      if (secret.namespace_name == namespace_name && secret.name == name) return secret;
    }
    return Fail(ErrorCode::kNotFound, "secret \"" + std::string(name) + "\" not found",
                std::string(namespace_name));
  };
}

}  // namespace pullsim::credentials
