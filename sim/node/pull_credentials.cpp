#include "sim/node/pull_credentials.h"

#include "sim/node/record_files.h"
#include "sim/oci/digest.h"

namespace pullsim::node {

std::string PullCredential::Describe() const {
  if (!source.empty()) return source;
  if (secret) return "secret " + secret->namespace_name + "/" + secret->name;
  if (service_account) {
    return "service account " + service_account->namespace_name + "/" + service_account->name;
  }
  return "node";
}

PodCredentials PodCredentialsOf(std::span<const PullCredential> credentials) {
  PodCredentials pod;
  for (const PullCredential& credential : credentials) {
    if (credential.secret) {
      pod.secrets.push_back({*credential.secret, credential.credential_hash});
    } else if (credential.service_account && !pod.service_account) {
      // Audiences are not considered, so one service account per pod is enough.
      pod.service_account = *credential.service_account;
    }
  }
  return pod;
}

std::string CredentialHash(const PullCredential& credential) {
  std::string json = "{";
  const std::pair<std::string_view, const std::string*> fields[] = {
      {"username", &credential.username},
      {"password", &credential.password},
      {"auth", &credential.auth},
      {"email", &credential.email},
      {"serveraddress", &credential.server_address},
      {"identitytoken", &credential.identity_token},
      {"registrytoken", &credential.registry_token},
  };
  for (const auto& [name, value] : fields) {
    if (value->empty()) continue;  // omitempty
    if (json.size() > 1) json += ',';
    json += '"';
    json += name;
    json += "\":";
    json += GoJsonString(*value);
  }
  json += '}';
  return std::string(oci::Digest::Sha256Of(json).hex());
}

}  // namespace pullsim::node
