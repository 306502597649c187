// ValidateSecret and ValidateSecretUpdate (CRED-15), declared in validation.h.
#include <string>

#include "sim/cluster/internal/go_json.h"
#include "sim/cluster/internal/meta_validation.h"
#include "sim/cluster/internal/names.h"
#include "sim/cluster/validation.h"

namespace pullsim::cluster {
namespace {

constexpr size_t kMaxSecretSize = 1024 * 1024;
constexpr std::string_view kRedacted = "<secret contents redacted>";

// CRED-15: the key must be present and hold what json.Unmarshal takes into a map.
void ValidateDockerConfigKey(const Secret& secret, std::string_view key, ErrorList& errors) {
  const std::string path = "data[" + std::string(key) + "]";
  const auto it = secret.data.find(std::string(key));
  if (it == secret.data.end()) {
    errors.push_back(RequiredField(path));
    return;
  }
  if (auto error = internal::GoUnmarshalObjectError(it->second)) {
    errors.push_back(InvalidField(path, std::string(kRedacted), *error));
  }
}

}  // namespace

ErrorList ValidateSecret(const Secret& secret) {
  ErrorList errors;
  internal::ValidateObjectMeta(secret.metadata, true, internal::NameRule::kDNSSubdomain, "metadata",
                               errors);
  size_t total = 0;
  for (const auto& [key, value] : secret.data) {
    for (std::string& message : internal::IsConfigMapKey(key)) {
      errors.push_back(InvalidField("data[" + key + "]", key, std::move(message)));
    }
    total += value.size();
  }
  if (total > kMaxSecretSize) errors.push_back(TooLongField("data", kMaxSecretSize));

  const std::string& type = secret.type;
  const auto has = [&](const char* key) { return secret.data.contains(key); };
  if (type == kSecretTypeDockerConfigJson) {
    ValidateDockerConfigKey(secret, kDockerConfigJsonKey, errors);
  } else if (type == kSecretTypeDockercfg) {
    ValidateDockerConfigKey(secret, kDockercfgKey, errors);
  } else if (type == "kubernetes.io/service-account-token") {
    const auto it = secret.metadata.annotations.find("kubernetes.io/service-account.name");
    if (it == secret.metadata.annotations.end() || it->second.empty()) {
      errors.push_back(RequiredField("metadata.annotations[kubernetes.io/service-account.name]"));
    }
  } else if (type == "kubernetes.io/basic-auth") {
    // Upstream builds these two paths from the literal "data[%s]"; the messages keep it.
    if (!has("username") && !has("password")) {
      errors.push_back(RequiredField("data[%s][username]"));
      errors.push_back(RequiredField("data[%s][password]"));
    }
  } else if (type == "kubernetes.io/ssh-auth") {
    const auto it = secret.data.find("ssh-privatekey");
    if (it == secret.data.end() || it->second.empty()) {
      errors.push_back(RequiredField("data[%s][ssh-privatekey]"));
    }
  } else if (type == "kubernetes.io/tls") {
    if (!has("tls.crt")) errors.push_back(RequiredField("data[tls.crt]"));
    if (!has("tls.key")) errors.push_back(RequiredField("data[tls.key]"));
  }
  return errors;
}

ErrorList ValidateSecretUpdate(const Secret& new_secret, const Secret& old_secret) {
  ErrorList errors;
  internal::ValidateObjectMetaUpdate(new_secret.metadata, old_secret.metadata, errors);
  if (new_secret.type != old_secret.type) {
    errors.push_back(InvalidField("type", new_secret.type, "field is immutable"));
  }
  if (old_secret.immutable.value_or(false)) {
    if (!new_secret.immutable.value_or(false)) {
      errors.push_back(ForbiddenField("immutable", "field is immutable when `immutable` is set"));
    }
    if (new_secret.data != old_secret.data) {
      errors.push_back(ForbiddenField("data", "field is immutable when `immutable` is set"));
    }
  }
  for (FieldError& error : ValidateSecret(new_secret)) errors.push_back(std::move(error));
  return errors;
}

}  // namespace pullsim::cluster
